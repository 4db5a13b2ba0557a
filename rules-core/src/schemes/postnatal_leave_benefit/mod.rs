//! 出生時育児休業給付金 (benefit for postnatal paternity leave, 産後パパ育休) — 雇用保険法第61条の8
//! (leaves from 2022-10-01): for a 出生時育児休業 within the 8 weeks after the birth (from the due
//! date when the child is born after it, to 8 weeks after the due date when born before), at most
//! 28 days in at most two parts, 67 % of the 休業開始時賃金日額 × days, reduced by pay during the
//! leave (80 %). Work during a part is limited to 10 days (80 hours) for 28 days, in proportion for
//! a shorter part. Answered person by person, one `WageUnit` per part.

use crate::concepts::employment::{month_end_after, pay_reason, Birth, LeaveBenefitParams};
use crate::concepts::on_day::{value_on, DayRules, Draft};
use crate::household::{LeaveKind, ValidHousehold};
use crate::money::Yen;
use crate::ruleset::{check_counts, Param, Parameters, RulesetFile, Validity};
use crate::schemes::registry::Shared;
use crate::schemes::WageUnit;
use chrono::{Days, NaiveDate};
use std::sync::Arc;

/// The parameters of `postnatal_leave_benefit/2022`.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct PostnatalParams {
    /// The rate, percent of the 賃金日額 (百分の六十七).
    rate_percent: Param<u32>,
    /// The days paid in all (二十八日).
    max_days: Param<u32>,
    /// The parts paid (the third and later are not: 第2項第1号).
    max_parts: Param<u32>,
    /// The days after the birth (or the due date) the window runs to: 8 weeks, to the day after.
    window_days: Param<u32>,
    /// Days of work allowed for a leave of `max_days` days (最大10日), in proportion for fewer.
    work_days: Param<u32>,
    /// … or hours, when more days were worked (80時間).
    work_hours: Param<u32>,
}

impl Parameters for PostnatalParams {
    fn validate(&self, validity: &Validity, errors: &mut Vec<(String, String)>) {
        let all = [
            ("rate_percent", &self.rate_percent),
            ("max_days", &self.max_days),
            ("max_parts", &self.max_parts),
            ("window_days", &self.window_days),
            ("work_days", &self.work_days),
            ("work_hours", &self.work_hours),
        ];
        check_counts(&all, validity, errors);
    }
}

/// 出生時育児休業給付金 with its ruleset and the shared 雇用保険 figures.
#[derive(Debug)]
pub(crate) struct PostnatalLeaveBenefit {
    file: RulesetFile<PostnatalParams>,
    insurance: Arc<RulesetFile<LeaveBenefitParams>>,
}

impl DayRules for PostnatalLeaveBenefit {
    type Params = PostnatalParams;
    type Body = Vec<WageUnit>;

    fn new(file: RulesetFile<PostnatalParams>, shared: &Shared) -> Self {
        PostnatalLeaveBenefit { file, insurance: shared.leave_benefits.clone() }
    }

    /// Everyone with a 出生時育児休業.
    fn subjects(&self, hh: &ValidHousehold) -> Vec<usize> {
        (0..hh.persons.len())
            .filter(|&i| hh.persons[i].childcare_leave.iter().any(|l| l.kind == LeaveKind::Postnatal))
            .collect()
    }

    fn decide(&self, hh: &ValidHousehold, as_of: NaiveDate, draft: &mut Draft<Vec<WageUnit>>) {
        let Some(i) = draft.person else {
            return draft.because("no_postnatal_leave");
        };
        // 第61条の8: one benefit per child, over its parts.
        let mut children: Vec<&str> = Vec::new();
        for l in hh.persons[i].childcare_leave.iter().filter(|l| l.kind == LeaveKind::Postnatal) {
            if let Some(c) = l.child.as_deref().filter(|c| !children.contains(c)) {
                children.push(c);
            }
        }
        for child in children {
            self.child(hh, i, child, as_of, draft);
        }
    }
}

/// The days of one part paid, and the pay during them.
struct Part {
    from: NaiveDate,
    to: NaiveDate,
    days: u32,
    pay: Yen,
}

impl PostnatalLeaveBenefit {
    /// The benefit for `child`'s 出生時育児休業 of person `i`: its parts checked one by one (the
    /// window, two parts, 28 days, work), then one amount for their days together, on the
    /// 賃金日額 and qualifying months of the first part (第61条の8第1項・第4項「初回の出生時育児
    /// 休業」) and the pay of all of them (第5項).
    fn child(&self, hh: &ValidHousehold, i: usize, child: &str, as_of: NaiveDate, draft: &mut Draft<Vec<WageUnit>>) {
        let person = &hh.persons[i];
        let p = &self.file.parameters;
        let wages_at = format!("/persons/{i}/wage_months");
        let leaves = person.childcare_leave.iter().enumerate();
        let leaves = leaves.filter(|(_, l)| l.kind == LeaveKind::Postnatal && l.child.as_deref() == Some(child));
        let Some(b) = Birth::of(hh, child) else { return };
        let Some(birth) = b.date else {
            return draft.missing(format!("/persons/{}/birth_date", b.child));
        };
        let (due, due_at) = (b.due, b.due_at());
        // 第61条の8第1項: from the birth (the due date, if earlier) to 8 weeks after the birth (the
        // due date, if later), to the day after.
        let (start, end) = b.window(birth);
        let (mut first, mut count, mut paid, mut parts) = (None, 0, 0, Vec::new());
        let (mut rule, mut apply) = (None, None);
        for (j, l) in leaves {
            let on = |param: &Param<u32>| value_on(param, l.from).copied();
            let (Some(rate), Some(max_days), Some(max_parts), Some(window), Some(work_days), Some(work_hours)) = (
                on(&p.rate_percent),
                on(&p.max_days),
                on(&p.max_parts),
                on(&p.window_days),
                on(&p.work_days),
                on(&p.work_hours),
            ) else {
                draft.not_in_force = true;
                continue;
            };
            let last = end.checked_add_days(Days::new(u64::from(window))).unwrap_or(NaiveDate::MAX);
            let (from, to) = (l.from.max(start), l.to.min(last));
            if from > to {
                // After birth + 8 weeks: the due date, if later, could still cover it.
                if due.is_none() && l.from > last {
                    draft.missing(due_at.clone());
                } else {
                    draft.because("outside_window");
                }
                continue;
            }
            first.get_or_insert(l.from);
            apply.get_or_insert(last);
            rule.get_or_insert(rate);
            count += 1;
            if count > max_parts {
                draft.because("third_part");
                continue;
            }
            // Decided once the part has ended; the parts are paid together, so a part still
            // running leaves the amount open.
            if l.to > as_of {
                draft.because("none_due");
                draft.warn("parts_pending");
                continue;
            }
            // 第2項第2号: the days of every part count toward the 28, paid or not.
            let days = (((to - from).num_days() + 1) as u32).min(max_days.saturating_sub(paid));
            if days == 0 {
                draft.because("days_used");
                continue;
            }
            paid += days;
            // 就業: at most work_days × days / max_days days (rounded up), or the hours in
            // proportion when more days were worked (a part is at most max_days long).
            let leave_days = (((l.to - l.from).num_days() + 1) as u32).min(max_days);
            let allowed_days = (work_days * leave_days).div_ceil(max_days);
            let allowed_hours = u64::from(work_hours) * u64::from(leave_days);
            let hours_ok = l.hours_worked.is_some_and(|h| u64::from(h) * u64::from(max_days) <= allowed_hours);
            if l.days_worked > allowed_days && !hours_ok {
                if l.hours_worked.is_none() {
                    draft.missing(format!("/persons/{i}/childcare_leave/{j}/hours_worked"));
                } else {
                    draft.because("worked_too_much");
                }
                continue;
            }
            let to = from.checked_add_days(Days::new(u64::from(days) - 1)).unwrap_or(to).min(to);
            parts.push(Part { from, to, days, pay: l.pay });
        }
        let (Some(first), Some(rate), Some(apply_from), Some(head), Some(tail)) =
            (first, rule, apply, parts.first(), parts.last())
        else {
            return;
        };
        let months = person.wage_months.as_ref();
        match self.insurance.qualifies(months, &wages_at, first) {
            Ok(true) => {}
            Ok(false) => return draft.because("not_qualified"),
            Err(g) => return g.record(draft),
        }
        let wage = match self.insurance.daily_wage(months, &wages_at, first, first) {
            Ok(w) => w,
            Err(g) => return g.record(draft),
        };
        let (days, pay) = (parts.iter().map(|q| q.days).sum::<u32>(), parts.iter().map(|q| q.pay).sum::<Yen>());
        let Some(amount) = self.insurance.benefit(wage.wage, days, days * rate, pay, first) else {
            draft.not_known = true;
            return;
        };
        let full = wage.wage * Yen::from(days) * Yen::from(rate) / 100;
        let reason = pay_reason(amount, full);
        if amount == 0 {
            draft.because("paid_in_full");
        }
        let (from, to) = (head.from, tail.to);
        draft.step("benefit", &p.rate_percent.citation, || {
            (
                format!(
                    "{from}〜{to}（{}回）{days}日: 賃金日額 {}円{} × {days}日 × {rate}%{} → {amount}円",
                    parts.len(),
                    wage.wage,
                    if wage.capped { "（上限）" } else { "" },
                    if pay > 0 { format!("（休業中の賃金 {pay}円で調整）") } else { String::new() }
                ),
                format!(
                    "{from} to {to} ({} parts), {days} days: 賃金日額 {}{} × {days} × {rate} %{} → {amount} yen",
                    parts.len(),
                    wage.wage,
                    if wage.capped { " (the cap)" } else { "" },
                    if pay > 0 { format!(", less pay of {pay} during the leave") } else { String::new() }
                ),
                self.insurance.limits_used(first),
            )
        });
        draft.body.push(WageUnit {
            from,
            to,
            days,
            daily_wage: wage.wage,
            rate_percent: rate,
            cap: wage.capped.then_some(full),
            rate_change: None,
            pay,
            reason: reason.map(crate::scheme::Code::new),
            // 施行規則第101条の33: from the day after the 8 weeks to the end of the month two
            // months on.
            apply_from: Some(apply_from),
            apply_by: month_end_after(apply_from, 2),
            amount,
        });
    }
}
