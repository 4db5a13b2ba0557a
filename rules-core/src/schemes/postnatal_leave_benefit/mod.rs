//! 出生時育児休業給付金 (benefit for postnatal paternity leave, 産後パパ育休) — 雇用保険法第61条の8
//! (leaves from 2022-10-01): for a 出生時育児休業 within the 8 weeks after the birth (from the due
//! date when the child is born after it, to 8 weeks after the due date when born before), at most
//! 28 days in at most two parts, 67 % of the 休業開始時賃金日額 × days, reduced by pay during the
//! leave (80 %). Work during a part is limited to 10 days (80 hours) for 28 days, in proportion for
//! a shorter part. Answered person by person, one `WageUnit` per part.

use crate::concepts::employment::{leave_children, pay_reason, Birth, Gap, LeaveBenefitParams};
use crate::concepts::on_day::{value_on, DayRules, Draft};
use crate::household::{LeaveKind, ValidHousehold};
use crate::money::Yen;
use crate::ruleset::{check_counts, Param, Parameters, RulesetFile, Validity};
use crate::schemes::registry::Shared;
use crate::schemes::WageUnit;
use chrono::NaiveDate;
use std::sync::Arc;

/// The parameters of `postnatal_leave_benefit/2022` (the days, parts, window and work limits are
/// in the shared `employment_insurance/leave_benefits`: 育児休業給付金 counts the days too).
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct PostnatalParams {
    /// The rate, percent of the 賃金日額 (百分の六十七).
    rate_percent: Param<u32>,
}

impl Parameters for PostnatalParams {
    fn validate(&self, validity: &Validity, errors: &mut Vec<(String, String)>) {
        check_counts(&[("rate_percent", &self.rate_percent)], validity, errors);
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
        for child in leave_children(hh, i, Some(LeaveKind::Postnatal)).0 {
            if let Err(g) = self.child(hh, i, child, as_of, draft) {
                g.record(draft);
            }
        }
    }
}

impl PostnatalLeaveBenefit {
    /// The benefit for `child`'s 出生時育児休業 of person `i`: its parts checked one by one (the
    /// window, two parts, 28 days, work: `concepts::employment`), then one amount for their days
    /// together, on the 賃金日額 and qualifying months of the first part (第61条の8第1項・第4項
    /// 「初回の出生時育児休業」) and the pay of all of them (第5項).
    fn child(
        &self,
        hh: &ValidHousehold,
        i: usize,
        child: &str,
        as_of: NaiveDate,
        draft: &mut Draft<Vec<WageUnit>>,
    ) -> Result<(), Gap> {
        let p = &self.file.parameters;
        let found = self.insurance.postnatal_parts(hh, i, child, as_of);
        found.record(draft);
        let (Some(first), Some(head), Some(tail)) = (found.first, found.parts.first(), found.parts.last()) else {
            return Ok(());
        };
        let Some(&rate) = value_on(&p.rate_percent, first) else {
            draft.not_in_force = true;
            return Ok(());
        };
        let Some(b) = Birth::of(hh, child) else { return Ok(()) };
        if !self.insurance.qualifies_for(hh, i, &b, first)? {
            draft.because("not_qualified");
            return Ok(());
        }
        let wage = self.insurance.daily_wage(hh, i, first, first)?;
        let (days, pay) = found.days_and_pay();
        let amount = self.insurance.benefit(wage.wage, days, days * rate, pay, first).ok_or(Gap::NotKnown)?;
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
                    found.parts.len(),
                    wage.wage,
                    if wage.capped { "（上限）" } else { "" },
                    if pay > 0 { format!("（休業中の賃金 {pay}円で調整）") } else { String::new() }
                ),
                format!(
                    "{from} to {to} ({} parts), {days} days: 賃金日額 {}{} × {days} × {rate} %{} → {amount} yen",
                    found.parts.len(),
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
            apply_from: found.apply_from,
            apply_by: found.apply_by(),
            amount,
        });
        Ok(())
    }
}
