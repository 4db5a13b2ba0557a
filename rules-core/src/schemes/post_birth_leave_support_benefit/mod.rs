//! 出生後休業支援給付金 (post-birth leave support benefit) — 雇用保険法第61条の10 (from
//! 2025-04-01): 13 % of the 賃金日額 × the days of 出生後休業 (育児休業 or 出生時育児休業) in the
//! 対象期間, at most 28, when they come to 14 days or more and the spouse also takes 14 days of
//! leave within the 8 weeks after the birth, or does not need to (第2項: no spouse, the spouse not
//! employed, on 産後休業 …). Not reduced by pay during the leave. Answered person by person, one
//! `WageUnit` per child.

use crate::concepts::employment::{figure, for_birth, leave_children, month_end_after, Birth, Gap, LeaveBenefitParams};
use crate::concepts::on_day::{DayRules, Draft};
use crate::household::{LeaveKind, Role, SpouseExemption, ValidHousehold};
use crate::money::Yen;
use crate::ruleset::{check_counts, Param, Parameters, RulesetFile, Validity};
use crate::schemes::registry::Shared;
use crate::schemes::WageUnit;
use chrono::{Days, NaiveDate};
use std::sync::Arc;

/// The parameters of `post_birth_leave_support_benefit/2025`.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct PostBirthParams {
    /// The rate, percent of the 賃金日額 × days (百分の十三).
    rate_percent: Param<u32>,
    /// The days of leave needed in the 対象期間 (通算して十四日以上), the person's and the spouse's.
    min_days: Param<u32>,
    /// The days paid at most (二十八日).
    max_days: Param<u32>,
    /// The 対象期間 of a parent without 産後休業, and the spouse's: the day after 8 weeks (56 days
    /// after the day counted from).
    window_days: Param<u32>,
    /// … of a mother after 産後休業: the day after 16 weeks (第7項第2号).
    mother_window_days: Param<u32>,
}

impl Parameters for PostBirthParams {
    fn validate(&self, validity: &Validity, errors: &mut Vec<(String, String)>) {
        let all = [
            ("rate_percent", &self.rate_percent),
            ("min_days", &self.min_days),
            ("max_days", &self.max_days),
            ("window_days", &self.window_days),
            ("mother_window_days", &self.mother_window_days),
        ];
        check_counts(&all, validity, errors);
    }
}

/// 出生後休業支援給付金 with its ruleset and the shared 雇用保険 figures.
#[derive(Debug)]
pub(crate) struct PostBirthLeaveSupport {
    file: RulesetFile<PostBirthParams>,
    insurance: Arc<RulesetFile<LeaveBenefitParams>>,
}

impl DayRules for PostBirthLeaveSupport {
    type Params = PostBirthParams;
    type Body = Vec<WageUnit>;

    fn new(file: RulesetFile<PostBirthParams>, shared: &Shared) -> Self {
        PostBirthLeaveSupport { file, insurance: shared.leave_benefits.clone() }
    }

    /// Everyone with a leave for a child.
    fn subjects(&self, hh: &ValidHousehold) -> Vec<usize> {
        (0..hh.persons.len()).filter(|&i| hh.persons[i].childcare_leave.iter().any(|l| l.child.is_some())).collect()
    }

    fn decide(&self, hh: &ValidHousehold, as_of: NaiveDate, draft: &mut Draft<Vec<WageUnit>>) {
        let Some(i) = draft.person else {
            return draft.because("no_leave");
        };
        let (children, _) = leave_children(hh, i, None);
        for child in children {
            if let Err(g) = self.child(hh, i, child, as_of, draft) {
                g.record(draft);
            }
        }
    }
}

/// The 出生後休業 days of person `i` for `child` from `from` to `to` (both inclusive), with the
/// last such day: the 出生時育児休業 days paid (出生時育児休業給付金, within its window) and the
/// 育児休業 days (the days count when a leave benefit is paid for them: 第61条の10第1項).
fn leave_days(
    insurance: &RulesetFile<LeaveBenefitParams>,
    hh: &ValidHousehold,
    i: usize,
    child: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(u32, Option<NaiveDate>), Gap> {
    let parts = insurance.postnatal_parts(hh, i, child, to);
    let paid = insurance.postnatal_days_paid(hh, i, child, to)? > 0;
    let (mut days, mut last) = (0, None);
    let postnatal = parts.parts.iter().filter(|_| paid).map(|q| (q.from, q.to));
    let leaves = hh.persons[i].childcare_leave.iter();
    let childcare = leaves.filter(|l| l.kind == LeaveKind::Childcare && for_birth(hh, l.child.as_deref(), child));
    for (a, b) in postnatal.chain(childcare.map(|l| (l.from, l.to))) {
        let (a, b) = (a.max(from), b.min(to));
        if a <= b {
            days += ((b - a).num_days() + 1) as u32;
            last = last.max(Some(b));
        }
    }
    Ok((days, last))
}

impl PostBirthLeaveSupport {
    /// Whether the spouse condition holds for person `i` (第61条の10第1項第3号・第2項): an
    /// exemption given, the other parent being the birth mother (産後休業, 第2項第3号), or the
    /// other parent's leave days for the child from the birth to the day after 8 weeks, taken by
    /// `as_of`, reaching `min` (`Err("none_due")` while days still to come would). `None`: no
    /// other parent and no exemption given (recorded as missing).
    #[allow(clippy::too_many_arguments)]
    fn spouse_ok(
        &self,
        hh: &ValidHousehold,
        i: usize,
        child: &str,
        b: &Birth,
        birth: NaiveDate,
        window: u32,
        min: u32,
        as_of: NaiveDate,
        draft: &mut Draft<Vec<WageUnit>>,
    ) -> Option<Result<&'static str, &'static str>> {
        if let Some(e) = hh.persons[i].spouse_exemption {
            return Some(Ok(exemption_code(e)));
        }
        let others: Vec<usize> =
            (0..hh.persons.len()).filter(|&s| s != i && hh.persons[s].role == Role::Parent).collect();
        if others.iter().any(|&s| b.mother == Some(hh.persons[s].id.as_str())) {
            return Some(Ok("spouse_maternity_leave"));
        }
        // The spouse: the other parent on leave for the birth (or the only other parent); two on
        // leave leave it open.
        let on_leave: Vec<usize> = others
            .iter()
            .copied()
            .filter(|&s| hh.persons[s].childcare_leave.iter().any(|l| for_birth(hh, l.child.as_deref(), child)))
            .collect();
        let s = match (on_leave.as_slice(), others.as_slice()) {
            ([s], _) | ([], [s]) => *s,
            ([], []) => {
                draft.missing(format!("/persons/{i}/spouse_exemption"));
                return None;
            }
            _ => {
                draft.warn("spouse_ambiguous");
                draft.missing(format!("/persons/{i}/spouse_exemption"));
                return None;
            }
        };
        // The spouse's 8 weeks, with the due-date rule of 第61条の8第1項 (「第六十一条の十において同じ」).
        let (from, later) = b.window(birth);
        let end = later.checked_add_days(Days::new(u64::from(window))).unwrap_or(later);
        let (days, _) = match leave_days(&self.insurance, hh, s, child, from, end.min(as_of)) {
            Ok(d) => d,
            Err(g) => {
                g.record(draft);
                return None;
            }
        };
        let leaves = hh.persons[s].childcare_leave.iter().filter(|l| for_birth(hh, l.child.as_deref(), child));
        let planned: i64 = leaves.map(|l| (l.to.min(end) - l.from.max(from)).num_days() + 1).filter(|&d| d > 0).sum();
        Some(if days >= min {
            Ok("spouse_leave")
        } else if planned >= i64::from(min) {
            draft.warn("days_pending");
            Err("none_due")
        } else {
            Err("spouse_leave_short")
        })
    }

    /// The benefit of person `i` for `child`.
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
        let of_child = || person.childcare_leave.iter().filter(|l| for_birth(hh, l.child.as_deref(), child));
        let Some(first) = of_child().next() else { return Ok(()) };
        if p.rate_percent.at(crate::calendar::YearMonth::of(first.from)).is_none() {
            draft.not_in_force = true;
            draft.because("before_start");
            return Ok(());
        }
        let (rate, min, max) = (
            *figure(&p.rate_percent, first.from)?,
            *figure(&p.min_days, first.from)?,
            *figure(&p.max_days, first.from)?,
        );
        // 第7項: the 対象期間 — for the birth mother after 産後休業 from the birth to the day after
        // 16 weeks; for anyone else from the birth or the due date, whichever is earlier, to the
        // day after 8 weeks from the later.
        let mother = b.mother == Some(person.id.as_str());
        let window = *figure(&p.window_days, first.from)?;
        let (from, later) = if mother { (birth, b.due.map_or(birth, |d| d.max(birth))) } else { b.window(birth) };
        let reach = if mother { *figure(&p.mother_window_days, first.from)? } else { window };
        let to = later.checked_add_days(Days::new(u64::from(reach))).unwrap_or(later);
        let (days, last) = leave_days(&self.insurance, hh, i, child, from, to.min(as_of))?;
        let planned =
            of_child().map(|l| (l.to.min(to) - l.from.max(from)).num_days() + 1).filter(|&d| d > 0).sum::<i64>();
        let planned = planned as u32;
        let Some(last) = last else {
            draft.because(if planned > 0 { "none_due" } else { "no_leave_in_period" });
            return Ok(());
        };
        if planned > days && days < max {
            draft.warn("days_pending");
        }
        if days < min {
            draft.because(if planned >= min { "none_due" } else { "too_few_days" });
            return Ok(());
        }
        let why = match self.spouse_ok(hh, i, child, &b, birth, window, min, as_of, draft) {
            None => return Ok(()),
            Some(Err(reason)) => {
                draft.because(reason);
                return Ok(());
            }
            Some(Ok(why)) => why,
        };
        // 第6項: the 賃金日額 of the first 出生後休業 (the first leave for the child), within the
        // 上限 of the day it starts; the qualifying months of 第1項第1号 counted the same way.
        let in_period = of_child().find(|l| l.to >= from && l.from <= to).unwrap_or(first);
        let start = in_period.from;
        if !self.insurance.qualifies_for(hh, i, &b, start)? {
            draft.because("not_qualified");
            return Ok(());
        }
        let wage = self.insurance.daily_wage(hh, i, start, start)?;
        let paid = days.min(max);
        let amount = wage.wage * Yen::from(paid) * Yen::from(rate) / 100;
        draft.warn("needs_leave_benefit");
        draft.step("benefit", &p.rate_percent.citation, || {
            (
                format!(
                    "対象期間 {from}〜{to} の出生後休業 {days}日（配偶者の要件: {why}）: 賃金日額 {}円{} × {paid}日 × {rate}% → {amount}円",
                    wage.wage,
                    if wage.capped { "（上限）" } else { "" }
                ),
                format!(
                    "leave in the period {from} to {to}: {days} days (spouse condition: {why}): 賃金日額 {}{} × {paid} × {rate} % → {amount} yen",
                    wage.wage,
                    if wage.capped { " (the cap)" } else { "" }
                ),
                self.insurance.limits_used(start),
            )
        });
        // Applied for with the 出生時育児休業給付金 or the first 育児休業給付金 (施行規則第101条の33,
        // 第101条の30).
        let apply_by = match in_period.kind {
            LeaveKind::Postnatal => self.insurance.postnatal_parts(hh, i, child, as_of).apply_by(),
            LeaveKind::Childcare => month_end_after(start, 4),
        };
        draft.body.push(WageUnit {
            from: start.max(from),
            to: last,
            days: paid,
            daily_wage: wage.wage,
            rate_percent: rate,
            cap: wage.capped.then_some(amount),
            rate_change: None,
            pay: 0,
            reason: None,
            apply_from: None,
            apply_by,
            amount,
        });
        Ok(())
    }
}

/// The reason code of an exemption from the spouse's leave.
fn exemption_code(e: SpouseExemption) -> &'static str {
    match e {
        SpouseExemption::NoSpouse => "no_spouse",
        SpouseExemption::NotLegalParent => "not_legal_parent",
        SpouseExemption::Violence => "violence",
        SpouseExemption::NotEmployed => "spouse_not_employed",
        SpouseExemption::SelfEmployed => "spouse_self_employed",
        SpouseExemption::CannotTakeLeave => "spouse_cannot_take_leave",
        SpouseExemption::MaternityLeave => "spouse_maternity_leave",
    }
}
