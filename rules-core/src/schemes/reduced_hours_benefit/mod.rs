//! 育児時短就業給付金 (benefit for shortened working hours) — 雇用保険法第61条の12 (from
//! 2025-04-01): for each calendar month of 育児時短就業 for a child under 2 (支給対象月: no leave
//! benefit's leave in it), 10 % of the wages paid in the month when they fell below 90 % of the
//! 育児時短就業開始時賃金日額 × 30, tapering to 0 between 90 % and 100 % (施行規則: 0.9 × the fall),
//! so that wage + benefit stays within the 支給限度額; nothing when the wage did not fall, reached
//! the 支給限度額, or the benefit would be at or below the 最低限度額 (80 % of the 賃金日額's 下限).
//! Answered person by person, one `WageUnit` per 支給対象月.

use crate::calendar::{age_reached_on, YearMonth};
use crate::concepts::employment::{figure, for_birth, Birth, Gap, LeaveBenefitParams};
use crate::concepts::on_day::{used, DayRules, Draft};
use crate::household::{LeaveKind, ReducedHours, ValidHousehold};
use crate::money::Yen;
use crate::ruleset::{check_counts, check_yen, Param, Parameters, RulesetFile, Validity, MAX_YEN};
use crate::scheme::Code;
use crate::schemes::registry::Shared;
use crate::schemes::WageUnit;
use chrono::NaiveDate;
use std::sync::Arc;

/// The parameters of `reduced_hours_benefit/2025`.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct ReducedHoursParams {
    /// The rate, percent of the month's wages (百分の十).
    rate_percent: Param<u32>,
    /// Below this percentage of the 賃金日額 × 30 the full rate applies; from it to 100 % the
    /// benefit tapers (百分の九十).
    taper_from_percent: Param<u32>,
    /// In the taper band the benefit is this percentage of the fall (施行規則's 逓減率: 90 %).
    taper_percent: Param<u32>,
    /// The days the 育児時短就業開始時賃金日額 is multiplied by (三十).
    month_days: Param<u32>,
    /// 支給限度額: wage + benefit at most this; nothing when the wage reaches it (第2項・第6項),
    /// by the 支給対象月 (revised every 1 August, 第9項).
    limit: Param<Yen>,
    /// 最低限度額: nothing when the benefit is at or below this percentage of the 賃金日額's 下限
    /// (第8項: 百分の八十).
    minimum_percent: Param<u32>,
    /// The child's age in months the 時短 is for (二歳に満たない子).
    child_months: Param<u32>,
    /// A 時短 starting within this many days after a 育児休業 (出生時育児休業) for the same child
    /// ends follows it (引き続き): it qualifies without the 12 months and takes the leave's 賃金日額.
    follow_days: Param<u32>,
}

impl Parameters for ReducedHoursParams {
    fn validate(&self, validity: &Validity, errors: &mut Vec<(String, String)>) {
        let all = [
            ("rate_percent", &self.rate_percent),
            ("taper_from_percent", &self.taper_from_percent),
            ("taper_percent", &self.taper_percent),
            ("month_days", &self.month_days),
            ("minimum_percent", &self.minimum_percent),
            ("child_months", &self.child_months),
            ("follow_days", &self.follow_days),
        ];
        check_counts(&all, validity, errors);
        self.limit.validate("limit", validity, errors);
        check_yen("limit", &self.limit, MAX_YEN, |y| vec![*y], errors);
    }
}

/// 育児時短就業給付金 with its ruleset and the shared 雇用保険 figures.
#[derive(Debug)]
pub(crate) struct ReducedHoursBenefit {
    file: RulesetFile<ReducedHoursParams>,
    insurance: Arc<RulesetFile<LeaveBenefitParams>>,
}

impl DayRules for ReducedHoursBenefit {
    type Params = ReducedHoursParams;
    type Body = Vec<WageUnit>;

    fn new(file: RulesetFile<ReducedHoursParams>, shared: &Shared) -> Self {
        ReducedHoursBenefit { file, insurance: shared.leave_benefits.clone() }
    }

    /// Everyone with a 育児時短就業.
    fn subjects(&self, hh: &ValidHousehold) -> Vec<usize> {
        (0..hh.persons.len()).filter(|&i| !hh.persons[i].reduced_hours.is_empty()).collect()
    }

    fn decide(&self, hh: &ValidHousehold, as_of: NaiveDate, draft: &mut Draft<Vec<WageUnit>>) {
        let Some(i) = draft.person else {
            return draft.because("no_reduced_hours");
        };
        for r in &hh.persons[i].reduced_hours {
            if let Err(g) = self.period(hh, i, r, as_of, draft) {
                g.record(draft);
            }
        }
    }
}

/// One month's 支給額 before the 最低限度額 (`reason` when it is reduced or nothing): 10 %, or
/// the 逓減率 band's 90 % of the fall, within the 支給限度額.
fn month_benefit(
    base: Yen,
    wage: Yen,
    rate: u32,
    taper_from: u32,
    taper: u32,
    limit: Yen,
) -> (Yen, Option<&'static str>) {
    if wage >= limit {
        return (0, Some("wage_at_limit"));
    }
    if wage >= base {
        return (0, Some("no_fall"));
    }
    // 第6項第1号: below 90 % of the base, 10 % of the wage; 第2号: from it, the 省令's rate.
    let (benefit, tapered) = if wage * 100 < base * Yen::from(taper_from) {
        (wage * Yen::from(rate) / 100, false)
    } else {
        ((base - wage) * Yen::from(taper) / 100, true)
    };
    if wage + benefit > limit {
        return (limit - wage, Some("capped_by_limit"));
    }
    (benefit, tapered.then_some("tapered"))
}

impl ReducedHoursBenefit {
    /// The months of person `i`'s 時短 `r`.
    fn period(
        &self,
        hh: &ValidHousehold,
        i: usize,
        r: &ReducedHours,
        as_of: NaiveDate,
        draft: &mut Draft<Vec<WageUnit>>,
    ) -> Result<(), Gap> {
        let person = &hh.persons[i];
        let p = &self.file.parameters;
        // A 時短 begun before the benefit (2025-04-01) counts from that day (the months before it
        // are not paid; a reading of secondary sources, the 附則 not seen).
        let Some(opened) = p.rate_percent.values.first().map(|v| v.from.first_day()) else { return Ok(()) };
        let from = r.from.max(opened);
        if r.to.is_some_and(|t| t < opened) {
            draft.not_in_force = true;
            draft.because("before_start");
            return Ok(());
        }
        if r.from < opened {
            draft.warn("started_before_2025_04");
        }
        let Some(b) = Birth::of(hh, &r.child) else { return Ok(()) };
        let Some(birth) = b.date else {
            draft.missing(format!("/persons/{}/birth_date", b.child));
            return Ok(());
        };
        // The last day: the day before the child reaches 2 (二歳に満たない子).
        let months = *figure(&p.child_months, from)?;
        let reached = age_reached_on(birth, months / 12).ok_or(Gap::NotKnown)?;
        let last = reached.pred_opt().unwrap_or(reached);
        let end = r.to.map_or(last, |t| t.min(last));
        if from > end {
            draft.because("child_too_old");
            return Ok(());
        }
        // 第61条の12第1項: the 初回 時短 for the child decides the qualifying months and (第6項第1号)
        // the 賃金日額: directly after a leave for the child for which a leave benefit was paid
        // (within the days allowed), the leave's 賃金日額 and no 12 months needed; otherwise the
        // 時短's own.
        let initial = person
            .reduced_hours
            .iter()
            .find(|x| for_birth(hh, Some(&x.child), &r.child))
            .map_or(from, |x| x.from.max(opened));
        let follow = *figure(&p.follow_days, initial)?;
        let of_child = |l: &&crate::household::ChildcareLeave| for_birth(hh, l.child.as_deref(), &r.child);
        let first = person.childcare_leave.iter().find(of_child);
        let mut follows = false;
        for l in person.childcare_leave.iter().filter(of_child) {
            if l.to < initial && (initial - l.to).num_days() <= i64::from(follow) + 1 {
                follows |= match (l.kind, first) {
                    (LeaveKind::Postnatal, _) => self.insurance.postnatal_days_paid(hh, i, &r.child, as_of)? > 0,
                    (LeaveKind::Childcare, Some(f)) => self.insurance.qualifies_for(hh, i, &b, f.from)?,
                    (LeaveKind::Childcare, None) => false,
                };
            }
        }
        let first = first.filter(|_| follows);
        let start = first.map_or(initial, |l| l.from);
        if first.is_none() && !self.insurance.qualifies_for(hh, i, &b, start)? {
            draft.because("not_qualified");
            return Ok(());
        }
        for m in YearMonth::of(from).through(YearMonth::of(end)) {
            if m.last_day() > as_of {
                draft.because("none_due");
                draft.warn("months_pending");
                break;
            }
            // 第5項: not a 支給対象月 when a leave falls in it (a leave benefit's leave: every leave
            // is taken to be one).
            if person.childcare_leave.iter().any(|l| l.from <= m.last_day() && l.to >= m.first_day()) {
                continue;
            }
            let Some(paid) = person.wage_months.as_ref().and_then(|w| w.get(&m)).map(|w| w.wages) else {
                draft.missing(format!("/persons/{i}/wage_months/{m}"));
                continue;
            };
            let day = m.first_day();
            // 第61条の12第7項: within the 上限 and 下限 of the month's 1 August revision, as 育児休業
            // 給付金 re-reads them for each 支給単位期間.
            let wage = self.insurance.daily_wage(hh, i, start, day)?;
            let base = wage.wage * Yen::from(*figure(&p.month_days, day)?);
            let limit = *figure(&p.limit, day)?;
            let minimum = self.insurance.lower_on(day)? * Yen::from(*figure(&p.minimum_percent, day)?) / 100;
            let (rate, taper_from, taper) =
                (*figure(&p.rate_percent, day)?, *figure(&p.taper_from_percent, day)?, *figure(&p.taper_percent, day)?);
            let (mut amount, mut reason) = month_benefit(base, paid, rate, taper_from, taper, limit);
            // 第8項: nothing when at or below the 最低限度額.
            if amount > 0 && amount <= minimum {
                (amount, reason) = (0, Some("below_minimum"));
            }
            if amount == 0 {
                draft.because(reason.unwrap_or("no_fall"));
            }
            let (first_day, to) = (day.max(from), m.last_day().min(end));
            draft.step("month", &p.rate_percent.citation, || {
                (
                    format!(
                        "{m}: 賃金 {paid}円、開始時賃金月額 {base}円（賃金日額 {} × 30）、支給限度額 {limit}円、最低限度額 {minimum}円 → {amount}円",
                        wage.wage
                    ),
                    format!(
                        "{m}: wage {paid}, base {base} (賃金日額 {} × 30), limit {limit}, minimum {minimum} → {amount} yen",
                        wage.wage
                    ),
                    vec![
                        used(&self.file.id, "limit", &p.limit, day),
                        used(&self.file.id, "rate_percent", &p.rate_percent, day),
                    ],
                )
            });
            draft.body.push(WageUnit {
                from: first_day,
                to,
                days: ((to - first_day).num_days() + 1) as u32,
                daily_wage: wage.wage,
                rate_percent: rate,
                cap: (reason == Some("capped_by_limit")).then_some(limit),
                rate_change: None,
                pay: paid,
                reason: reason.map(Code::new),
                apply_from: None,
                apply_by: None,
                amount,
            });
        }
        Ok(())
    }
}
