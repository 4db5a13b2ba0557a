//! Typed parameters of 特別児童扶養手当, as read from `rulesets/national/special_child_allowance/*.json`.

use crate::concepts::allowance::{ages_valid, months_valid};
use crate::income::{IncomeRules, LimitTable};
use crate::money::Yen;
use crate::ruleset::{check_yen, validate_params, Param, Parameters, Validity};
use crate::schemes::{check_schedule, PayMonth};
use serde::Deserialize;

/// Parameters of 特別児童扶養手当 (logic version 2018).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct SpecialChildParams {
    /// 1級 monthly amount per child.
    pub(crate) amount_grade_1: Param<Yen>,
    /// 2級 monthly amount per child.
    pub(crate) amount_grade_2: Param<Yen>,
    /// 受給資格者本人の所得制限限度額.
    pub(crate) claimant_limit: Param<LimitTable>,
    /// 配偶者・扶養義務者の所得制限限度額.
    pub(crate) other_limit: Param<LimitTable>,
    /// Income-year switch month (8: 8月分〜翌7月分 on the previous year's income).
    pub(crate) income_year_switch_month: Param<u32>,
    /// 所得額 rules.
    pub(crate) income_rules: Param<IncomeRules>,
    /// Paid while the child is under this age.
    pub(crate) age: Param<u32>,
    /// 支払期月, dated by payment month.
    pub(crate) payments: Param<Vec<PayMonth>>,
}

impl Parameters for SpecialChildParams {
    fn validate(&self, validity: &Validity, errors: &mut Vec<(String, String)>) {
        validate_params!(self, validity, errors: amount_grade_1, amount_grade_2, claimant_limit, other_limit,
            income_year_switch_month, income_rules, age, payments);
        check_yen("amount_grade_1", &self.amount_grade_1, 10_000_000, |v| vec![*v], errors);
        check_yen("amount_grade_2", &self.amount_grade_2, 10_000_000, |v| vec![*v], errors);
        LimitTable::check("claimant_limit", &self.claimant_limit, errors);
        LimitTable::check("other_limit", &self.other_limit, errors);
        IncomeRules::check("income_rules", &self.income_rules, errors);
        months_valid("income_year_switch_month", &self.income_year_switch_month, errors);
        ages_valid(&[("age", &self.age)], errors);
        check_schedule("payments", &self.payments, errors);
    }
}
