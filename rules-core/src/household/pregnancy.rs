//! Pregnancy and birth inputs (妊娠・出産・産前産後休業): what the pregnancy and birth schemes
//! read. Validated, with the insurance inputs of `insurance.rs`, by [`crate::Engine::validate`]
//! with the JSON pointer of each error.

use super::insurance::{InsuranceKind, InsuredStatus};
use crate::money::Yen;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A pregnancy (妊娠): its dates, the 胎児の数 and how it ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Pregnancy {
    /// An id applications may refer to (`applications[].pregnancy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The pregnant person (妊婦), by person id.
    pub person: String,
    /// 胎児心拍の確認日: the day a medical institution confirmed the heartbeat (妊娠の確定).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat_confirmed: Option<NaiveDate>,
    /// 妊娠届出日 (母子保健法第15条).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notified: Option<NaiveDate>,
    /// 面談 with a 保健師 etc. (出産・子育て応援給付金). Absent: assumed to take place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interview: Option<bool>,
    /// 出産予定日.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<NaiveDate>,
    /// 胎児の数 as notified (1 to 8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetuses: Option<u32>,
    /// How the pregnancy ended (absent: not yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<PregnancyOutcome>,
    /// 産前産後休業: the days not worked (労務に服さなかった期間) and pay received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maternity_leave: Option<MaternityLeave>,
}

/// How a pregnancy ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    /// 出生 (a live birth).
    Birth,
    /// 流産.
    Miscarriage,
    /// 死産.
    Stillbirth,
    /// 人工妊娠中絶.
    Abortion,
}

/// The end of a pregnancy (出産 when at 妊娠85日以上, of any kind).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PregnancyOutcome {
    /// Birth, miscarriage, stillbirth or abortion.
    pub kind: OutcomeKind,
    /// The day (出産日).
    pub date: NaiveDate,
    /// 在胎日数 on that day (0 = the first day of the last period: 22週0日 = 154, 妊娠85日 = 85).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gestation_days: Option<u32>,
    /// 出産した児の数, live-born and stillborn alike. Absent: the number of `children`, else the
    /// pregnancy's `fetuses`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub babies: Option<u32>,
    /// The live-born children, by person id (role child, born on `date`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<String>,
    /// Where the birth took place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility: Option<Facility>,
}

/// The facility of a birth (分娩機関).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Facility {
    /// The facility takes part in the 産科医療補償制度 (加入分娩機関).
    pub obstetric_compensation: bool,
    /// The facility's charge for the birth (出産費用), yen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charge: Option<Yen>,
    /// The 直接支払制度 or 受取代理制度 is used: the insurer pays the facility.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub direct_payment: bool,
}

/// 産前産後休業: the days not worked around a birth and the pay received in them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MaternityLeave {
    /// First day not worked.
    pub from: NaiveDate,
    /// Last day not worked (absent: to the end of the 産後 56 days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    /// Pay (報酬) received on days of the leave, per day.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pay: Vec<LeavePay>,
}

/// Pay received per day over a period of the leave (健康保険法第108条第2項).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LeavePay {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// 報酬 per day, yen.
    pub per_day: Yen,
}

/// The most fetuses or babies of one pregnancy the model accepts.
pub const MAX_FETUSES: u32 = 8;

/// The most pregnancies a household may list.
pub const MAX_PREGNANCIES: usize = 32;

/// The longest a pregnancy may run, in days from its first known date to the due date or its end
/// (a check against typing errors, not a medical limit: 在胎 42週 is 294 days).
const LONGEST_DAYS: i64 = 320;

/// Check a leave's per-unit facts: only for a 育児休業, one per 支給単位期間, each within its unit.
fn leave_facts(l: &super::ChildcareLeave, at: &dyn Fn(&str) -> String) -> Result<(), crate::InputError> {
    use crate::ErrorCode as C;
    let err = |code, path: String, msg: &str| Err(crate::InputError::new(code, path, msg));
    if l.kind == super::LeaveKind::Postnatal {
        if !l.units.is_empty() {
            return err(C::InvalidValue, at("units"), "a 出生時育児休業 gives its work and pay in days_worked and pay");
        }
        if l.extension.is_some() {
            return err(C::InvalidValue, at("extension"), "a 出生時育児休業 is not extended");
        }
        return Ok(());
    }
    for (f, given) in
        [("days_worked", l.days_worked > 0), ("hours_worked", l.hours_worked.is_some()), ("pay", l.pay > 0)]
    {
        if given {
            return err(C::InvalidValue, at(f), "a 育児休業's work and pay are given per 支給単位期間, in `units`");
        }
    }
    if l.units.is_empty() {
        return Ok(());
    }
    let bounds = crate::concepts::employment::unit_bounds(l.from, l.to);
    if l.units.len() != bounds.len() {
        return err(
            C::InvalidValue,
            at("units"),
            &format!("the leave has {} 支給単位期間: give one entry for each, in order", bounds.len()),
        );
    }
    for (u, (facts, (a, b))) in l.units.iter().zip(bounds).enumerate() {
        let days = (b - a).num_days() + 1;
        if i64::from(facts.days_worked) > days {
            return err(C::InvalidValue, at(&format!("units/{u}/days_worked")), "more days worked than the unit has");
        }
        if facts.hours_worked.is_some_and(|h| i64::from(h) > days * 24) {
            return err(C::InvalidValue, at(&format!("units/{u}/hours_worked")), "more hours worked than the unit has");
        }
        if !(0..=crate::ruleset::MAX_YEN).contains(&facts.pay) {
            return err(C::InvalidValue, at(&format!("units/{u}/pay")), "must be 0 or a positive amount");
        }
    }
    Ok(())
}

/// Check a leave against its child's birth: a 育児休業 starts on or after the birth (the birth
/// mother's after her 産後休業 given), a 出生時育児休業 on or after the birth or the due date if
/// earlier, and never by the birth mother (she is on 産後休業).
fn leave_dates(
    hh: &super::Household,
    i: usize,
    l: &super::ChildcareLeave,
    at: &dyn Fn(&str) -> String,
) -> Result<(), crate::InputError> {
    use crate::ErrorCode as C;
    let err = |path: String, msg: &str| Err(crate::InputError::new(C::InvalidValue, path, msg));
    let Some(b) = l.child.as_deref().and_then(|c| crate::concepts::employment::Birth::of(hh, c)) else {
        return Ok(());
    };
    let Some(birth) = b.date else { return Ok(()) };
    let mother = b.mother == Some(hh.persons[i].id.as_str());
    match l.kind {
        super::LeaveKind::Postnatal if mother => {
            err(at("kind"), "the birth mother is on 産後休業: a 出生時育児休業 is for the other parent")
        }
        super::LeaveKind::Postnatal => {
            if l.from < b.window(birth).0 {
                return err(at("from"), "a 出生時育児休業 starts on or after the birth (or the due date, if earlier)");
            }
            Ok(())
        }
        super::LeaveKind::Childcare => {
            if l.from < birth {
                return err(at("from"), "a 育児休業 starts on or after the child's birth");
            }
            let g = b.pregnancy.filter(|_| mother).map(|g| &hh.pregnancies[g]);
            let postpartum = g.and_then(|g| g.maternity_leave.as_ref()).and_then(|m| m.to);
            if postpartum.is_some_and(|t| l.from <= t) {
                return err(at("from"), "the birth mother's 育児休業 starts after her 産後休業 (maternity_leave.to)");
            }
            Ok(())
        }
    }
}

/// Check the pregnancies, insurance, pension and leave inputs of a household: references, order, counts and
/// impossible dates, each error naming its JSON pointer.
pub(crate) fn validate(hh: &super::Household) -> Result<(), crate::InputError> {
    use crate::engine::check_date;
    use crate::ErrorCode as C;
    let err = |code, path: String, msg: &str| Err(crate::InputError::new(code, path, msg));
    let person = |id: &str| hh.persons.iter().position(|p| p.id == id);
    if hh.pregnancies.len() > MAX_PREGNANCIES {
        return err(
            C::InvalidValue,
            format!("/pregnancies/{MAX_PREGNANCIES}"),
            &format!("a household has at most {MAX_PREGNANCIES} pregnancies"),
        );
    }
    for (i, p) in hh.persons.iter().enumerate() {
        for (j, h) in p.health_insurance.iter().enumerate() {
            let at = format!("/persons/{i}/health_insurance/{j}");
            check_date(&format!("{at}/since"), Some(h.since))?;
            if j > 0 && h.since <= p.health_insurance[j - 1].since {
                return err(C::InvalidValue, format!("{at}/since"), "entries must be in increasing date order");
            }
            match (&h.insured_person, h.status) {
                (Some(_), InsuredStatus::Insured) => {
                    return err(C::InvalidValue, format!("{at}/insured_person"), "is for a dependant (被扶養者) only");
                }
                (Some(id), InsuredStatus::Dependant) if person(id).is_none() || *id == p.id => {
                    return err(C::UnknownReference, format!("{at}/insured_person"), "must be another person's id");
                }
                _ => {}
            }
            if h.status == InsuredStatus::Dependant && h.kind == InsuranceKind::NationalHealth {
                return err(
                    C::InvalidValue,
                    format!("{at}/status"),
                    "国民健康保険 has no dependants: every member is insured",
                );
            }
            if h.all_insured_average.is_some_and(|a| a <= 0 || a > crate::ruleset::MAX_YEN) {
                return err(C::InvalidValue, format!("{at}/all_insured_average"), "must be a positive amount");
            }
        }
        for (j, q) in p.pension.iter().enumerate() {
            let at = format!("/persons/{i}/pension/{j}/since");
            check_date(&at, Some(q.since))?;
            if j > 0 && q.since <= p.pension[j - 1].since {
                return err(C::InvalidValue, at, "entries must be in increasing date order");
            }
        }
        for (j, l) in p.childcare_leave.iter().enumerate() {
            let at = |f: &str| format!("/persons/{i}/childcare_leave/{j}/{f}");
            check_date(&at("from"), Some(l.from))?;
            check_date(&at("to"), Some(l.to))?;
            if l.to < l.from {
                return err(C::InvalidValue, at("to"), "is before `from`");
            }
            if j > 0 && l.from <= p.childcare_leave[j - 1].to {
                return err(C::InvalidValue, at("from"), "leaves must not overlap and must be in date order");
            }
            match &l.child {
                Some(id) => match person(id) {
                    Some(k) if hh.persons[k].role == super::Role::Child => {}
                    _ => return err(C::UnknownReference, at("child"), "must be the id of a child of the household"),
                },
                None if l.kind == super::LeaveKind::Postnatal => {
                    return err(C::MissingField, at("child"), "a 出生時育児休業 names its child");
                }
                None => {}
            }
            let days = (l.to - l.from).num_days() + 1;
            if i64::from(l.days_worked) > days {
                return err(C::InvalidValue, at("days_worked"), "more days worked than the leave has days");
            }
            if l.hours_worked.is_some_and(|h| i64::from(h) > days * 24) {
                return err(C::InvalidValue, at("hours_worked"), "more hours worked than the leave has");
            }
            if l.pay < 0 || l.pay > crate::ruleset::MAX_YEN {
                return err(C::InvalidValue, at("pay"), "must be 0 or a positive amount");
            }
            leave_facts(l, &at)?;
            leave_dates(hh, i, l, &at)?;
        }
        if p.lookback_extension_days.is_some_and(|d| !(30..=731).contains(&d)) {
            return err(
                C::InvalidValue,
                format!("/persons/{i}/lookback_extension_days"),
                "30 to 731 days (a spell of 30 days or more without pay, within the 2 years)",
            );
        }
        for (j, r) in p.reduced_hours.iter().enumerate() {
            let at = |f: &str| format!("/persons/{i}/reduced_hours/{j}/{f}");
            check_date(&at("from"), Some(r.from))?;
            check_date(&at("to"), r.to)?;
            if r.to.is_some_and(|t| t < r.from) {
                return err(C::InvalidValue, at("to"), "is before `from`");
            }
            if j > 0 && p.reduced_hours[j - 1].to.is_none_or(|t| r.from <= t) {
                return err(C::InvalidValue, at("from"), "periods must not overlap and must be in date order");
            }
            match person(&r.child) {
                Some(k) if hh.persons[k].role == super::Role::Child => {}
                _ => return err(C::UnknownReference, at("child"), "must be the id of a child of the household"),
            }
            let overlaps = |l: &&super::ChildcareLeave| r.to.is_none_or(|t| l.from <= t) && l.to >= r.from;
            if p.childcare_leave.iter().any(|l| overlaps(&l)) {
                return err(
                    C::InvalidValue,
                    at("from"),
                    "overlaps a leave of the same person: 時短 is worked, not on leave",
                );
            }
        }
        for (m, w) in p.wage_months.iter().flatten() {
            let at = |f: &str| format!("/persons/{i}/wage_months/{m}/{f}");
            if w.wages < 0 || w.wages > crate::ruleset::MAX_YEN {
                return err(C::InvalidValue, at("wages"), "must be 0 or a positive amount");
            }
            if w.paid_days > 31 {
                return err(C::InvalidValue, at("paid_days"), "a month has at most 31 days");
            }
            if w.hours.is_some_and(|h| h > 744) {
                return err(C::InvalidValue, at("hours"), "a month has at most 744 hours");
            }
        }
        for (j, r) in p.health_premium_rate.iter().enumerate() {
            if j > 0 && r.since <= p.health_premium_rate[j - 1].since {
                return err(
                    C::InvalidValue,
                    format!("/persons/{i}/health_premium_rate/{j}/since"),
                    "entries must be in increasing month order",
                );
            }
            if r.basis_points == 0 || r.basis_points > 10_000 {
                return err(
                    C::InvalidValue,
                    format!("/persons/{i}/health_premium_rate/{j}/basis_points"),
                    "must be 1 to 10000 (hundredths of a percent)",
                );
            }
        }
        for (m, y) in &p.standard_bonus {
            if *y <= 0 || *y > crate::ruleset::MAX_YEN {
                return err(C::InvalidValue, format!("/persons/{i}/standard_bonus/{m}"), "must be a positive amount");
            }
        }
        for (m, y) in &p.standard_monthly_remuneration {
            if *y <= 0 || *y > crate::ruleset::MAX_YEN {
                return err(
                    C::InvalidValue,
                    format!("/persons/{i}/standard_monthly_remuneration/{m}"),
                    "must be a positive amount",
                );
            }
        }
    }
    let mut ids = std::collections::HashSet::new();
    for (i, g) in hh.pregnancies.iter().enumerate() {
        let at = |f: &str| format!("/pregnancies/{i}/{f}");
        if let Some(id) = &g.id {
            if id.is_empty() || !ids.insert(id.as_str()) {
                return err(C::DuplicateId, at("id"), "pregnancy ids must be unique and not empty");
            }
        }
        match person(&g.person) {
            None => return err(C::UnknownReference, at("person"), &format!("no person with id {:?}", g.person)),
            Some(k) if hh.persons[k].role != super::Role::Parent => {
                return err(C::InvalidValue, at("person"), "the pregnant person must have role parent");
            }
            Some(_) => {}
        }
        let o = g.outcome.as_ref();
        for (f, d) in [
            ("heartbeat_confirmed", g.heartbeat_confirmed),
            ("notified", g.notified),
            ("due_date", g.due_date),
            ("outcome/date", o.map(|o| o.date)),
        ] {
            check_date(&at(f), d)?;
        }
        if g.fetuses.is_some_and(|n| n == 0 || n > MAX_FETUSES) {
            return err(C::InvalidValue, at("fetuses"), &format!("must be 1 to {MAX_FETUSES}"));
        }
        let first = [g.heartbeat_confirmed, g.notified].into_iter().flatten().min();
        if let (Some(first), Some(due)) = (first, g.due_date) {
            let days = (due - first).num_days();
            if !(0..=LONGEST_DAYS).contains(&days) {
                return err(
                    C::InvalidValue,
                    at("due_date"),
                    "must fall within 320 days after the heartbeat confirmation and the 妊娠届",
                );
            }
        }
        if let Some(o) = o {
            if let Some(h) = g.heartbeat_confirmed.filter(|h| o.date < *h) {
                return err(
                    C::InvalidValue,
                    at("outcome/date"),
                    &format!("is before the heartbeat confirmation ({h})"),
                );
            }
            if g.due_date.is_some_and(|d| (o.date - d).num_days() > 60 || (d - o.date).num_days() > LONGEST_DAYS) {
                return err(C::InvalidValue, at("outcome/date"), "is too far from the due date");
            }
            if o.gestation_days.is_some_and(|d| d as i64 > LONGEST_DAYS) {
                return err(C::InvalidValue, at("outcome/gestation_days"), "must be at most 320 days");
            }
            if o.babies.is_some_and(|n| n == 0 || n > MAX_FETUSES) {
                return err(C::InvalidValue, at("outcome/babies"), &format!("must be 1 to {MAX_FETUSES}"));
            }
            if o.kind != OutcomeKind::Birth && !o.children.is_empty() {
                return err(
                    C::InvalidValue,
                    at("outcome/children"),
                    "a miscarriage, stillbirth or abortion has no live-born children",
                );
            }
            if o.babies.is_some_and(|n| (n as usize) < o.children.len()) {
                return err(C::InvalidValue, at("outcome/babies"), "is less than the children born alive");
            }
            for (j, c) in o.children.iter().enumerate() {
                let path = format!("/pregnancies/{i}/outcome/children/{j}");
                match person(c).map(|k| &hh.persons[k]) {
                    None => return err(C::UnknownReference, path, &format!("no person with id {c:?}")),
                    Some(p) if p.role != super::Role::Child || p.birth_date != Some(o.date) => {
                        return err(C::InvalidValue, path, "must be a child born on the outcome's date");
                    }
                    Some(_) => {}
                }
            }
            if o.facility.and_then(|f| f.charge).is_some_and(|c| !(0..=crate::ruleset::MAX_YEN).contains(&c)) {
                return err(C::InvalidValue, at("outcome/facility/charge"), "must be a non-negative amount");
            }
        }
        if let Some(l) = &g.maternity_leave {
            check_date(&at("maternity_leave/from"), Some(l.from))?;
            check_date(&at("maternity_leave/to"), l.to)?;
            if l.to.is_some_and(|t| t < l.from) {
                return err(C::InvalidValue, at("maternity_leave/to"), "is before `from`");
            }
            for (j, p) in l.pay.iter().enumerate() {
                let path = |f: &str| format!("/pregnancies/{i}/maternity_leave/pay/{j}/{f}");
                check_date(&path("from"), Some(p.from))?;
                check_date(&path("to"), Some(p.to))?;
                if p.to < p.from {
                    return err(C::InvalidValue, path("to"), "is before `from`");
                }
                if j > 0 && p.from <= l.pay[j - 1].to {
                    return err(
                        C::InvalidValue,
                        path("from"),
                        "pay periods must not overlap and must be in date order",
                    );
                }
                if !(0..=crate::ruleset::MAX_YEN).contains(&p.per_day) {
                    return err(C::InvalidValue, path("per_day"), "must be a non-negative amount");
                }
            }
        }
    }
    Ok(())
}
