//! 妊婦のための支援給付 (support benefit for pregnant women) — 子ども・子育て支援法第10条の2〜第10条の15
//! (from 2025-04-01): (胎児の数 + 1) × 50,000 (第10条の12第2項), 50,000 after the 妊婦給付認定
//! (1回目) and the rest after the 届出 of the 胎児の数 (2回目, 第10条の14). A pregnancy is established
//! by the heartbeat's confirmation; a miscarriage, stillbirth or abortion after it counts. Whoever
//! received the old 出産応援給付金 for the pregnancy has 50,000 deducted (附則第3条).

use crate::concepts::on_day::{
    applications, applied_late, each_pregnancy, residence_on, used, value_on, years_after, DayRules, Draft,
};
use crate::concepts::pregnancy::PregnancyRef;
use crate::household::{OutcomeKind, ValidHousehold};
use crate::money::Yen;
use crate::ruleset::{check_yen, Param, Parameters, RulesetFile, Validity, MAX_YEN};
use crate::schemes::registry::Shared;
use crate::schemes::Grant;
use chrono::{Days, NaiveDate};

const ID: &str = "pregnancy_support_benefit";

/// The old grant whose receipt before the switch reduces this one (附則第3条).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct OldGrant {
    /// Its scheme id.
    scheme: String,
    /// Its part (出産応援).
    part: String,
    /// Received by this day.
    received_by: NaiveDate,
}

/// The parameters of `pregnancy_support_benefit/2025`.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct SupportParams {
    /// 五万円 of 第10条の12第2項, per fetus plus one.
    unit: Param<Yen>,
    /// The 1回目 (第10条の14第1項).
    first_payment: Param<Yen>,
    /// The deduction for the old grant received (附則第3条).
    old_grant_deduction: Param<Yen>,
    /// The old grant.
    old_grant: Param<OldGrant>,
    /// The 胎児の数 may be notified from this many days before the due date.
    notification_days_before_due: Param<u32>,
    /// 時効 in years (第73条).
    claim_years: Param<u32>,
}

impl Parameters for SupportParams {
    fn validate(&self, validity: &Validity, errors: &mut Vec<(String, String)>) {
        self.unit.validate("unit", validity, errors);
        self.first_payment.validate("first_payment", validity, errors);
        self.old_grant_deduction.validate("old_grant_deduction", validity, errors);
        self.old_grant.validate("old_grant", validity, errors);
        self.notification_days_before_due.validate("notification_days_before_due", validity, errors);
        self.claim_years.validate("claim_years", validity, errors);
        check_yen("unit", &self.unit, MAX_YEN, |y| vec![*y], errors);
        check_yen("first_payment", &self.first_payment, MAX_YEN, |y| vec![*y], errors);
        check_yen("old_grant_deduction", &self.old_grant_deduction, MAX_YEN, |y| vec![*y], errors);
    }
}

/// 妊婦のための支援給付 with its ruleset.
#[derive(Debug)]
pub(crate) struct PregnancySupportBenefit {
    file: RulesetFile<SupportParams>,
}

impl DayRules for PregnancySupportBenefit {
    type Params = SupportParams;
    type Body = Vec<Grant>;

    fn new(file: RulesetFile<SupportParams>, _: &Shared) -> Self {
        PregnancySupportBenefit { file }
    }

    fn decide(&self, hh: &ValidHousehold, as_of: NaiveDate, draft: &mut Draft<Vec<Grant>>) {
        each_pregnancy(hh, draft, |g, draft| self.pregnancy(hh, g, as_of, draft));
    }
}

impl PregnancySupportBenefit {
    fn pregnancy(&self, hh: &ValidHousehold, g: &PregnancyRef, as_of: NaiveDate, draft: &mut Draft<Vec<Grant>>) {
        let p = &self.file.parameters;
        let rs = self.file.id.as_str();
        let start = self.file.valid.from.first_day();
        let Some(heartbeat) = g.g.heartbeat_confirmed else {
            if g.g.notified.is_some() {
                draft.missing(g.at("heartbeat_confirmed"));
            } else {
                draft.because("no_heartbeat");
            }
            return;
        };
        let day = heartbeat.max(start);
        let (Some(unit), Some(first_amount), Some(deduction), Some(old)) = (
            value_on(&p.unit, day),
            value_on(&p.first_payment, day),
            value_on(&p.old_grant_deduction, day),
            value_on(&p.old_grant, day),
        ) else {
            draft.not_known = true;
            return draft.because("amount_not_known");
        };
        let (Some(notice_days), Some(years)) =
            (value_on(&p.notification_days_before_due, day), value_on(&p.claim_years, day))
        else {
            draft.not_known = true;
            return draft.because("amount_not_known");
        };
        // 附則第3条: the old 出産応援 received for this pregnancy before the switch. With no
        // application for either, the old one is taken as claimed in time (entitlement mode).
        let old_received = g.g.notified.is_some_and(|n| n <= old.received_by)
            && g.g.interview != Some(false)
            && match applications(hh, &old.scheme, &old.part, g.index).next() {
                Some(a) => a.date <= old.received_by,
                None => applications(hh, ID, "first", g.index).next().is_none(),
            };
        let resident = |d: NaiveDate, draft: &mut Draft<Vec<Grant>>| {
            let ok = residence_on(hh, d).is_ok();
            if !ok {
                draft.because("not_resident");
            }
            ok
        };
        let payee = Some(g.g.person.clone());
        // 1回目: after the 妊婦給付認定 (applied for at the 妊娠届).
        if !old_received {
            let date = g.g.notified.unwrap_or(heartbeat).max(heartbeat).max(start);
            // 第73条: two years from the day the right can first be exercised — the heartbeat's
            // confirmation (西条市's wording), not before the benefit began.
            let deadline = years_after(heartbeat.max(start), *years);
            if date > as_of {
                draft.because("none_due");
            } else if applied_late(hh, ID, "first", g.index, deadline) {
                draft.because("time_barred");
            } else if resident(date, draft) {
                let mut l = Grant::new("first", date, 1, *first_amount, g.at(""));
                (l.payee, l.deadline) = (payee.clone(), Some(deadline));
                draft.body.push(l);
            }
        }
        // 2回目: after the 届出 of the 胎児の数, possible from 8 weeks before the due date (or the
        // day a miscarriage, stillbirth or abortion was confirmed, or the birth).
        let o = g.g.outcome.as_ref();
        if o.is_some_and(|o| o.kind == OutcomeKind::Birth && o.date < start) {
            return draft.because("old_grant_applies");
        }
        let before_due = g.g.due_date.map(|d| d - Days::new(u64::from(*notice_days)));
        let opens = match o {
            Some(o) if o.kind != OutcomeKind::Birth => Some(o.date),
            Some(o) => Some(before_due.map_or(o.date, |d| d.min(o.date))),
            None => before_due,
        };
        let Some(opens) = opens else {
            return draft.because("none_due");
        };
        let date = opens.max(start);
        if date > as_of {
            return draft.because("none_due");
        }
        let Some(fetuses) = g.g.fetuses.or_else(|| o.and_then(|o| g.babies(o))) else {
            return draft.missing(g.at("fetuses"));
        };
        // 第10条の12: (胎児の数 + 1) × 5万円, less the 1回目 or the old grant (附則第3条).
        let total = (fetuses as Yen + 1) * unit;
        let second = total - if old_received { *deduction } else { *first_amount };
        draft.step("amount", &p.unit.citation, || {
            (
                format!(
                    "胎児の数 {fetuses}: ({fetuses} + 1) × {unit}円 = {total}円; 2回目 {second}円{}",
                    if old_received {
                        "（出産応援給付金 受給: 附則第3条により5万円控除）"
                    } else {
                        ""
                    }
                ),
                format!(
                    "{fetuses} fetuses: ({fetuses} + 1) × {unit} = {total} yen; second payment {second} yen{}",
                    if old_received { " (old grant received: 50,000 deducted)" } else { "" }
                ),
                vec![used(rs, "unit", &p.unit, day), used(rs, "old_grant_deduction", &p.old_grant_deduction, day)],
            )
        });
        // The deadline runs from the day the 届出 could first be made; a birth without a due
        // date leaves it open.
        let deadline = match (o, g.g.due_date) {
            (Some(o), None) if o.kind == OutcomeKind::Birth => {
                draft.warn("deadline_not_known");
                None
            }
            _ => Some(years_after(date, *years)),
        };
        if deadline.is_some_and(|d| applied_late(hh, ID, "second", g.index, d)) {
            return draft.because("time_barred");
        }
        if resident(date, draft) {
            let mut l = Grant::new("second", date, fetuses, second, g.at(""));
            (l.payee, l.deadline) = (payee, deadline);
            draft.body.push(l);
        }
    }
}
