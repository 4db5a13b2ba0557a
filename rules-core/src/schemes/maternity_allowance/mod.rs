//! 出産手当金 (maternity allowance) — 健康保険法第102条: for the days not worked from 42 days (多胎
//! 98) before the birth (or the due date, when the birth is later) to 56 days after it, a 日額 of
//! two thirds of the average 標準報酬月額 of the last 12 months ÷ 30 (第99条第2項, each rounding
//! step as the law names it), less the pay received on a day (第108条第2項). Employees' health
//! insurance only (協会けんぽ, 健康保険組合), not 国保 or a 任意継続被保険者.

use crate::calendar::YearMonth;
use crate::concepts::on_day::{applied_late, each_pregnancy, used, value_on, years_after, DayRules, Draft};
use crate::concepts::pregnancy::PregnancyRef;
use crate::household::{InsuranceKind, InsuredStatus, ValidHousehold};
use crate::money::Yen;
use crate::ruleset::{check_yen, Param, Parameters, RulesetFile, Validity, MAX_YEN};
use crate::schemes::registry::Shared;
use crate::schemes::Grant;
use chrono::{Days, NaiveDate};

const ID: &str = "maternity_allowance";

/// An exact rate (a fraction).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct Ratio {
    numerator: i64,
    denominator: i64,
}

/// The parameters of `maternity_allowance/2016`.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct MaternityParams {
    /// 産前: days up to and including the birth (or due) day.
    pre_birth_days: Param<u32>,
    /// 産前 of a 多胎妊娠.
    pre_birth_days_multiple: Param<u32>,
    /// 産後: days after the birth.
    post_birth_days: Param<u32>,
    /// Months averaged (直近の継続した十二月間).
    average_months: Param<u32>,
    /// The share of the 標準報酬日額 paid (三分の二).
    rate: Param<Ratio>,
    /// 協会けんぽ's 全被保険者の標準報酬月額の平均 (第99条第2項第2号), by 支給開始日.
    all_insured_average: Param<Yen>,
    /// A 出産 is 妊娠 this many days or more.
    min_gestation_days: Param<u32>,
    /// 時効 in years (第193条).
    claim_years: Param<u32>,
}

impl Parameters for MaternityParams {
    fn validate(&self, validity: &Validity, errors: &mut Vec<(String, String)>) {
        self.pre_birth_days.validate("pre_birth_days", validity, errors);
        self.pre_birth_days_multiple.validate("pre_birth_days_multiple", validity, errors);
        self.post_birth_days.validate("post_birth_days", validity, errors);
        self.average_months.validate("average_months", validity, errors);
        self.rate.validate("rate", validity, errors);
        self.all_insured_average.validate("all_insured_average", validity, errors);
        self.min_gestation_days.validate("min_gestation_days", validity, errors);
        self.claim_years.validate("claim_years", validity, errors);
        check_yen("all_insured_average", &self.all_insured_average, MAX_YEN, |y| vec![*y], errors);
        for (i, v) in self.rate.values.iter().enumerate() {
            if v.value.is_some_and(|r| r.numerator <= 0 || r.denominator <= r.numerator) {
                errors
                    .push((format!("/parameters/rate/values/{i}/value"), "must be a fraction between 0 and 1".into()));
            }
        }
        for (i, v) in self.average_months.values.iter().enumerate() {
            if v.value == Some(0) {
                errors.push((format!("/parameters/average_months/values/{i}/value"), "must be at least 1".into()));
            }
        }
    }
}

/// 標準報酬日額: an average 標準報酬月額 (`sum` over `months`) ÷ 30, with 5円未満切捨て and 5円以上
/// 10円未満切上げ (健康保険法第99条第2項).
fn daily_base(sum: Yen, months: i64) -> Yen {
    (sum + 150 * months) / (300 * months) * 10
}

/// `base` × `rate`, with 50銭未満切捨て and 50銭以上切上げ (第99条第2項).
fn share(base: Yen, rate: Ratio) -> Yen {
    (2 * base * rate.numerator + rate.denominator) / (2 * rate.denominator)
}

/// 出産手当金 with its ruleset.
#[derive(Debug)]
pub(crate) struct MaternityAllowance {
    file: RulesetFile<MaternityParams>,
}

impl DayRules for MaternityAllowance {
    type Params = MaternityParams;
    type Body = Vec<Grant>;

    fn new(file: RulesetFile<MaternityParams>, _: &Shared) -> Self {
        MaternityAllowance { file }
    }

    fn decide(&self, hh: &ValidHousehold, as_of: NaiveDate, draft: &mut Draft<Vec<Grant>>) {
        each_pregnancy(hh, draft, |g, draft| self.pregnancy(hh, g, as_of, draft));
    }
}

impl MaternityAllowance {
    fn pregnancy(&self, hh: &ValidHousehold, g: &PregnancyRef, as_of: NaiveDate, draft: &mut Draft<Vec<Grant>>) {
        let p = &self.file.parameters;
        let rs = self.file.id.as_str();
        let Some(o) = g.g.outcome.as_ref().filter(|o| o.date <= as_of) else {
            draft.because("none_due");
            return;
        };
        let birth = o.date;
        let on = |param: &'_ Param<u32>| value_on(param, birth).copied();
        let (Some(min_days), Some(pre), Some(pre_multiple), Some(post)) =
            (on(&p.min_gestation_days), on(&p.pre_birth_days), on(&p.pre_birth_days_multiple), on(&p.post_birth_days))
        else {
            draft.not_in_force = true;
            return;
        };
        match PregnancyRef::is_childbirth(o, min_days) {
            Some(false) => return draft.because("not_a_birth"),
            None => return draft.missing(g.at("outcome/gestation_days")),
            Some(true) => {}
        }
        // 第102条: 出産の日（予定日後の出産は予定日）以前42日（多胎98日）から出産の日後56日まで.
        let anchor = g.g.due_date.map_or(birth, |d| d.min(birth));
        if g.g.due_date.is_none() {
            draft.missing(g.at("due_date"));
        }
        let pre = if g.multiple() { pre_multiple } else { pre };
        let window = (anchor - Days::new(u64::from(pre) - 1), birth + Days::new(u64::from(post)));
        let mother = &hh.persons[g.person];
        let Some(leave) = &g.g.maternity_leave else {
            // No leave given: asked for only when an employee's insurance could pay it.
            let employee = |day| {
                mother.insurance_on(day).is_some_and(|(_, i)| {
                    i.status == InsuredStatus::Insured
                        && !matches!(i.kind, InsuranceKind::NationalHealth | InsuranceKind::LateElderly)
                })
            };
            if !mother.health_insurance.is_empty() && !employee(window.0) && !employee(birth) {
                let national = |day| {
                    mother.insurance_on(day).is_some_and(|(_, i)| {
                        matches!(i.kind, InsuranceKind::NationalHealth | InsuranceKind::LateElderly)
                    })
                };
                return draft.because(if national(birth) { "no_maternity_allowance" } else { "not_insured" });
            }
            return draft.missing(g.at("maternity_leave"));
        };
        let first = window.0.max(leave.from);
        let last = window.1.min(leave.to.unwrap_or(window.1));
        if first > last {
            return draft.because("no_leave_in_window");
        }
        if !self.file.valid.contains(YearMonth::of(first)) {
            draft.not_in_force = true;
            return;
        }
        // The insurer on the 支給開始日.
        if mother.health_insurance.is_empty() {
            return draft.missing(g.person_at("health_insurance"));
        }
        let Some((j, ins)) = mother.insurance_on(first) else {
            return draft.because("not_insured");
        };
        let all_average = match (ins.kind, ins.status) {
            (InsuranceKind::NationalHealth | InsuranceKind::LateElderly, _) => {
                return draft.because("no_maternity_allowance");
            }
            (InsuranceKind::Seamen | InsuranceKind::MutualAid, _) => {
                draft.not_known = true;
                return draft.because("insurer_not_encoded");
            }
            (_, InsuredStatus::Dependant) => return draft.because("not_insured"),
            _ if ins.voluntary => return draft.because("voluntary_insured"),
            (InsuranceKind::Kyokai, _) => value_on(&p.all_insured_average, first),
            (InsuranceKind::HealthSociety, _) => None,
        };
        let (Some(months), Some(rate), Some(years)) =
            (value_on(&p.average_months, first), value_on(&p.rate, first), value_on(&p.claim_years, first))
        else {
            draft.not_known = true;
            return draft.because("amount_not_known");
        };
        // 第99条第2項: the 直近の継続した months up to the month of the 支給開始日.
        let history = &mother.standard_monthly_remuneration;
        let recent: Vec<Yen> = std::iter::successors(Some(YearMonth::of(first)), |m| Some(m.plus(-1)))
            .map_while(|m| history.get(&m).copied())
            .take(*months as usize)
            .collect();
        if recent.is_empty() {
            return draft.missing(g.person_at("standard_monthly_remuneration"));
        }
        let n = recent.len() as i64;
        let own = daily_base(recent.iter().sum(), n);
        let base = if n >= i64::from(*months) {
            own
        } else {
            // 但書: fewer than 12 months — the lower of the own average and the 全被保険者 average.
            let figure = match ins.kind {
                InsuranceKind::Kyokai => all_average.copied(),
                _ => ins.all_insured_average,
            };
            let Some(figure) = figure else {
                if ins.kind == InsuranceKind::Kyokai {
                    draft.not_known = true;
                    return draft.because("amount_not_known");
                }
                return draft.missing(g.person_at(&format!("health_insurance/{j}/all_insured_average")));
            };
            own.min(daily_base(figure, 1))
        };
        let per_day = share(base, *rate);
        draft.step("daily_amount", &p.rate.citation, || {
            (
                format!("支給開始日 {first}: 標準報酬月額 {n}か月の平均 ÷ 30 = {own}円（10円単位）; 日額 {base}円 × 2/3 = {per_day}円"),
                format!("first day {first}: average of {n} months ÷ 30 = {own} yen (to 10 yen); {base} × 2/3 = {per_day} yen a day"),
                vec![used(rs, "rate", &p.rate, first), used(rs, "all_insured_average", &p.all_insured_average, first)],
            )
        });
        let deadline = years_after(first, *years);
        if applied_late(hh, ID, "allowance", g.index, deadline) {
            return draft.because("time_barred");
        }
        // 第108条第2項: a day with pay gets the difference, a day with pay of at least the 日額 nothing.
        let pay = |d: NaiveDate| leave.pay.iter().find(|p| p.from <= d && d <= p.to).map_or(0, |p| p.per_day);
        let mut lines: Vec<Grant> = Vec::new();
        for d in first.iter_days().take_while(|d| *d <= last) {
            let amount = (per_day - pay(d)).max(0);
            match lines.last_mut() {
                Some(l) if amount > 0 && l.per_day == Some(amount) && l.to.and_then(|t| t.succ_opt()) == Some(d) => {
                    l.to = Some(d);
                    l.days = l.days.map(|n| n + 1);
                    l.amount += amount;
                }
                _ if amount > 0 => {
                    let part = if amount == per_day { "allowance" } else { "reduced_by_pay" };
                    let mut l = Grant::new(part, birth, 1, amount, g.at(""));
                    (l.from, l.to, l.days, l.per_day) = (Some(d), Some(d), Some(1), Some(amount));
                    l.payee = Some(g.g.person.clone());
                    l.deadline = Some(deadline);
                    lines.push(l);
                }
                _ => {}
            }
        }
        if lines.is_empty() {
            draft.because("pay_exceeds_allowance");
        }
        draft.body.extend(lines);
    }
}
