//! Typed parameters of 障害児福祉手当, as read from `rulesets/national/disabled_child_welfare_allowance/*.json`.

use crate::concepts::allowance::{ages_valid, months_valid};
use crate::income::{IncomeRules, LimitTable};
use crate::money::Yen;
use crate::ruleset::{check_yen, validate_params, Param, Parameters, Validity};
use crate::schemes::{check_schedule, PayMonth};
use serde::Deserialize;

/// Parameters of 障害児福祉手当 (logic version 2019).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct WelfareParams {
    /// Monthly amount per child.
    pub(crate) amount: Param<Yen>,
    /// 受給資格者 (the child) 本人の所得制限限度額.
    pub(crate) own_limit: Param<LimitTable>,
    /// 配偶者・扶養義務者の所得制限限度額.
    pub(crate) other_limit: Param<LimitTable>,
    /// Income-year switch month.
    pub(crate) income_year_switch_month: Param<u32>,
    /// 所得額 rules.
    pub(crate) income_rules: Param<IncomeRules>,
    /// Paid while the child is under this age.
    pub(crate) age: Param<u32>,
    /// 支払期月, dated by payment month.
    pub(crate) payments: Param<Vec<PayMonth>>,
}

impl Parameters for WelfareParams {
    fn validate(&self, validity: &Validity, errors: &mut Vec<(String, String)>) {
        validate_params!(self, validity, errors: amount, own_limit, other_limit, income_year_switch_month, income_rules,
            age, payments);
        check_yen("amount", &self.amount, 10_000_000, |v| vec![*v], errors);
        LimitTable::check("own_limit", &self.own_limit, errors);
        LimitTable::check("other_limit", &self.other_limit, errors);
        IncomeRules::check("income_rules", &self.income_rules, errors);
        months_valid("income_year_switch_month", &self.income_year_switch_month, errors);
        ages_valid(&[("age", &self.age)], errors);
        check_schedule("payments", &self.payments, errors);
    }
}
