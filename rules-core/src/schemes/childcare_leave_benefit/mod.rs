//! 育児休業給付金 (childcare leave benefit) — 雇用保険法第61条の7 (第61条の4 until 2020-03): for a
//! 育児休業 of a child under 1 (1歳2か月 with パパ・ママ育休プラス, 1歳6か月 and 2歳 when extended
//! for a reason), one amount per 支給単位期間 (from the leave's first day to the day before each
//! month's 休業開始応当日; 30 支給日数, the last its own days): 50 % of the 休業開始時賃金日額 ×
//! 支給日数, 67 % up to the 180th day of leave
//! for leaves started from 2014-04 (the days of a 出生時育児休業 of the same child count), reduced
//! by pay during the unit (80 %), nothing for a unit with more than 10 days (80 hours) of work.
//! Answered person by person, one `WageUnit` per 支給単位期間 ended by the day asked.

use crate::calendar::{age_reached_on, months_reached_on};
use crate::concepts::employment::{
    figure, for_birth, leave_children, month_end_after, pay_reason, rule_on, unit_bounds, Birth, Gap,
    LeaveBenefitParams,
};
use crate::concepts::on_day::{DayRules, Draft};
use crate::household::{ChildcareLeave, ExtensionReason, LeaveKind, Role, ValidHousehold};
use crate::money::Yen;
use crate::ruleset::{check_counts, Param, Parameters, RulesetFile, Validity};
use crate::scheme::Code;
use crate::schemes::registry::Shared;
use crate::schemes::{RateChange, WageUnit};
use chrono::{Days, NaiveDate};
use std::sync::Arc;

/// The parameters of `childcare_leave_benefit/2013`.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct ChildcareParams {
    /// The rate, percent of the 賃金日額 × 支給日数 (百分の五十).
    rate_percent: Param<u32>,
    /// The higher rate up to the `initial_days`-th day of leave (百分の六十七), by the first
    /// leave's start; not in force for leaves started before 2014-04.
    initial_rate_percent: Param<u32>,
    /// The days of leave paid at the higher rate (百八十日), 出生時育児休業 days included.
    initial_days: Param<u32>,
    /// 支給日数 of a 支給単位期間 other than the last (三十日).
    unit_days: Param<u32>,
    /// Days of work a unit may have (10日), by the unit's first day.
    work_days: Param<u32>,
    /// … or hours, when more days were worked (80時間, from the first unit starting 2014-10).
    work_hours: Param<u32>,
    /// The leaves of one child paid (the third and later are not: 第61条の7第2項, from 2022-10), by
    /// the leave's start; not counted before.
    max_leaves: Param<u32>,
    /// The child's age in months the leave is paid up to without an extension (一歳).
    base_months: Param<u32>,
    /// … with パパ・ママ育休プラス (一歳二か月, 第61条の7第8項).
    plus_months: Param<u32>,
    /// … extended for a reason (一歳六か月).
    extension_months: Param<u32>,
    /// … extended again (二歳, from 2017-10), by the extension leave's start.
    second_extension_months: Param<u32>,
    /// From 2025-04 the 保育所 reason needs the 公共職業安定所長's acceptance (施行規則第101条の25
    /// as amended by 令和6年厚生労働省令第47号), by the first day of the extended leave.
    nursery_acceptance: Param<bool>,
    /// The 産後休業 after the birth day (労働基準法第65条第2項: 八週間), when the mother's leave
    /// gives no end: it counts toward the プラス year.
    postpartum_days: Param<u32>,
}

impl Parameters for ChildcareParams {
    fn validate(&self, validity: &Validity, errors: &mut Vec<(String, String)>) {
        let all = [
            ("rate_percent", &self.rate_percent),
            ("initial_rate_percent", &self.initial_rate_percent),
            ("initial_days", &self.initial_days),
            ("unit_days", &self.unit_days),
            ("work_days", &self.work_days),
            ("work_hours", &self.work_hours),
            ("max_leaves", &self.max_leaves),
            ("base_months", &self.base_months),
            ("plus_months", &self.plus_months),
            ("extension_months", &self.extension_months),
            ("second_extension_months", &self.second_extension_months),
            ("postpartum_days", &self.postpartum_days),
        ];
        check_counts(&all, validity, errors);
        self.nursery_acceptance.validate("nursery_acceptance", validity, errors);
    }
}

/// 育児休業給付金 with its ruleset and the shared 雇用保険 figures.
#[derive(Debug)]
pub(crate) struct ChildcareLeaveBenefit {
    file: RulesetFile<ChildcareParams>,
    insurance: Arc<RulesetFile<LeaveBenefitParams>>,
}

impl DayRules for ChildcareLeaveBenefit {
    type Params = ChildcareParams;
    type Body = Vec<WageUnit>;

    fn new(file: RulesetFile<ChildcareParams>, shared: &Shared) -> Self {
        ChildcareLeaveBenefit { file, insurance: shared.leave_benefits.clone() }
    }

    /// Everyone with a 育児休業.
    fn subjects(&self, hh: &ValidHousehold) -> Vec<usize> {
        (0..hh.persons.len())
            .filter(|&i| hh.persons[i].childcare_leave.iter().any(|l| l.kind == LeaveKind::Childcare))
            .collect()
    }

    fn decide(&self, hh: &ValidHousehold, as_of: NaiveDate, draft: &mut Draft<Vec<WageUnit>>) {
        let Some(i) = draft.person else {
            return draft.because("no_childcare_leave");
        };
        let (children, unnamed) = leave_children(hh, i, Some(LeaveKind::Childcare));
        for j in unnamed {
            draft.missing(format!("/persons/{i}/childcare_leave/{j}/child"));
        }
        for child in children {
            if let Err(g) = self.child(hh, i, child, as_of, draft) {
                g.record(draft);
            }
        }
    }
}

/// The 支給対象期間 of a child's leaves, from its birth: the benefit is for a child 「一歳に満たない」
/// (1歳6か月・2歳に満たない), so it is paid to the day before each 到達日 (the day two days before
/// the birthday).
struct Period {
    /// 1歳に達する日 (the プラス and the 2025-04 保育所 rule are judged on it).
    reached_1: NaiveDate,
    /// The last day paid under the プラス: the day before 1歳2か月に達する日.
    plus_last: NaiveDate,
    /// 1歳6か月に達する日 (the day after it starts the 2歳 stage).
    reached_18: NaiveDate,
    /// 育児休業等可能日数: the days from the birth to the 1歳到達日 (施行規則第101条の27).
    possible: i64,
}

/// The day before `d`.
fn before(d: NaiveDate) -> NaiveDate {
    d.pred_opt().unwrap_or(d)
}

impl ChildcareLeaveBenefit {
    /// Whether a leave of person `i` starting on `start` is under パパ・ママ育休プラス (第61条の7
    /// 第8項, 施行規則第101条の27, 育児・介護休業法第9条の6): another parent of the household is on
    /// leave for the child on a day up to its 1歳到達日, and the leave starts by the first birthday
    /// and not before the other parent's first leave.
    fn plus(hh: &ValidHousehold, i: usize, child: &str, reached_1: NaiveDate, start: NaiveDate) -> bool {
        let first_of = |p: &crate::household::Person| {
            p.childcare_leave.iter().filter(|l| for_birth(hh, l.child.as_deref(), child)).map(|l| l.from).min()
        };
        start <= reached_1.succ_opt().unwrap_or(reached_1)
            && hh.persons.iter().enumerate().any(|(s, p)| {
                s != i && p.role == Role::Parent && first_of(p).is_some_and(|f| f <= reached_1 && f <= start)
            })
    }

    /// For the birth mother: the last day of her 産後休業 (`maternity_leave.to`, or the 56 days
    /// when not given, then `true`), with the pregnancy's index.
    fn postpartum_end(
        hh: &ValidHousehold,
        i: usize,
        b: &Birth,
        birth: NaiveDate,
        after: u32,
    ) -> Option<(usize, NaiveDate, bool)> {
        let g = b.pregnancy.filter(|_| b.mother == Some(hh.persons[i].id.as_str()))?;
        Some(match hh.pregnancies[g].maternity_leave.as_ref().and_then(|m| m.to) {
            Some(to) => (g, to, false),
            None => (g, birth.checked_add_days(Days::new(u64::from(after))).unwrap_or(birth), true),
        })
    }

    /// The benefit of person `i`'s 育児休業 for `child`: every leave of it, unit by unit.
    fn child(
        &self,
        hh: &ValidHousehold,
        i: usize,
        child: &str,
        as_of: NaiveDate,
        draft: &mut Draft<Vec<WageUnit>>,
    ) -> Result<(), Gap> {
        let person = &hh.persons[i];
        let p = &self.file.parameters;
        let Some(b) = Birth::of(hh, child) else { return Ok(()) };
        let Some(birth) = b.date else {
            draft.missing(format!("/persons/{}/birth_date", b.child));
            return Ok(());
        };
        let of_child: Vec<(usize, &ChildcareLeave)> = person
            .childcare_leave
            .iter()
            .enumerate()
            .filter(|(_, l)| for_birth(hh, l.child.as_deref(), child))
            .collect();
        let (Some(&(_, first)), Some(&(_, first_care))) =
            (of_child.first(), of_child.iter().find(|(_, l)| l.kind == LeaveKind::Childcare))
        else {
            return Ok(());
        };
        // 第61条の7第1項・第6項: the qualifying months and the 賃金日額 of the first leave for the
        // child, a 出生時育児休業 included (第61条の8第8項).
        let start = first.from;
        if !self.insurance.qualifies_for(hh, i, &b, start)? {
            draft.because("not_qualified");
            return Ok(());
        }
        let base = *figure(&p.rate_percent, start)?;
        // 第61条の8第8項: the 出生時育児休業 days of the same child for which 出生時育児休業給付金 is
        // paid count toward the 180; 施行規則第101条の27: every leave day, and the birth mother's
        // days from the birth to the end of her 産後休業, toward the プラス year.
        let mut counted = self.insurance.postnatal_days_paid(hh, i, child, as_of)?;
        let postpartum = *figure(&p.postpartum_days, start)?;
        let mother = Self::postpartum_end(hh, i, &b, birth, postpartum);
        let mut taken = mother.map_or(0, |(_, end, _)| (end - birth).num_days().max(-1) + 1);
        taken += of_child
            .iter()
            .filter(|(_, l)| l.kind == LeaveKind::Postnatal)
            .map(|(_, l)| (l.to - l.from).num_days() + 1)
            .sum::<i64>();
        let reached = |months: u32| months_reached_on(birth, months).ok_or(Gap::NotKnown);
        let reached_1 = age_reached_on(birth, *figure(&p.base_months, start)? / 12).ok_or(Gap::NotKnown)?;
        let period = Period {
            reached_1,
            plus_last: before(reached(*figure(&p.plus_months, start)?)?),
            reached_18: reached(*figure(&p.extension_months, start)?)?,
            possible: (reached_1 - birth).num_days() + 1,
        };
        let max_leaves = rule_on(&p.max_leaves, first_care.from)?.copied();
        let mut leaves = 0;
        for &(j, l) in of_child.iter().filter(|(_, l)| l.kind == LeaveKind::Childcare) {
            if l.from <= period.reached_1 {
                leaves += 1;
                if max_leaves.is_some_and(|m| leaves > m) {
                    draft.because("third_leave");
                    continue;
                }
            }
            // The birth mother's 育児休業 follows her 産後休業: when it starts within the 56 days,
            // the day her 産後休業 ended decides.
            if let Some((g, _, _)) = mother.filter(|&(_, end, assumed)| assumed && l.from <= end) {
                draft.missing(format!("/pregnancies/{g}/maternity_leave/to"));
                continue;
            }
            // Without an extension: to the day before the 1歳到達日, or under the プラス to the day
            // before 1歳2か月 within the year (the leave's start + 可能日数 − 取得日数 − 1).
            let base_end = if Self::plus(hh, i, child, period.reached_1, l.from) {
                let left = (period.possible - taken).max(0);
                let year = l.from.checked_add_days(Days::new(left as u64)).and_then(|d| d.pred_opt());
                period.plus_last.min(year.unwrap_or(l.from))
            } else {
                before(period.reached_1)
            };
            // 平成26年法律第13号附則第5条: the 67 % for leaves started from 2014-04-01.
            let initial = rule_on(&p.initial_rate_percent, l.from)?.copied();
            let initial_days = rule_on(&p.initial_days, l.from)?.copied().unwrap_or(0);
            let end = self.paid_end(i, j, l, base_end, &period, birth, draft)?;
            taken += (l.to.min(base_end) - l.from).num_days().max(-1) + 1;
            let to = l.to.min(end);
            if l.from > to {
                draft.because("after_period");
                continue;
            }
            for (u, (a, z)) in unit_bounds(l.from, to).into_iter().enumerate() {
                if z > as_of {
                    draft.because("none_due");
                    draft.warn("units_pending");
                    break;
                }
                let days = if z == to { ((z - a).num_days() + 1) as u32 } else { *figure(&p.unit_days, a)? };
                let facts = l.units.get(u).copied().unwrap_or_default();
                let wage = self.insurance.daily_wage(hh, i, start, a)?;
                // 施行規則第101条の30: applied for by the end of the month of the 4 months from the
                // unit's first day.
                let mut line = WageUnit {
                    from: a,
                    to: z,
                    days,
                    daily_wage: wage.wage,
                    rate_percent: base,
                    cap: None,
                    rate_change: None,
                    pay: facts.pay,
                    reason: None,
                    apply_from: z.succ_opt(),
                    apply_by: month_end_after(a, 4),
                    amount: 0,
                };
                // 第61条の7第6項: the higher rate up to the 180th day of leave paid (支給日数
                // counted), the base rate after.
                let high = initial.map_or(0, |_| days.min(initial_days.saturating_sub(counted)));
                let (high_rate, low) = (initial.unwrap_or(base), days - high);
                line.rate_percent = if high > 0 { high_rate } else { base };
                // 就業: at most 10 days, or 80 hours when more days were worked (from 2014-10).
                if facts.days_worked > *figure(&p.work_days, a)? {
                    match (rule_on(&p.work_hours, a)?, facts.hours_worked) {
                        (Some(_), None) => {
                            draft.missing(format!("/persons/{i}/childcare_leave/{j}/units/{u}/hours_worked"));
                            continue;
                        }
                        (Some(&limit), Some(h)) if h <= limit => {}
                        _ => {
                            draft.because("worked_too_much");
                            line.reason = Some(Code::new("worked_too_much"));
                            draft.body.push(line);
                            continue;
                        }
                    }
                }
                let percent_days = high * high_rate + low * base;
                let amount =
                    self.insurance.benefit(wage.wage, days, percent_days, facts.pay, a).ok_or(Gap::NotKnown)?;
                let full = wage.wage * Yen::from(percent_days) / 100;
                if amount == 0 {
                    draft.because("paid_in_full");
                } else {
                    counted += days;
                }
                // The first day at the lower rate, within the unit (a 28-day February unit has 30
                // 支給日数).
                line.rate_change = (high > 0 && low > 0).then(|| RateChange {
                    from: a.checked_add_days(Days::new(u64::from(high))).unwrap_or(z).min(z),
                    days: low,
                    rate_percent: base,
                });
                line.reason = pay_reason(amount, full).map(Code::new);
                line.cap = wage.capped.then_some(full);
                line.amount = amount;
                self.trace(draft, &line, wage.capped, high);
                draft.body.push(line);
            }
        }
        Ok(())
    }

    /// The trace step of a unit paid.
    fn trace(&self, draft: &mut Draft<Vec<WageUnit>>, u: &WageUnit, capped: bool, high: u32) {
        let (a, b, rate, amount, pay) = (u.from, u.to, u.rate_percent, u.amount, u.pay);
        let (ja_rates, en_rates) = match u.rate_change {
            Some(c) => (
                format!("{high}日 × {rate}% + {}日 × {}%", c.days, c.rate_percent),
                format!("{high} days × {rate} % + {} days × {} %", c.days, c.rate_percent),
            ),
            None => (format!("{}日 × {rate}%", u.days), format!("{} days × {rate} %", u.days)),
        };
        draft.step("unit", &self.file.parameters.rate_percent.citation, || {
            (
                format!(
                    "支給単位期間 {a}〜{b}: 賃金日額 {}円{} × {ja_rates}{} → {amount}円",
                    u.daily_wage,
                    if capped { "（上限）" } else { "" },
                    if pay > 0 { format!("（休業中の賃金 {pay}円、80%まで）") } else { String::new() }
                ),
                format!(
                    "unit {a} to {b}: 賃金日額 {}{} × {en_rates}{} → {amount} yen",
                    u.daily_wage,
                    if capped { " (the cap)" } else { "" },
                    if pay > 0 { format!(", pay of {pay} in the unit (80 % limit)") } else { String::new() }
                ),
                self.insurance.limits_used(a),
            )
        });
    }

    /// The last day leave `j` can be paid for: `base_end`, or the extended one when the leave
    /// gives a reason the rules accept (an acceptance not known is recorded as missing): the day
    /// before 1歳6か月, and before 2歳 (from 2017-10) for a leave past the 1歳6か月到達日. The
    /// 2025-04 保育所 rule applies when the child reaches 1歳 (1歳6か月; under the プラス: the
    /// leave's end) on or after 2025-04-01 (令和6年厚生労働省令第47号附則第2項). A leave across
    /// both stages has one `accepted` for both.
    #[allow(clippy::too_many_arguments)]
    fn paid_end(
        &self,
        i: usize,
        j: usize,
        l: &ChildcareLeave,
        base_end: NaiveDate,
        period: &Period,
        birth: NaiveDate,
        draft: &mut Draft<Vec<WageUnit>>,
    ) -> Result<NaiveDate, Gap> {
        let p = &self.file.parameters;
        // A leave to the 到達日 itself needs no extension (the 到達日 is not paid).
        if l.to <= base_end.max(period.reached_1) {
            return Ok(base_end);
        }
        let Some(ext) = l.extension else {
            draft.because("not_extended");
            return Ok(base_end);
        };
        // Whether the reason holds for the stage after `reached` (`None`: not known).
        let holds = |reached: NaiveDate| -> Result<Option<bool>, Gap> {
            let strict = ext.reason == ExtensionReason::Nursery && *figure(&p.nursery_acceptance, reached)?;
            Ok(if strict { ext.accepted } else { Some(true) })
        };
        let accepted = |ok: Option<bool>, draft: &mut Draft<Vec<WageUnit>>| match ok {
            Some(true) => true,
            Some(false) => {
                draft.because("extension_not_accepted");
                false
            }
            None => {
                draft.missing(format!("/persons/{i}/childcare_leave/{j}/extension/accepted"));
                false
            }
        };
        if !accepted(holds(base_end.max(period.reached_1))?, draft) {
            return Ok(base_end);
        }
        let mut end = before(period.reached_18);
        if l.to > period.reached_18 {
            match rule_on(&p.second_extension_months, period.reached_18.succ_opt().unwrap_or(period.reached_18))? {
                Some(&m) if accepted(holds(period.reached_18)?, draft) => {
                    end = months_reached_on(birth, m).map_or(end, before);
                }
                Some(_) => {}
                None => draft.because("after_period"),
            }
        }
        Ok(end)
    }
}
