//! 国民健康保険 (National Health Insurance) premiums as their reductions read them, computed once
//! per fiscal year: the 国保 household on the day its 軽減 is judged (世帯主, 被保険者,
//! 特定同一世帯所属者), its 軽減判定所得 and 7割・5割・2割軽減 (国民健康保険法施行令第29条の7
//! 第5項第1号〜第3号, 附則第5条), each person's 所得割 base, and the yen a reduction of a person's
//! 所得割 or 均等割 removes from the household's premium under its 賦課限度額.
//!
//! The national figures are the shared ruleset `nhi/income_reduction`; a municipality's rates
//! (医療分・後期高齢者支援金分・介護分: 所得割率, 均等割額, 平等割額, 賦課限度額) are its file
//! `municipal/<code>/nhi_rates`. Amounts are kept exact (in 1/2,400,000 yen) until the one
//! rounding of the reported figure, 円未満切捨て.

use crate::calendar::{self, YearMonth};
use crate::concepts::child::ChildDates;
use crate::concepts::on_day::{residence_on, used, Draft, Exempt};
use crate::explain::ParamUse;
use crate::household::{IncomeYearKey, InsuranceKind, InsuredStatus, Person, Role, ValidHousehold};
use crate::income::{self, EmploymentIncomeParams};
use crate::money::Yen;
use crate::ruleset::{check_yen, Param, Parameters, RulesetFile, Validity, MAX_YEN};
use chrono::NaiveDate;
use std::sync::Arc;

/// Yen are kept in units of 1/`SCALE` yen: exact for a rate in hundredths of a percent (10,000),
/// a reduction in tenths (10), a month of a year (12) and a half (2).
const SCALE: i128 = 2_400_000;

/// Amounts by age (65 and over or not), as the 公的年金等 rules set them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ByAge {
    /// Under 65 on 31 December of the income year.
    pub under_65: Yen,
    /// 65 or over on 31 December of the income year.
    pub from_65: Yen,
}

/// The parameters of `nhi/income_reduction`, by fiscal year (`from` = April).
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NhiReductionParams {
    /// 基礎控除 (地方税法第314条の2第2項): the 7割軽減 base and what the 所得割 base deducts.
    basic_deduction: Param<Yen>,
    /// The 合計所得金額 up to which the 基礎控除 is whole (above it the 所得割 base is not encoded).
    basic_deduction_up_to: Param<Yen>,
    /// 5割軽減: the addition per 被保険者・特定同一世帯所属者.
    per_insured_half: Param<Yen>,
    /// 2割軽減: the addition per 被保険者・特定同一世帯所属者.
    per_insured_fifth: Param<Yen>,
    /// The addition per 給与所得者等 beyond the first.
    per_extra_earner: Param<Yen>,
    /// A 給与所得者等 has a salary (給与等の収入金額) above this.
    earner_salary_over: Param<Yen>,
    /// … or 公的年金等の収入金額 above this.
    earner_pension_over: Param<ByAge>,
    /// 公的年金等控除's least amount (what separates 収入 from 雑所得 below 330万円).
    pension_deduction_minimum: Param<ByAge>,
    /// Deducted from the 公的年金等に係る雑所得 of a person 65 or over (附則第5条).
    pension_special_deduction: Param<Yen>,
    /// The shares reduced, in tenths: 7割, 5割, 2割 (十分の七・十分の五・十分の二).
    reduction_tenths: Param<[u32; 3]>,
    /// 所得金額調整控除 for 給与所得 and 公的年金等に係る雑所得 together (each up to this, less this).
    salary_pension_adjustment: Param<Yen>,
}

impl Parameters for NhiReductionParams {
    fn validate(&self, validity: &Validity, errors: &mut Vec<(String, String)>) {
        let yen = [
            ("basic_deduction", &self.basic_deduction),
            ("basic_deduction_up_to", &self.basic_deduction_up_to),
            ("per_insured_half", &self.per_insured_half),
            ("per_insured_fifth", &self.per_insured_fifth),
            ("per_extra_earner", &self.per_extra_earner),
            ("earner_salary_over", &self.earner_salary_over),
            ("pension_special_deduction", &self.pension_special_deduction),
            ("salary_pension_adjustment", &self.salary_pension_adjustment),
        ];
        for (name, p) in yen {
            p.validate(name, validity, errors);
            check_yen(name, p, MAX_YEN, |y| vec![*y], errors);
        }
        for (name, p) in [
            ("earner_pension_over", &self.earner_pension_over),
            ("pension_deduction_minimum", &self.pension_deduction_minimum),
        ] {
            p.validate(name, validity, errors);
            check_yen(name, p, MAX_YEN, |a| vec![a.under_65, a.from_65], errors);
        }
        self.reduction_tenths.validate("reduction_tenths", validity, errors);
        for (i, v) in self.reduction_tenths.values.iter().enumerate() {
            if v.value.is_some_and(|[a, b, c]| !(10 >= a && a > b && b > c && c > 0)) {
                errors.push((
                    format!("/parameters/reduction_tenths/values/{i}/value"),
                    "expected three shares in tenths, decreasing, each 1 to 10".into(),
                ));
            }
        }
    }
}

/// One part of a municipality's 国保 premium for a fiscal year (医療分, 後期高齢者支援金分 or
/// 介護分; 3方式: no 資産割).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NhiPart {
    /// 所得割率 in hundredths of a percent (6.71 % = 671), on the 所得割 base.
    pub income_basis_points: u32,
    /// 均等割額 per 被保険者 (a year).
    pub per_insured: Yen,
    /// 平等割額 per household (a year).
    pub per_household: Yen,
    /// 賦課限度額 (a year).
    pub cap: Yen,
}

/// The parameters of a municipality's `municipal/<code>/nhi_rates`, by fiscal year (`from` =
/// April).
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NhiRatesParams {
    /// 基礎課税額 (医療分).
    medical: Param<NhiPart>,
    /// 後期高齢者支援金等課税額.
    support: Param<NhiPart>,
    /// 介護納付金課税額 (介護保険第2号被保険者: 40 to 64).
    care: Param<NhiPart>,
}

impl Parameters for NhiRatesParams {
    fn validate(&self, validity: &Validity, errors: &mut Vec<(String, String)>) {
        for (name, p) in [("medical", &self.medical), ("support", &self.support), ("care", &self.care)] {
            p.validate(name, validity, errors);
            check_yen(name, p, MAX_YEN, |v| vec![v.per_insured, v.per_household, v.cap], errors);
            for (i, v) in p.values.iter().enumerate() {
                if v.value.is_some_and(|v| v.income_basis_points > 10_000) {
                    errors.push((
                        format!("/parameters/{name}/values/{i}/value/income_basis_points"),
                        "a 所得割率 above 100 %".into(),
                    ));
                }
            }
        }
    }
}

/// The 全国地方公共団体コード check digit of a 5-digit code (11 minus the weighted sum 6-5-4-3-2
/// modulo 11, its last digit).
pub(crate) fn check_digit(code5: &str) -> Option<u8> {
    let digits: Vec<u32> = code5.chars().map(|c| c.to_digit(10)).collect::<Option<_>>()?;
    if digits.len() != 5 {
        return None;
    }
    let sum: u32 = digits.iter().zip([6, 5, 4, 3, 2]).map(|(d, w)| d * w).sum();
    Some(((11 - sum % 11) % 10) as u8)
}

/// The 国保 rules the engine has: the national figures, every municipality's rates, and the
/// 給与所得控除 the 所得 reads.
#[derive(Debug)]
pub(crate) struct NhiRules {
    pub(crate) reduction: RulesetFile<NhiReductionParams>,
    /// By 5-digit municipality code.
    pub(crate) rates: Vec<(String, RulesetFile<NhiRatesParams>)>,
    pub(crate) employment: Arc<RulesetFile<EmploymentIncomeParams>>,
}

/// A municipality's rates for one fiscal year: the ruleset id and its three parts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rates<'a> {
    pub(crate) ruleset: &'a str,
    pub(crate) parts: [NhiPart; 3],
}

/// The share of the 均等割 and 平等割 removed by the 7割・5割・2割軽減, in tenths (0: none).
pub(crate) type Tenths = u32;

/// Why a fiscal year's 国保 household cannot be assessed.
#[derive(Debug)]
pub(crate) enum Gap {
    /// No one of the household is in 国保 in the year.
    NotInNhi,
    /// Inputs that decide it are missing (JSON pointers).
    Missing(Vec<String>),
    /// A figure the rules need is not known (the 給与所得控除 of the income year).
    NotKnown,
}

/// A 国保 household of one fiscal year, as its 軽減 is judged.
#[derive(Debug)]
pub(crate) struct NhiYear {
    pub(crate) fy: i32,
    /// 賦課期日 4月1日, or the day the household joins later in the year.
    pub(crate) judged_on: NaiveDate,
    /// 被保険者 and 特定同一世帯所属者 counted (the 軽減's head count).
    pub(crate) counted: u32,
    /// 軽減判定所得.
    pub(crate) income: Yen,
    /// 給与所得者等の数 among the 世帯主 and those counted.
    pub(crate) earners: u32,
    /// The 7割, 5割 and 2割 limits (`None`: the fiscal year's figures are not known).
    pub(crate) limits: Option<[Yen; 3]>,
    /// The share reduced (`None`: not known).
    pub(crate) band: Option<Tenths>,
    /// Everyone in 国保 in some month of the year: person, the months, the 所得割 base (`None`:
    /// not encoded for a 合計所得金額 that large).
    insured: Vec<Insured>,
}

/// A person in 国保 in some month of a fiscal year.
#[derive(Debug)]
struct Insured {
    person: usize,
    months: Vec<YearMonth>,
    /// 介護保険第2号被保険者 in each of `months`.
    care: Vec<bool>,
    base: Option<Yen>,
}

/// Whether `p` is a 国保 被保険者 on `day`.
pub(crate) fn insured_on(p: &Person, day: NaiveDate) -> bool {
    p.insurance_on(day)
        .is_some_and(|(_, i)| i.kind == InsuranceKind::NationalHealth && i.status == InsuredStatus::Insured)
}

/// Whether `p` is a 国保 被保険者 in month `m` (on its last day: the month of joining counts, the
/// month of leaving does not).
pub(crate) fn insured_in(p: &Person, m: YearMonth) -> bool {
    insured_on(p, m.last_day())
}

/// Whether `p` is a 介護保険第2号被保険者 (40 to 64) in month `m`: from the month of the day they
/// turn 40 (年齢到達日) to the month before the one in which they turn 65.
pub(crate) fn care_age_in(p: &Person, m: YearMonth) -> bool {
    let Some(birth) = p.birth_date else { return false };
    let reached = |n| calendar::age_reached_on(birth, n).map(YearMonth::of);
    reached(40).is_some_and(|a| a <= m) && reached(65).is_some_and(|b| m < b)
}

/// 特定同一世帯所属者: on `day` in 後期高齢者医療, having left 国保 for it (the entry before is 国保).
fn specified_on(p: &Person, day: NaiveDate) -> bool {
    let i = p.health_insurance.partition_point(|h| h.since <= day);
    let (Some(now), Some(before)) = (i.checked_sub(1), i.checked_sub(2)) else { return false };
    p.health_insurance[now].kind == InsuranceKind::LateElderly
        && p.health_insurance[before].kind == InsuranceKind::NationalHealth
        && p.health_insurance[before].status == InsuredStatus::Insured
}

/// What one person's income of a year gives: 給与所得 (after the 所得金額調整控除), 公的年金等に
/// 係る雑所得 and other 所得.
struct Earned {
    employment: Yen,
    pension: Yen,
    other: Yen,
    salary_over: bool,
}

impl NhiRules {
    /// The figure of a national parameter for fiscal year `fy`.
    fn national<T: Copy>(&self, p: &Param<T>, fy: i32) -> Option<T> {
        let april = YearMonth::new(fy, 4)?;
        self.reduction.valid.contains(april).then(|| p.at(april)?.value).flatten()
    }

    /// The rates of municipality `code` (5 or 6 digits) for fiscal year `fy`, when encoded.
    pub(crate) fn rates(&self, code: &str, fy: i32) -> Option<Rates<'_>> {
        let april = YearMonth::new(fy, 4)?;
        let (_, file) = self.rates.iter().find(|(c, _)| code.get(..5) == Some(c.as_str()))?;
        let p = &file.parameters;
        let on = |part: &Param<NhiPart>| file.valid.contains(april).then(|| part.at(april)?.value).flatten();
        Some(Rates { ruleset: &file.id, parts: [on(&p.medical)?, on(&p.support)?, on(&p.care)?] })
    }

    /// A person's income of `year` (`Ok(None)`: not given for a child, who then has none).
    fn earned(&self, hh: &ValidHousehold, i: usize, year: i32) -> Result<Option<Earned>, Gap> {
        let p = &hh.persons[i];
        let Some(iy) = p.income.get(&IncomeYearKey(year)) else {
            // A child under 16 on 31 December (below the 扶養控除 age) with no income given has none.
            let dec31 = NaiveDate::from_ymd_opt(year, 12, 31);
            let young = p.role == Role::Child
                && p.birth_date.and_then(|b| calendar::age_reached_on(b, 16)).zip(dec31).is_some_and(|(a, d)| a > d);
            return if young { Ok(None) } else { Err(Gap::Missing(vec![format!("/persons/{i}/income/{year}")])) };
        };
        let salary = self.employment.salary_rules(year);
        // A parent's or guardian's 扶養親族 may be the household's children (所得金額調整控除).
        let may_support = matches!(p.role, Role::Parent | Role::Guardian);
        let young = (hh.persons.iter().enumerate().filter(|_| may_support))
            .filter_map(|(c, k)| Some(ChildDates::of(c, k)?.young_dependant(k.income.get(&IncomeYearKey(year)))));
        let basis = income::adjustment_basis(iy, year, &salary, young);
        // Only the 所得 are read, no personal deduction: 寡婦・ひとり親控除 count as 0.
        let rules = income::IncomeRules { widow: Some(0), single_parent: Some(0), ..Default::default() };
        let b = income::scheme_income(iy, &salary, basis, &rules).map_err(|_| Gap::NotKnown)?;
        // 所得金額調整控除 (給与所得 and 年金所得 both): each up to 10万円, less 10万円, from 給与所得.
        let both =
            self.national(&self.reduction.parameters.salary_pension_adjustment, year + 1).ok_or(Gap::NotKnown)?;
        let adjustment = (b.employment_income.min(both) + b.pension_income.min(both) - both).max(0);
        let over = self.national(&self.reduction.parameters.earner_salary_over, year + 1);
        let salary_over = match (iy.salary, over) {
            (Some(s), Some(o)) => s > o,
            _ => b.employment_income > 0,
        };
        Ok(Some(Earned {
            employment: b.employment_income - adjustment,
            pension: b.pension_income,
            other: b.other_income,
            salary_over,
        }))
    }

    /// The 所得割 base (総所得金額等 − 基礎控除), `None` above the 合計所得金額 whose 基礎控除
    /// is whole.
    fn base_of(e: &Earned, basic: Yen, up_to: Yen) -> Option<Yen> {
        let total = e.employment + e.pension + e.other;
        (total <= up_to).then_some((total - basic).max(0))
    }

    /// The trace's record of the national figures the 軽減 of fiscal year `fy` used.
    pub(crate) fn figures_used(&self, fy: i32) -> Vec<Option<ParamUse>> {
        let (n, id) = (&self.reduction.parameters, self.reduction.id.as_str());
        let Some(april) = NaiveDate::from_ymd_opt(fy, 4, 1) else { return Vec::new() };
        vec![
            used(id, "basic_deduction", &n.basic_deduction, april),
            used(id, "per_insured_half", &n.per_insured_half, april),
            used(id, "per_insured_fifth", &n.per_insured_fifth, april),
            used(id, "per_extra_earner", &n.per_extra_earner, april),
        ]
    }

    /// The citation of the 7割・5割・2割軽減.
    pub(crate) fn citation(&self) -> &str {
        &self.reduction.parameters.per_insured_half.citation
    }

    /// The 国保 household of fiscal year `fy` with its 軽減 traced, or `None` with why
    /// recorded in `draft`.
    pub(crate) fn assessed(&self, hh: &ValidHousehold, fy: i32, draft: &mut Draft<Exempt>) -> Option<NhiYear> {
        match self.year(hh, fy) {
            Ok(y) => {
                if y.band.is_none() {
                    draft.not_known = true;
                }
                draft.step("income_reduction", self.citation(), || {
                    let (ja, en) = y.band_text();
                    (ja, en, self.figures_used(fy))
                });
                Some(y)
            }
            Err(Gap::Missing(m)) => {
                m.into_iter().for_each(|m| draft.missing(m));
                None
            }
            Err(Gap::NotKnown | Gap::NotInNhi) => {
                draft.not_known = true;
                None
            }
        }
    }

    /// The yen a reduction removes from the household's premium of fiscal year `fy` in
    /// municipality `code`, with the rates' ruleset id: `cut` gives the reduction from the year's
    /// household and rates. `None`, with why recorded in `draft`: inputs missing, the 軽減 or the
    /// base not known, or no rates encoded (warning `rates_not_encoded`); `cap_reached` when a
    /// 賦課限度額 keeps part of it.
    pub(crate) fn waive<'a>(
        &'a self,
        hh: &ValidHousehold,
        fy: i32,
        code: Option<&str>,
        draft: &mut Draft<Exempt>,
        cut: impl FnOnce(&NhiYear, &Rates, &mut Draft<Exempt>) -> Option<Reduction>,
    ) -> Option<(Yen, &'a str)> {
        let year = self.assessed(hh, fy, draft)?;
        let Some(code) = code else {
            draft.missing("/residence".into());
            return None;
        };
        let Some(rates) = self.rates(code, fy) else {
            draft.warn("rates_not_encoded");
            return None;
        };
        let cut = cut(&year, &rates, draft)?;
        let Some((yen, capped)) = year.waived(&rates, cut) else {
            // A 所得割 base of the household is not encoded (合計所得金額 over the 基礎控除's step).
            draft.warn("base_not_encoded");
            draft.not_known = true;
            return None;
        };
        if capped {
            draft.warn("cap_reached");
        }
        Some((yen, rates.ruleset))
    }

    /// The 国保 household of fiscal year `fy` and its 軽減.
    pub(crate) fn year(&self, hh: &ValidHousehold, fy: i32) -> Result<NhiYear, Gap> {
        let april = NaiveDate::from_ymd_opt(fy, 4, 1).ok_or(Gap::NotInNhi)?;
        let march = NaiveDate::from_ymd_opt(fy + 1, 3, 31).ok_or(Gap::NotInNhi)?;
        let in_nhi = |day: NaiveDate| hh.persons.iter().any(|p| insured_on(p, day));
        // 賦課期日 4月1日; a household joining later is judged on the day it joins.
        let judged_on = if in_nhi(april) {
            april
        } else {
            let mut joins: Vec<NaiveDate> = (hh.persons.iter().flat_map(|p| &p.health_insurance))
                .map(|h| h.since)
                .filter(|d| (april..=march).contains(d) && in_nhi(*d))
                .collect();
            joins.sort();
            *joins.first().ok_or(Gap::NotInNhi)?
        };
        let Some(head) = hh.householder.as_ref().and_then(|id| hh.persons.iter().position(|p| &p.id == id)) else {
            return Err(Gap::Missing(vec!["/householder".into()]));
        };
        let members: Vec<usize> = (0..hh.persons.len()).filter(|&i| insured_on(&hh.persons[i], judged_on)).collect();
        let specified: Vec<usize> =
            (0..hh.persons.len()).filter(|&i| specified_on(&hh.persons[i], judged_on)).collect();
        let year = fy - 1;
        let dec31 = NaiveDate::from_ymd_opt(year, 12, 31).ok_or(Gap::NotInNhi)?;
        let n = &self.reduction.parameters;
        let fig = |p: &Param<Yen>| self.national(p, fy).ok_or(Gap::NotKnown);
        let (Some(pension_over), Some(minimum)) =
            (self.national(&n.earner_pension_over, fy), self.national(&n.pension_deduction_minimum, fy))
        else {
            return Err(Gap::NotKnown);
        };
        let (special, basic, up_to) =
            (fig(&n.pension_special_deduction)?, fig(&n.basic_deduction)?, fig(&n.basic_deduction_up_to)?);
        let mut tested: Vec<usize> = members.iter().chain(&specified).copied().collect();
        if !tested.contains(&head) {
            tested.push(head);
        }
        // Everyone in 国保 in a month of the year (their premium counts against the 限度額).
        let fy_months: Vec<YearMonth> = YearMonth::of(april).through(YearMonth::of(march)).collect();
        let insured_in_year: Vec<(usize, Vec<YearMonth>)> = (0..hh.persons.len())
            .map(|i| (i, fy_months.iter().copied().filter(|m| insured_in(&hh.persons[i], *m)).collect::<Vec<_>>()))
            .filter(|(_, ms)| !ms.is_empty())
            .collect();
        let (mut income, mut earners, mut missing) = (0, 0u32, Vec::new());
        let mut earned: Vec<(usize, Earned)> = Vec::new();
        for i in tested.iter().copied().chain(insured_in_year.iter().map(|(i, _)| *i)) {
            if earned.iter().any(|(p, _)| *p == i) {
                continue;
            }
            match self.earned(hh, i, year) {
                Ok(e) => {
                    earned.push((i, e.unwrap_or(Earned { employment: 0, pension: 0, other: 0, salary_over: false })))
                }
                Err(Gap::Missing(m)) => missing.extend(m),
                Err(g) => return Err(g),
            }
        }
        // The age decides the 介護分 of everyone insured, and the pension rules of those tested.
        for &i in tested.iter().chain(insured_in_year.iter().map(|(i, _)| i)) {
            let pointer = format!("/persons/{i}/birth_date");
            if hh.persons[i].birth_date.is_none() && !missing.contains(&pointer) {
                missing.push(pointer);
            }
        }
        if !missing.is_empty() {
            return Err(Gap::Missing(missing));
        }
        let of = |i: usize| earned.iter().find(|(p, _)| *p == i).map(|(_, e)| e);
        for &i in &tested {
            let Some(e) = of(i) else { continue };
            let elderly =
                hh.persons[i].birth_date.and_then(|b| calendar::age_reached_on(b, 65)).is_some_and(|d| d <= dec31);
            let (over, least) = if elderly {
                (pension_over.from_65, minimum.from_65)
            } else {
                (pension_over.under_65, minimum.under_65)
            };
            // 公的年金等の収入金額 above `over` is a 雑所得 above `over` − the least 公的年金等控除
            // (while the other 合計所得金額 is at most 1,000万円).
            let pensioner = e.pension > (over - least).max(0);
            if e.salary_over || pensioner {
                earners += 1;
            }
            let pension = if elderly { (e.pension - special).max(0) } else { e.pension };
            income += e.employment + pension + e.other;
        }
        let insured = insured_in_year
            .into_iter()
            .map(|(i, months)| Insured {
                person: i,
                care: months.iter().map(|m| care_age_in(&hh.persons[i], *m)).collect(),
                months,
                base: of(i).and_then(|e| Self::base_of(e, basic, up_to)),
            })
            .collect();
        let counted = (members.len() + specified.len()) as u32;
        let limits = (|| {
            let extra = fig(&n.per_extra_earner).ok()? * Yen::from(earners.saturating_sub(1));
            let seven = basic + extra;
            let half = fig(&n.per_insured_half).ok()? * Yen::from(counted);
            let fifth = fig(&n.per_insured_fifth).ok()? * Yen::from(counted);
            Some([seven, seven + half, seven + fifth])
        })();
        let band = limits.zip(self.national(&n.reduction_tenths, fy)).map(|(l, t)| {
            // 「超えない」: a 軽減判定所得 equal to the limit is reduced.
            l.iter().zip(t).find(|(limit, _)| income <= **limit).map_or(0, |(_, t)| t)
        });
        Ok(NhiYear { fy, judged_on, counted, income, earners, limits, band, insured })
    }
}

/// A reduction of a household's premium, by part, in 1/`SCALE` yen.
pub(crate) type Reduction = [i128; 3];

impl NhiYear {
    /// The 所得割 base of person `i`, in 国保 in the year (`Some(None)`: not encoded for that
    /// income; `None`: not in 国保 in the year).
    pub(crate) fn base(&self, i: usize) -> Option<Option<Yen>> {
        self.insured.iter().find(|p| p.person == i).map(|p| p.base)
    }

    /// A member's 均等割 of each part after the 7割・5割・2割軽減, in 1/`SCALE` yen (`care`: with
    /// the 介護分; `None`: the 軽減 is not known).
    pub(crate) fn per_capita(&self, rates: &Rates, care: bool) -> Option<Reduction> {
        let left = i128::from(10 - self.band?);
        Some(std::array::from_fn(|k| {
            let applies = k != 2 || care;
            if applies {
                i128::from(rates.parts[k].per_insured) * left * SCALE / 10
            } else {
                0
            }
        }))
    }

    /// The 所得割 of each part on `base`, in 1/`SCALE` yen (`care`: with the 介護分).
    pub(crate) fn income_levy(rates: &Rates, base: Yen, care: bool) -> Reduction {
        std::array::from_fn(|k| {
            if k != 2 || care {
                i128::from(base) * i128::from(rates.parts[k].income_basis_points) * (SCALE / 10_000)
            } else {
                0
            }
        })
    }

    /// The text of the 軽減 judged (Japanese, English).
    pub(crate) fn band_text(&self) -> (String, String) {
        let (fy, i, n, g) = (self.fy, self.income, self.counted, self.earners);
        let band = match self.band {
            Some(0) => ("軽減なし".to_owned(), "no reduction".to_owned()),
            Some(t) => (format!("{t}割軽減"), format!("{t}0 % reduction")),
            None => ("軽減の基準額が未収録".to_owned(), "the limits are not known".to_owned()),
        };
        let limits = self.limits.map_or((String::new(), String::new()), |[a, b, c]| {
            (format!("（7割 {a}円・5割 {b}円・2割 {c}円以下）"), format!(" (7割 up to {a}, 5割 {b}, 2割 {c})"))
        });
        (
            format!(
                "{fy}年度（{}判定）: 軽減判定所得 {i}円、被保険者等 {n}人、給与所得者等 {g}人{} → {}",
                self.judged_on, limits.0, band.0
            ),
            format!(
                "FY{fy} (judged on {}): 軽減判定所得 {i} yen, {n} insured, {g} earners{} → {}",
                self.judged_on, limits.1, band.1
            ),
        )
    }

    /// The household's premium of each part for the year before any cap, in 1/`SCALE` yen:
    /// month by month, a twelfth of each insured person's 所得割 and 均等割 (the 介護分 in the
    /// months they are 40 to 64) and of the 平等割 (`None`: a base is not known).
    fn premium(&self, rates: &Rates) -> Option<Reduction> {
        let mut total = [0i128; 3];
        let mut household: std::collections::BTreeMap<YearMonth, bool> = Default::default();
        for p in &self.insured {
            let base = p.base?;
            for (m, care) in p.months.iter().zip(&p.care) {
                let (a, b) = (Self::income_levy(rates, base, *care), self.per_capita(rates, *care)?);
                let month = share_of(std::array::from_fn(|k| a[k] + b[k]), 1, 12, 10);
                (0..3).for_each(|k| total[k] += month[k]);
                *household.entry(*m).or_default() |= *care;
            }
        }
        let left = i128::from(10 - self.band?);
        for care in household.values() {
            for (k, t) in total.iter_mut().enumerate() {
                if k != 2 || *care {
                    *t += i128::from(rates.parts[k].per_household) * left * SCALE / 10 / 12;
                }
            }
        }
        Some(total)
    }

    /// The yen `cut` removes from the household's premium: by part, what the premium under its
    /// 賦課限度額 loses (nothing while the premium stays above it), summed and 円未満切捨て. The
    /// second value says whether a 限度額 limited it.
    pub(crate) fn waived(&self, rates: &Rates, cut: Reduction) -> Option<(Yen, bool)> {
        let premium = self.premium(rates)?;
        let mut sum = 0;
        let mut capped = false;
        for k in 0..3 {
            let cap = i128::from(rates.parts[k].cap) * SCALE;
            let before = premium[k].min(cap);
            let after = (premium[k] - cut[k]).max(0).min(cap);
            capped |= before - after < cut[k];
            sum += before - after;
        }
        Some((Yen::try_from(sum / SCALE).unwrap_or(Yen::MAX), capped))
    }
}

/// `amount` (a year's figure in 1/`SCALE` yen) for `months` of `of` months, times `share` tenths.
pub(crate) fn share_of(amount: Reduction, months: u32, of: u32, tenths: u32) -> Reduction {
    amount.map(|a| a * i128::from(months) * i128::from(tenths) / (i128::from(of) * 10))
}

/// The months of `months` by fiscal year and the municipality of residence at each month's end
/// (`None`: no residence given for it), in order.
pub(crate) fn by_year<'a>(hh: &'a ValidHousehold, months: &[YearMonth]) -> Vec<(i32, Option<&'a str>, Vec<YearMonth>)> {
    let mut out: Vec<(i32, Option<&str>, Vec<YearMonth>)> = Vec::new();
    for &m in months {
        let fy = calendar::fiscal_year(m.first_day());
        let code = residence_on(hh, m.last_day()).ok().flatten();
        match out.last_mut() {
            Some((f, c, ms)) if *f == fy && *c == code => ms.push(m),
            _ => out.push((fy, code, vec![m])),
        }
    }
    out
}
