//! 所得 computations shared by the income-tested schemes: 給与所得 from gross salary
//! (給与所得控除 by income year, 所得税法第28条 and 別表第五) and a scheme's 所得額 (the income the
//! scheme compares with its limits), with the deductions each scheme's 政令 lists.

use crate::household::IncomeYear;
use crate::money::{Rate, Rounding, Yen};
use crate::ruleset::{check_yen, validate_params, Param, Parameters, Validity, MAX_YEN};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One bracket of 給与所得控除: for salary above `over`, `rate_percent` % of the salary plus `plus`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bracket {
    /// Lower bound (exclusive) of the salary for this bracket.
    pub over: Yen,
    /// Percentage of the salary.
    pub rate_percent: i64,
    /// Fixed addition (may be negative).
    pub plus: Yen,
}

/// 別表第五 rounding: from `from` (inclusive) the salary is rounded down to a multiple of `step`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableStep {
    /// Salary from which this step applies.
    pub from: Yen,
    /// Rounding step in yen.
    pub step: Yen,
}

/// 給与所得控除 for one income year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmploymentDeduction {
    /// Minimum deduction (最低保障額), for salaries up to the first bracket.
    pub minimum: Yen,
    /// 別表第五 starts here: a smaller salary has 給与所得 0 (e.g. 551,000 from 2020).
    pub zero_below: Yen,
    /// Brackets in increasing order of `over`.
    pub brackets: Vec<Bracket>,
    /// Salaries below this use 別表第五 (rounded salary, `table_steps`).
    pub table_below: Yen,
    /// 別表第五 rounding steps in increasing order of `from`.
    pub table_steps: Vec<TableStep>,
}

impl EmploymentDeduction {
    /// 給与所得 for a gross salary (給与等の収入金額), never negative; fractions of a yen dropped
    /// (円未満切捨て).
    pub fn employment_income(&self, salary: Yen) -> Yen {
        let mut base = salary;
        if salary < self.zero_below {
            return 0;
        }
        if salary < self.table_below {
            if let Some(step) = self.table_steps.iter().rev().find(|s| salary >= s.from) {
                base = salary - salary.rem_euclid(step.step);
            }
        }
        let deduction_over_salary = match self.brackets.iter().rev().find(|b| base > b.over) {
            // 給与所得 = base − (rate × base + plus) = (100 − rate) % of base − plus.
            Some(b) => Rate::percent(100 - b.rate_percent).apply(base, Rounding::FloorYen) - b.plus,
            None => base - self.minimum,
        };
        deduction_over_salary.max(0)
    }
}

/// The parameters of `income/employment_income_deduction`.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmploymentIncomeParams {
    /// 給与所得控除 by income year (`from` = January of the first income year).
    pub deduction: Param<EmploymentDeduction>,
}

impl Parameters for EmploymentIncomeParams {
    fn validate(&self, validity: &Validity, errors: &mut Vec<(String, String)>) {
        validate_params!(self, validity, errors: deduction);
        check_yen(
            "deduction",
            &self.deduction,
            MAX_YEN,
            |r| {
                let mut v = vec![r.minimum, r.zero_below, r.table_below];
                v.extend(r.brackets.iter().flat_map(|b| [b.over, b.plus.abs()]));
                v.extend(r.table_steps.iter().flat_map(|t| [t.from, t.step]));
                v
            },
            errors,
        );
        for (i, v) in self.deduction.values.iter().enumerate() {
            let bad = v.value.as_ref().is_some_and(|r| {
                r.brackets.iter().any(|b| !(0..=100).contains(&b.rate_percent))
                    || r.table_steps.iter().any(|t| t.step <= 0)
            });
            if bad {
                errors.push((
                    format!("/parameters/deduction/values/{i}/value"),
                    "rates must be 0–100 % and steps positive".into(),
                ));
            }
        }
        for (i, v) in self.deduction.values.iter().enumerate() {
            if v.from.month() != 1 {
                errors.push((
                    format!("/parameters/deduction/values/{i}/from"),
                    "income-year values start in January".into(),
                ));
            }
            if let Some(rule) = &v.value {
                if !rule.brackets.windows(2).all(|w| w[0].over < w[1].over)
                    || !rule.table_steps.windows(2).all(|w| w[0].from < w[1].from)
                {
                    errors.push((
                        format!("/parameters/deduction/values/{i}/value"),
                        "brackets and table steps must increase".into(),
                    ));
                }
            }
        }
    }
}

/// Deduction amounts and reductions a scheme's 政令 applies to reach its 所得額.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IncomeRules {
    /// 社会保険料相当額 (flat, 一律).
    pub flat_deduction: Yen,
    /// Reduction from the sum of 給与所得 and 公的年金等に係る雑所得 (10万円), 0 where not in force.
    pub employment_pension_reduction: Yen,
    /// 障害者控除 per person.
    pub disabled: Yen,
    /// 特別障害者控除 per person.
    pub specially_disabled: Yen,
    /// 寡婦控除; null = not known (a person claiming it then has a 所得額 that is not known).
    pub widow: Option<Yen>,
    /// ひとり親控除; null = not known.
    pub single_parent: Option<Yen>,
    /// 勤労学生控除.
    pub working_student: Yen,
    /// Percentage of 養育費 received that counts as income (児童扶養手当: 80 for a parent
    /// claimant), rounded 円未満四捨五入; absent = 養育費 does not count.
    #[serde(default, skip_serializing_if = "is_zero_percent")]
    pub child_support_percent: i64,
    /// Whether 配偶者特別控除 (actual amount) is deducted; absent = not.
    #[serde(default, skip_serializing_if = "is_false")]
    pub spouse_special: bool,
}

fn is_zero_percent(p: &i64) -> bool {
    *p == 0
}

/// An income limit table by 扶養親族等の数 (所得制限限度額), with its additions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LimitTable {
    /// Limit for 0, 1, … dependants.
    pub by_dependants: Vec<Yen>,
    /// Addition per dependant beyond the table; null = not known.
    pub per_additional_dependant: Option<Yen>,
    /// Addition per 老人控除対象配偶者・老人扶養親族; null = not known.
    pub per_elderly_dependant: Option<Yen>,
    /// Addition per 特定扶養親族 (and 16–18歳の控除対象扶養親族); absent = no such addition, null =
    /// not known.
    #[serde(default = "no_addition")]
    pub per_specified_dependant: Option<Yen>,
    /// When every 扶養親族 is 老人, one of them gets no addition (扶養義務者 limits).
    #[serde(default, skip_serializing_if = "is_false")]
    pub elderly_one_excluded_if_all: bool,
    /// A 所得額 equal to the limit is still paid (the law says 超える, not 以上); absent = the
    /// limit itself stops payment.
    #[serde(default, skip_serializing_if = "is_false")]
    pub paid_at_limit: bool,
}

fn no_addition() -> Option<Yen> {
    Some(0)
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A limit for a given count: known exactly, or only a lower bound (when an addition is not known).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The limit.
    Exact(Yen),
    /// The limit is at least this (the table rises with the count); the exact rule is not known.
    AtLeast(Yen),
}

impl Limit {
    /// The limit, or its lower bound.
    pub fn value(self) -> Yen {
        match self {
            Limit::Exact(v) | Limit::AtLeast(v) => v,
        }
    }

    /// The limit when known exactly.
    pub fn exact(self) -> Option<Yen> {
        match self {
            Limit::Exact(v) => Some(v),
            Limit::AtLeast(_) => None,
        }
    }
}

impl LimitTable {
    /// The limit for `dependants` 扶養親族等, `elderly` of them 老人 and `specified` of them 特定.
    pub fn limit(&self, dependants: u32, elderly: u32, specified: u32) -> Limit {
        let Some(last) = self.by_dependants.len().checked_sub(1) else {
            return Limit::AtLeast(0);
        };
        let index = (dependants as usize).min(last);
        let extra = dependants as usize - index;
        let mut exact = true;
        let mut limit = self.by_dependants[index];
        let mut add = |count: u32, step: Option<Yen>| {
            if count > 0 {
                match step {
                    Some(step) => limit += step * Yen::from(count),
                    None => exact = false,
                }
            }
        };
        add(extra as u32, self.per_additional_dependant);
        let elderly = if self.elderly_one_excluded_if_all && elderly > 0 && elderly >= dependants {
            elderly - 1
        } else {
            elderly
        };
        add(elderly, self.per_elderly_dependant);
        add(specified, self.per_specified_dependant);
        if exact {
            Limit::Exact(limit)
        } else {
            Limit::AtLeast(limit)
        }
    }

    /// Every yen figure (for bounds checks).
    pub(crate) fn figures(&self) -> Vec<Yen> {
        let mut v = self.by_dependants.clone();
        v.extend(self.per_additional_dependant);
        v.extend(self.per_elderly_dependant);
        v.extend(self.per_specified_dependant);
        v
    }

    /// The table must be non-empty and increasing.
    pub(crate) fn check(name: &str, p: &Param<LimitTable>, errors: &mut Vec<(String, String)>) {
        check_yen(name, p, MAX_YEN, LimitTable::figures, errors);
        for (i, v) in p.values.iter().enumerate() {
            if let Some(t) = &v.value {
                if t.by_dependants.is_empty() || !t.by_dependants.windows(2).all(|w| w[0] < w[1]) {
                    errors.push((
                        format!("/parameters/{name}/values/{i}/value/by_dependants"),
                        "must be non-empty and increasing".into(),
                    ));
                }
            }
        }
    }
}

impl IncomeRules {
    /// Every yen figure (for bounds checks).
    pub(crate) fn figures(&self) -> Vec<Yen> {
        let mut v = vec![
            self.flat_deduction,
            self.employment_pension_reduction,
            self.disabled,
            self.specially_disabled,
            self.working_student,
        ];
        v.extend(self.widow);
        v.extend(self.single_parent);
        v
    }

    /// Bounds of every value (percent 0–100).
    pub(crate) fn check(name: &str, p: &Param<IncomeRules>, errors: &mut Vec<(String, String)>) {
        check_yen(name, p, MAX_YEN, IncomeRules::figures, errors);
        for (i, v) in p.values.iter().enumerate() {
            if v.value.as_ref().is_some_and(|r| !(0..=100).contains(&r.child_support_percent)) {
                errors.push((
                    format!("/parameters/{name}/values/{i}/value/child_support_percent"),
                    "must be 0–100".into(),
                ));
            }
        }
    }
}

/// 扶養親族等の数 from an income year and whether it is exact: `dependants` when given; else
/// `other_dependants` plus `children` (the household's children the scheme counts as supported at
/// 31 December); else only a lower bound — the children plus the 老人扶養親族 given, who cannot be
/// among them.
pub(crate) fn dependants_count(iy: &IncomeYear, children: u32) -> (u32, bool) {
    match (iy.dependants, iy.other_dependants) {
        (Some(n), _) => (n, true),
        (None, Some(other)) => (other + children, true),
        (None, None) => (children + iy.elderly_dependants, false),
    }
}

/// The steps of a 所得額 computation, for the trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct IncomeBreakdown {
    /// 給与所得 (computed from the salary or given).
    pub employment_income: Yen,
    /// 公的年金等に係る雑所得.
    pub pension_income: Yen,
    /// Reduction applied to their sum.
    pub employment_pension_reduction: Yen,
    /// Other 所得.
    pub other_income: Yen,
    /// The part of 養育費 that counts (円未満四捨五入).
    pub child_support: Yen,
    /// Sum of the listed deductions.
    pub deductions: Yen,
    /// 社会保険料相当額.
    pub flat_deduction: Yen,
    /// The resulting 所得額 (never negative).
    pub income: Yen,
}

/// Why a 所得額 cannot be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncomeGap {
    /// The 給与所得控除 for that income year is not known to the rulesets.
    DeductionNotKnown,
    /// A deduction the person claims has no known amount in the scheme's rules; the 所得額 is at
    /// most `at_most` (computed without it).
    RuleNotKnown {
        /// The 所得額 without the deduction whose amount is not known.
        at_most: Yen,
    },
}

/// A scheme's 所得額 for one income year. `deduction` is the year's 給与所得控除 (`None` when not
/// known), used only when a gross salary is given.
pub fn scheme_income(
    year: &IncomeYear,
    deduction: Option<&EmploymentDeduction>,
    rules: &IncomeRules,
) -> Result<IncomeBreakdown, IncomeGap> {
    let employment_income = match (year.employment_income, year.salary) {
        (Some(e), _) => e,
        (None, Some(salary)) => deduction.ok_or(IncomeGap::DeductionNotKnown)?.employment_income(salary),
        (None, None) => 0,
    };
    let sum = employment_income + year.pension_income;
    let reduction = rules.employment_pension_reduction.min(sum);
    let d = &year.deductions;
    // A claimed deduction whose amount is not known counts as 0, and the result is an upper bound.
    let mut unknown = false;
    let mut claimed = |on: bool, amount: Option<Yen>| match (on, amount) {
        (true, Some(a)) => a,
        (true, None) => {
            unknown = true;
            0
        }
        (false, _) => 0,
    };
    let listed = d.casualty_loss
        + d.medical
        + d.small_business_mutual_aid
        + rules.disabled * Yen::from(d.disabled)
        + rules.specially_disabled * Yen::from(d.specially_disabled)
        + claimed(d.widow, rules.widow)
        + claimed(d.single_parent, rules.single_parent)
        + if d.working_student { rules.working_student } else { 0 }
        + if rules.spouse_special { d.spouse_special } else { 0 };
    let child_support = Rate::percent(rules.child_support_percent).apply(year.child_support, Rounding::HalfUpYen);
    let income = (sum - reduction + year.other_income + child_support - listed - rules.flat_deduction).max(0);
    if unknown {
        return Err(IncomeGap::RuleNotKnown { at_most: income });
    }
    Ok(IncomeBreakdown {
        employment_income,
        pension_income: year.pension_income,
        employment_pension_reduction: reduction,
        other_income: year.other_income,
        child_support,
        deductions: listed,
        flat_deduction: rules.flat_deduction,
        income,
    })
}

#[cfg(test)]
mod tests;
