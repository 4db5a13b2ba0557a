//! Typed parameters of 児童扶養手当, as read from `rulesets/national/child_rearing_allowance/*.json`.

use crate::concepts::allowance::{ages_valid, months_valid};
use crate::income::{IncomeRules, LimitTable};
use crate::money::{Rate, Rounding, Yen};
use crate::ruleset::{check_yen, validate_params, Param, Parameters, Validity};
use crate::schemes::{check_schedule, PayMonth};
use serde::{Deserialize, Serialize};

/// An exact decimal coefficient written as a string (`"0.0243007"`), read without floating point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coefficient(pub Rate);

impl std::str::FromStr for Coefficient {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("expected a decimal such as \"0.0243007\", got {s:?}");
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        let digits = format!("{int}{frac}");
        if int.is_empty() || frac.len() > 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let numerator: i64 = digits.parse().map_err(|_| bad())?;
        Ok(Coefficient(Rate { numerator, denominator: 10_i64.pow(frac.len() as u32) }))
    }
}

impl std::fmt::Display for Coefficient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let places = self.0.denominator.to_string().len() - 1;
        let int = self.0.numerator / self.0.denominator;
        let frac = self.0.numerator % self.0.denominator;
        if places == 0 {
            write!(f, "{int}")
        } else {
            write!(f, "{int}.{frac:0places$}")
        }
    }
}

impl Serialize for Coefficient {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Coefficient {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::json::from_str_value(d)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Coefficient {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Coefficient".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "pattern": "^[0-9]+(\\.[0-9]{1,12})?$"})
    }
}

/// One part of the 児童扶養手当 amount (本体, 第2子加算 or 第3子以降加算): the full amount and the
/// 一部支給 band with its coefficient (FACTS.md §2.2, §2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// 全部支給の額.
    pub full: Yen,
    /// 一部支給の最高額.
    pub partial_max: Yen,
    /// 一部支給の最低額 (checked: the formula gives it just below the 一部支給限度額).
    pub partial_min: Yen,
    /// 係数: the amount falls by round10((所得額 − 全部支給限度額) × 係数).
    pub coefficient: Coefficient,
}

impl Part {
    /// 一部支給 for a 所得額 `excess` yen at or above the 全部支給限度額: 一部支給最高額 −
    /// (excess × 係数, 10円未満四捨五入) (FACTS.md §2.3, F19, F22, F23).
    pub fn partial(&self, excess: Yen) -> Yen {
        self.partial_max - self.coefficient.0.apply(excess, Rounding::HalfUpTenYen)
    }
}

/// The 児童扶養手当 amounts of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RearingAmounts {
    /// 本体 (the first child).
    pub first: Part,
    /// 第2子加算.
    pub second: Part,
    /// 第3子以降加算 (each).
    pub third_or_later: Part,
}

/// Parameters of 児童扶養手当 (logic version 2019).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ChildRearingParams {
    /// 手当額 by period (物価スライド each April; the 2024-11 change).
    pub amounts: Param<RearingAmounts>,
    /// 全部支給の所得制限限度額 (受給資格者本人, 父又は母).
    pub full_limit: Param<LimitTable>,
    /// 一部支給の所得制限限度額 (受給資格者本人, 父又は母).
    pub partial_limit: Param<LimitTable>,
    /// 孤児等の養育者・配偶者・扶養義務者の所得制限限度額 (binary: at or above it, nothing).
    pub other_limit: Param<LimitTable>,
    /// From this month of a year the previous calendar year's income applies; before it the year
    /// before that (8 before 2019-11; 11 since).
    pub income_year_switch_month: Param<u32>,
    /// 所得額 of a parent claimant (養育費 80 %; no 寡婦・ひとり親控除).
    pub claimant_income_rules: Param<IncomeRules>,
    /// 所得額 of a 養育者, 配偶者 or 扶養義務者.
    pub other_income_rules: Param<IncomeRules>,
    /// 児童 = to this age's 年度末.
    pub child_age: Param<u32>,
    /// A child with the disability of 施行令別表第1 is a 児童 while under this age.
    pub disabled_child_age: Param<u32>,
    /// 支払期月, dated by payment month.
    pub payments: Param<Vec<PayMonth>>,
}

/// Each dated 児童扶養手当 amount must reproduce its published 一部支給最低額 just below the
/// 一部支給限度額 (FACTS.md §2.2 check arithmetic), and full ≥ partial max ≥ partial min.
fn check_rearing_amounts(p: &ChildRearingParams, validity: &Validity, errors: &mut Vec<(String, String)>) {
    check_yen(
        "amounts",
        &p.amounts,
        10_000_000,
        |a| [a.first, a.second, a.third_or_later].iter().flat_map(|x| [x.full, x.partial_max, x.partial_min]).collect(),
        errors,
    );
    let months = std::iter::once(validity.from)
        .chain(p.amounts.values.iter().map(|v| v.from))
        .chain(p.full_limit.values.iter().map(|v| v.from))
        .chain(p.partial_limit.values.iter().map(|v| v.from));
    for m in months {
        let (Some(a), Some(full), Some(partial)) = (
            p.amounts.at(m).and_then(|v| v.value),
            p.full_limit.at(m).and_then(|v| v.value.as_ref()),
            p.partial_limit.at(m).and_then(|v| v.value.as_ref()),
        ) else {
            continue;
        };
        let band =
            partial.by_dependants.first().copied().unwrap_or(0) - full.by_dependants.first().copied().unwrap_or(0);
        for (name, part) in [("first", a.first), ("second", a.second), ("third_or_later", a.third_or_later)] {
            if !(part.full >= part.partial_max && part.partial_max >= part.partial_min)
                || part.partial(band - 1) != part.partial_min
            {
                errors.push((
                    "/parameters/amounts".into(),
                    format!(
                        "in {m} the {name} part does not give its 一部支給最低額 {} just below the 一部支給限度額 (band {band}, 係数 {})",
                        part.partial_min, part.coefficient
                    ),
                ));
            }
        }
    }
}

impl Parameters for ChildRearingParams {
    fn validate(&self, validity: &Validity, errors: &mut Vec<(String, String)>) {
        validate_params!(self, validity, errors: amounts, full_limit, partial_limit, other_limit, income_year_switch_month,
            claimant_income_rules, other_income_rules, child_age, disabled_child_age, payments);
        LimitTable::check("full_limit", &self.full_limit, errors);
        LimitTable::check("partial_limit", &self.partial_limit, errors);
        LimitTable::check("other_limit", &self.other_limit, errors);
        IncomeRules::check("claimant_income_rules", &self.claimant_income_rules, errors);
        IncomeRules::check("other_income_rules", &self.other_income_rules, errors);
        months_valid("income_year_switch_month", &self.income_year_switch_month, errors);
        ages_valid(&[("child_age", &self.child_age), ("disabled_child_age", &self.disabled_child_age)], errors);
        check_schedule("payments", &self.payments, errors);
        check_rearing_amounts(self, validity, errors);
    }
}
