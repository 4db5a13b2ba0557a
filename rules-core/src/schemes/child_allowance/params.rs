//! Typed parameters of the two 児童手当 logic versions, as read from
//! `rulesets/national/child_allowance/{2012,2024}.json`, and their per-month resolution.

use crate::income::IncomeRules;
pub use crate::income::{Limit, LimitTable};
use crate::money::Yen;
use crate::ruleset::{check_range, check_yen, validate_params, Param, Parameters, Validity};
use crate::schemes::{check_schedule, PayMonth};
use chrono::NaiveDate;
use serde::Deserialize;

/// Parameters of the 2012 regime (2012-04 – 2024-09).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Params2012 {
    /// 3歳未満 (any rank).
    pub amount_under_3: Param<Yen>,
    /// 3歳以上小学校修了前, 第1子・第2子.
    pub amount_primary_first_second: Param<Yen>,
    /// 3歳以上小学校修了前, 第3子以降.
    pub amount_primary_third_or_later: Param<Yen>,
    /// 中学生 (any rank).
    pub amount_lower_secondary: Param<Yen>,
    /// 特例給付 per paid child, at or above the 所得制限限度額 (null before 2012-06).
    pub special_benefit_amount: Param<Yen>,
    /// 所得制限限度額 (null before 2012-06).
    pub income_limit: Param<LimitTable>,
    /// 所得上限限度額 (null before 2022-06).
    pub upper_income_limit: Param<LimitTable>,
    /// From this month of a year, the previous calendar year's income applies; before it, the
    /// year before that.
    pub income_year_switch_month: Param<u32>,
    /// Deductions and reductions for 所得額.
    pub income_rules: Param<IncomeRules>,
    /// The 3歳未満 band runs through the month of this birthday.
    pub young_child_age: Param<u32>,
    /// 小学校修了前 = this age's 年度末.
    pub primary_age: Param<u32>,
    /// Paid to this age's 年度末 (中学校修了前).
    pub paid_age: Param<u32>,
    /// Counting pool (第3子 order) to this age's 年度末.
    pub counting_pool_age: Param<u32>,
    /// Payment months (each pays the months before it since the previous one).
    pub payment_months: Param<Vec<PayMonth>>,
    /// 15日特例: an application within this many days after a birth or a move (from the day after
    /// it) counts from the month after that event.
    pub application_grace_days: Param<u32>,
}

/// Parameters of the 2024 reform (2024-10 –).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Params2024 {
    /// 三歳未満児童算定額 (第1子・第2子).
    pub amount_under_3: Param<Yen>,
    /// 三歳以上児童算定額 (第1子・第2子).
    pub amount_3_or_older: Param<Yen>,
    /// 第三子以降算定額 (any age).
    pub amount_third_or_later: Param<Yen>,
    /// The 3歳未満 band runs through the month of this birthday.
    pub young_child_age: Param<u32>,
    /// Paid to this age's 年度末 (児童 = 18歳年度末).
    pub paid_age: Param<u32>,
    /// Counting pool (第三子以降算定額算定対象者) to this age's 年度末.
    pub counting_pool_age: Param<u32>,
    /// Days after the 18歳年度末 within which a 確認書 still counts from April.
    pub confirmation_grace_days: Param<u32>,
    /// Applications by this date from those newly eligible by the reform count from 2024-10分.
    pub transitional_application_deadline: Param<NaiveDate>,
    /// Payment months.
    pub payment_months: Param<Vec<PayMonth>>,
    /// 15日特例: an application within this many days after a birth or a move (from the day after
    /// it) counts from the month after that event.
    pub application_grace_days: Param<u32>,
}

/// Age and calendar parameters must be constant within a logic version: a change of structure is
/// a new logic version (shared/DESIGN.md), so child key months can be computed once per household.
fn single_value<T>(name: &str, p: &Param<T>, errors: &mut Vec<(String, String)>) {
    if p.values.len() != 1 || p.values[0].value.is_none() {
        errors.push((
            format!("/parameters/{name}/values"),
            "must have exactly one non-null value (a change is a new logic version)".into(),
        ));
    }
}

impl Parameters for Params2012 {
    fn validate(&self, validity: &Validity, errors: &mut Vec<(String, String)>) {
        validate_params!(self, validity, errors: amount_under_3, amount_primary_first_second, amount_primary_third_or_later,
            amount_lower_secondary, special_benefit_amount, income_limit, upper_income_limit, income_year_switch_month,
            income_rules, young_child_age, primary_age, paid_age, counting_pool_age, payment_months, application_grace_days);
        single_value("young_child_age", &self.young_child_age, errors);
        single_value("primary_age", &self.primary_age, errors);
        single_value("paid_age", &self.paid_age, errors);
        single_value("counting_pool_age", &self.counting_pool_age, errors);
        single_value("application_grace_days", &self.application_grace_days, errors);
        check_schedule("payment_months", &self.payment_months, errors);
        for (name, p) in [
            ("young_child_age", &self.young_child_age),
            ("primary_age", &self.primary_age),
            ("paid_age", &self.paid_age),
            ("counting_pool_age", &self.counting_pool_age),
        ] {
            check_range(name, p, 0..=30, "an age", errors);
        }
        check_range("income_year_switch_month", &self.income_year_switch_month, 1..=12, "a month", errors);
        check_range("application_grace_days", &self.application_grace_days, 0..=366, "days", errors);
        // Monthly amounts per child: at most 10,000,000 yen (also for overrides).
        for (name, p) in [
            ("amount_under_3", &self.amount_under_3),
            ("amount_primary_first_second", &self.amount_primary_first_second),
            ("amount_primary_third_or_later", &self.amount_primary_third_or_later),
            ("amount_lower_secondary", &self.amount_lower_secondary),
            ("special_benefit_amount", &self.special_benefit_amount),
        ] {
            check_yen(name, p, 10_000_000, |v| vec![*v], errors);
        }
        LimitTable::check("income_limit", &self.income_limit, errors);
        LimitTable::check("upper_income_limit", &self.upper_income_limit, errors);
        IncomeRules::check("income_rules", &self.income_rules, errors);
        // The income test needs the limit whenever a 特例給付 amount is in force, and vice versa.
        for month in [validity.from]
            .into_iter()
            .chain(self.special_benefit_amount.values.iter().map(|v| v.from))
            .chain(self.income_limit.values.iter().map(|v| v.from))
        {
            let special = self.special_benefit_amount.at(month).and_then(|v| v.value).is_some();
            let limit = self.income_limit.at(month).and_then(|v| v.value.as_ref()).is_some();
            if special != limit {
                errors.push((
                    "/parameters/special_benefit_amount".into(),
                    format!("in {month} the 特例給付 amount and the 所得制限限度額 must both be in force or neither"),
                ));
            }
        }
    }
}

impl Parameters for Params2024 {
    fn validate(&self, validity: &Validity, errors: &mut Vec<(String, String)>) {
        validate_params!(self, validity, errors: amount_under_3, amount_3_or_older, amount_third_or_later, young_child_age,
            paid_age, counting_pool_age, confirmation_grace_days, transitional_application_deadline, payment_months,
            application_grace_days);
        single_value("young_child_age", &self.young_child_age, errors);
        single_value("paid_age", &self.paid_age, errors);
        single_value("counting_pool_age", &self.counting_pool_age, errors);
        single_value("confirmation_grace_days", &self.confirmation_grace_days, errors);
        single_value("transitional_application_deadline", &self.transitional_application_deadline, errors);
        single_value("application_grace_days", &self.application_grace_days, errors);
        check_schedule("payment_months", &self.payment_months, errors);
        for (name, p) in [
            ("young_child_age", &self.young_child_age),
            ("paid_age", &self.paid_age),
            ("counting_pool_age", &self.counting_pool_age),
        ] {
            check_range(name, p, 0..=30, "an age", errors);
        }
        check_range("confirmation_grace_days", &self.confirmation_grace_days, 0..=366, "days", errors);
        check_range("application_grace_days", &self.application_grace_days, 0..=366, "days", errors);
        for (name, p) in [
            ("amount_under_3", &self.amount_under_3),
            ("amount_3_or_older", &self.amount_3_or_older),
            ("amount_third_or_later", &self.amount_third_or_later),
        ] {
            check_yen(name, p, 10_000_000, |v| vec![*v], errors);
        }
    }
}

/// The first value of a single-valued parameter (validated by `single_value`).
pub(crate) fn constant<T: Copy + Default>(p: &Param<T>) -> T {
    p.values.first().and_then(|v| v.value).unwrap_or_default()
}
