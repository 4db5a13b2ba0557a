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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
    /// 寡婦控除.
    pub widow: Yen,
    /// ひとり親控除.
    pub single_parent: Yen,
    /// 勤労学生控除.
    pub working_student: Yen,
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
    let listed = d.casualty_loss
        + d.medical
        + d.small_business_mutual_aid
        + rules.disabled * Yen::from(d.disabled)
        + rules.specially_disabled * Yen::from(d.specially_disabled)
        + if d.widow { rules.widow } else { 0 }
        + if d.single_parent { rules.single_parent } else { 0 }
        + if d.working_student { rules.working_student } else { 0 };
    let income = (sum - reduction + year.other_income - listed - rules.flat_deduction).max(0);
    Ok(IncomeBreakdown {
        employment_income,
        pension_income: year.pension_income,
        employment_pension_reduction: reduction,
        other_income: year.other_income,
        deductions: listed,
        flat_deduction: rules.flat_deduction,
        income,
    })
}

#[cfg(test)]
mod tests;
