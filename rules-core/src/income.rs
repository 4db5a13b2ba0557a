//! 所得 computations shared by the income-tested schemes: 給与所得 from gross salary
//! (給与所得控除 by income year, 所得税法第28条 and 別表第五) and a scheme's 所得額 (the income the
//! scheme compares with its limits), with the deductions each scheme's 政令 lists.

use crate::calendar::{self, YearMonth};
use crate::household::IncomeYear;
use crate::money::{Rate, Rounding, Yen};
use crate::ruleset::{check_yen, validate_params, Param, Parameters, RulesetFile, Validity, MAX_YEN};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One bracket of 給与所得控除: for salary above `over`, `rate_percent` % of the salary plus `plus`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TableStep {
    /// Salary from which this step applies.
    pub from: Yen,
    /// Rounding step in yen.
    pub step: Yen,
}

/// 給与所得控除 for one income year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

/// 所得金額調整控除 for 子ども・特別障害者等を有する者等 (租税特別措置法第41条の3の11第1項, created
/// as 第41条の3の3 for 2020 income; 住民税 the same): for a salary over `salary_over`, 給与所得 is
/// reduced by (min(salary, `salary_cap`) − `salary_over`) × `percent` %, 円未満切上げ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IncomeAdjustment {
    /// 給与等の収入金額 above which the deduction applies (8,500,000).
    pub salary_over: Yen,
    /// The salary counted at most (10,000,000).
    pub salary_cap: Yen,
    /// Percentage of the salary above `salary_over` (10).
    pub percent: i64,
    /// A 扶養親族 under this age at 31 December qualifies the earner (23).
    pub dependant_age_under: u32,
    /// 扶養親族: 合計所得金額 at most this (480,000 for 2020–2024 income, 580,000 from 2025).
    pub dependant_income_limit: Yen,
}

impl IncomeAdjustment {
    /// The deduction for a salary (0 up to `salary_over`).
    pub fn amount(&self, salary: Yen) -> Yen {
        let base = salary.min(self.salary_cap) - self.salary_over;
        if base <= 0 {
            return 0;
        }
        Rate::percent(self.percent).apply(base, Rounding::CeilYen)
    }
}

/// The parameters of `income/employment_income_deduction`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EmploymentIncomeParams {
    /// 給与所得控除 by income year (`from` = January of the first income year).
    pub deduction: Param<EmploymentDeduction>,
    /// 所得金額調整控除 (子ども・特別障害者等) by income year; `not_in_force` before 2020 income.
    pub adjustment: Param<IncomeAdjustment>,
}

/// What turns a gross salary of one income year into 給与所得: the 給与所得控除 (`None`: not
/// known) and the 所得金額調整控除 (`None`: not in force or not known).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SalaryRules<'a> {
    pub(crate) deduction: Option<&'a EmploymentDeduction>,
    pub(crate) adjustment: Option<&'a IncomeAdjustment>,
    /// Whether the 所得金額調整控除 of this year is not known (a qualifying salary then has a
    /// 所得額 that is not known).
    pub(crate) adjustment_not_known: bool,
}

impl RulesetFile<EmploymentIncomeParams> {
    /// The rules for calendar year `year`'s salary.
    pub(crate) fn salary_rules(&self, year: i32) -> SalaryRules<'_> {
        let Some(january) = YearMonth::new(year, 1).filter(|m| self.valid.contains(*m)) else {
            return SalaryRules::default();
        };
        let adjustment = self.parameters.adjustment.at(january);
        SalaryRules {
            deduction: self.parameters.deduction.at(january).and_then(|d| d.value.as_ref()),
            adjustment: adjustment.and_then(|d| d.value.as_ref()),
            adjustment_not_known: adjustment
                .is_some_and(|d| d.value.is_none() && d.status == crate::ruleset::ValueStatus::Unknown),
        }
    }
}

/// A child of the household as the 所得金額調整控除 reads it (a possible 扶養親族 under 23).
#[derive(Debug, Clone, Copy)]
pub(crate) struct YoungDependant<'a> {
    /// Person index (for the trace).
    pub(crate) person: u32,
    pub(crate) birth: NaiveDate,
    /// Month of death, if any.
    pub(crate) died: Option<YearMonth>,
    /// Supported by the household (生計を一にする): in care, or an 18–22-year-old with a confirmed
    /// 監護相当・生計費の負担.
    pub(crate) in_care: bool,
    /// The child's own income for the year, if given (none given: no income).
    pub(crate) income: Option<&'a IncomeYear>,
}

/// Why a person's 給与所得 gets the 所得金額調整控除.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "basis", content = "person")]
pub enum AdjustmentBasis {
    /// Given as input (`income_adjustment: true`).
    Given,
    /// The person claims a 特別障害者控除 (for self, a 同一生計配偶者 or a 扶養親族).
    SpeciallyDisabled,
    /// A child of the household (person index) is a 扶養親族 under 23 at 31 December.
    YoungDependant(u32),
}

impl AdjustmentBasis {
    /// The stable code (the trace's branch).
    pub fn code(self) -> &'static str {
        match self {
            AdjustmentBasis::Given => "given",
            AdjustmentBasis::SpeciallyDisabled => "specially_disabled",
            AdjustmentBasis::YoungDependant(_) => "young_dependant",
        }
    }
}

/// Whether the 所得金額調整控除 applies to `iy` (the person's income for `year`): as given, or
/// derived — a 特別障害者控除 claimed, or (when `children` may be the person's 扶養親族: parents
/// and guardians) a child born by 31 December, alive in the year, in care, under
/// `dependant_age_under` on 31 December (年齢計算ニ関スル法律) and with 合計所得金額 within the
/// limit. Both parents may count the same child (unlike 扶養控除).
pub(crate) fn adjustment_basis<'a>(
    iy: &IncomeYear,
    year: i32,
    rules: &SalaryRules,
    children: impl IntoIterator<Item = YoungDependant<'a>>,
) -> Option<AdjustmentBasis> {
    let rule = rules.adjustment?;
    // Only a gross salary above the threshold is reduced.
    if iy.employment_income.is_some() || iy.salary.is_none_or(|s| s <= rule.salary_over) {
        return None;
    }
    match iy.income_adjustment {
        Some(true) => return Some(AdjustmentBasis::Given),
        Some(false) => return None,
        None => {}
    }
    if iy.deductions.specially_disabled > 0 {
        return Some(AdjustmentBasis::SpeciallyDisabled);
    }
    let dec31 = NaiveDate::from_ymd_opt(year, 12, 31)?;
    children
        .into_iter()
        .find(|c| {
            c.in_care
                && c.birth <= dec31
                && c.died.is_none_or(|d| d.year() >= year)
                && calendar::age_reached_on(c.birth, rule.dependant_age_under).is_none_or(|d| d > dec31)
                && c.income.is_none_or(|ci| total_income(ci, rules).is_some_and(|t| t <= rule.dependant_income_limit))
        })
        .map(|c| AdjustmentBasis::YoungDependant(c.person))
}

/// 合計所得金額 of a year as far as the input gives it (給与所得 + 年金 + other), `None` when the
/// 給与所得控除 needed is not known.
fn total_income(iy: &IncomeYear, rules: &SalaryRules) -> Option<Yen> {
    let employment = match (iy.employment_income, iy.salary) {
        (Some(e), _) => e,
        (None, Some(s)) => rules.deduction?.employment_income(s),
        (None, None) => 0,
    };
    Some(employment + iy.pension_income + iy.other_income)
}

impl Parameters for EmploymentIncomeParams {
    fn validate(&self, validity: &Validity, errors: &mut Vec<(String, String)>) {
        validate_params!(self, validity, errors: deduction, adjustment);
        check_yen(
            "adjustment",
            &self.adjustment,
            MAX_YEN,
            |a| vec![a.salary_over, a.salary_cap, a.dependant_income_limit],
            errors,
        );
        for (i, v) in self.adjustment.values.iter().enumerate() {
            let bad = v.value.as_ref().is_some_and(|a| {
                !(0..=100).contains(&a.percent)
                    || a.salary_cap < a.salary_over
                    || !(1..=30).contains(&a.dependant_age_under)
            });
            if bad {
                errors.push((
                    format!("/parameters/adjustment/values/{i}/value"),
                    "percent must be 0–100, salary_cap at least salary_over, and the age 1–30".into(),
                ));
            }
            if v.from.month() != 1 {
                errors.push((
                    format!("/parameters/adjustment/values/{i}/from"),
                    "income-year values start in January".into(),
                ));
            }
        }
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// 給与所得 (computed from the salary, after the 所得金額調整控除, or given).
    pub employment_income: Yen,
    /// 所得金額調整控除 deducted from the 給与所得 computed from a salary (0 when none).
    pub income_adjustment: Yen,
    /// Why the 所得金額調整控除 applies, when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adjustment_basis: Option<AdjustmentBasis>,
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

/// A scheme's 所得額 for one income year. `salary` gives the year's 給与所得控除 and
/// 所得金額調整控除, used only when a gross salary is given; `basis` says whether (and why) the
/// 所得金額調整控除 applies ([`adjustment_basis`]). A 給与所得 given directly is taken as it is
/// (after the 所得金額調整控除, as on the 課税証明書).
pub(crate) fn scheme_income(
    year: &IncomeYear,
    salary: &SalaryRules,
    basis: Option<AdjustmentBasis>,
    rules: &IncomeRules,
) -> Result<IncomeBreakdown, IncomeGap> {
    let (employment_income, income_adjustment) = match (year.employment_income, year.salary) {
        (Some(e), _) => (e, 0),
        (None, Some(gross)) => {
            // A year whose 所得金額調整控除 is not known: no salary has a known 所得額.
            if salary.adjustment_not_known {
                return Err(IncomeGap::DeductionNotKnown);
            }
            let before = salary.deduction.ok_or(IncomeGap::DeductionNotKnown)?.employment_income(gross);
            let adjustment = match (basis, salary.adjustment) {
                (Some(_), Some(rule)) => rule.amount(gross).min(before),
                _ => 0,
            };
            (before - adjustment, adjustment)
        }
        (None, None) => (0, 0),
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
        income_adjustment,
        adjustment_basis: basis.filter(|_| income_adjustment > 0),
        pension_income: year.pension_income,
        employment_pension_reduction: reduction,
        other_income: year.other_income,
        child_support,
        deductions: listed,
        flat_deduction: rules.flat_deduction,
        income,
    })
}

impl RulesetFile<EmploymentIncomeParams> {
    /// The trace step of the 所得金額調整控除 in `b`, person `person`'s breakdown for `year`, if one
    /// was deducted.
    pub(crate) fn adjustment_step(
        &self,
        hh: &crate::household::Household,
        person: usize,
        year: i32,
        b: &IncomeBreakdown,
    ) -> Option<crate::explain::TraceStep> {
        let basis = b.adjustment_basis?;
        let january = YearMonth::new(year, 1)?;
        let id = &hh.persons.get(person)?.id;
        let value = hh.persons.get(person).and_then(|p| p.income.get(&crate::household::IncomeYearKey(year)));
        let (why_ja, why_en, path, input) = match basis {
            AdjustmentBasis::Given => (
                "入力による".to_owned(),
                "as given".to_owned(),
                format!("/persons/{person}/income/{year}/income_adjustment"),
                serde_json::json!(true),
            ),
            AdjustmentBasis::SpeciallyDisabled => (
                "特別障害者控除の対象者がいるため".to_owned(),
                "a 特別障害者控除 is claimed".to_owned(),
                format!("/persons/{person}/income/{year}/deductions/specially_disabled"),
                serde_json::json!(value.map(|v| v.deductions.specially_disabled)),
            ),
            AdjustmentBasis::YoungDependant(c) => {
                let child = hh.persons.get(c as usize);
                let name = child.map_or("", |p| p.id.as_str());
                (
                    format!("{year}年12月31日に23歳未満の扶養親族（{name}）がいるため"),
                    format!("{name} is a 扶養親族 under 23 on 31 December {year}"),
                    format!("/persons/{c}/birth_date"),
                    serde_json::json!(child.and_then(|p| p.birth_date)),
                )
            }
        };
        Some(crate::explain::TraceStep {
            rule: crate::scheme::Code::new("income.adjustment"),
            citation: self.parameters.adjustment.citation.clone(),
            branch: basis.code().into(),
            ja: format!(
                "{id}の{year}年の給与所得から所得金額調整控除{}を差し引きます（{why_ja}）。調整後の給与所得{}。",
                crate::schemes::yen(b.income_adjustment, crate::schemes::Lang::Ja),
                crate::schemes::yen(b.employment_income, crate::schemes::Lang::Ja)
            ),
            en: format!(
                "{id}: {year} 給与所得 reduced by the 所得金額調整控除 of {} ({why_en}); 給与所得 after it {}.",
                crate::schemes::yen(b.income_adjustment, crate::schemes::Lang::En),
                crate::schemes::yen(b.employment_income, crate::schemes::Lang::En)
            ),
            parameters: crate::explain::ParamUse::of(
                &self.id,
                "adjustment",
                &self.parameters.adjustment,
                january,
                None,
            )
            .into_iter()
            .collect(),
            inputs: vec![
                crate::explain::InputUse {
                    path: format!("/persons/{person}/income/{year}/salary"),
                    value: serde_json::json!(value.and_then(|v| v.salary)),
                },
                crate::explain::InputUse { path, value: input },
            ],
        })
    }
}

#[cfg(test)]
mod tests;
