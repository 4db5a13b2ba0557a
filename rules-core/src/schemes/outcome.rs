//! The one result envelope of every scheme: an [`Outcome`] tagged by its benefit `kind`, so a
//! one-off grant, a 30-day 育休 unit or a premium exemption is never added to a monthly allowance.
//! Monthly allowances give a [`MonthResult`]; the other kinds share an [`OutcomeHead`] and add their
//! own figures.

use super::{MonthResult, Range, Status};
use crate::calendar::YearMonth;
use crate::explain::TraceStep;
use crate::money::Yen;
use crate::scheme::{BenefitKind, Code, SchemeId};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// The version of the output JSON (results, timelines, scheme lists): its major part changes when
/// a field is removed or changes meaning.
pub const SCHEMA_VERSION: &str = "0.2";

/// One scheme's result, by the kind of benefit it gives (JSON: the `kind` field).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// A monthly allowance (手当) for one month.
    Monthly(MonthResult),
    /// One-off grants (一時金・給付金).
    Grant(GrantOutcome),
    /// Units of a leave benefit (支給単位期間).
    WageUnits(WageUnitsOutcome),
    /// Months of a premium exempted or reduced.
    Exemption(ExemptionOutcome),
    /// Co-payment rules in force (医療費助成).
    CostShare(CostShareOutcome),
    /// A fee cap (保育料・幼児教育).
    FeeCap(FeeCapOutcome),
    /// Coupons (クーポン・応援券).
    Coupons(CouponsOutcome),
}

/// What every non-monthly outcome says first (a [`MonthResult`] has the same fields).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct OutcomeHead {
    /// The scheme's id.
    pub scheme: SchemeId,
    /// Status.
    pub status: Status,
    /// Why not eligible / not known (a code labelled in the scheme's metadata).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Code>,
    /// Logic version used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regime: Option<Code>,
    /// The person the benefit is for (受給者・被保険者), by id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beneficiary: Option<String>,
    /// The paying authority (municipality code, insurer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payer: Option<String>,
    /// Possible amounts, when undetermined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<Range>,
    /// Inputs (JSON pointers) that would decide an undetermined result.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// Codes a form or a caseworker should act on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Code>,
    /// Trace, when requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<Vec<TraceStep>>,
}

/// One-off grants: each with its date, count, amount, payee and application deadline.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct GrantOutcome {
    /// Status, reason, beneficiary, trace.
    #[serde(flatten)]
    pub head: OutcomeHead,
    /// The grants.
    pub grants: Vec<Grant>,
    /// Their sum.
    pub amount: Yen,
}

/// One grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Grant {
    /// What the grant is for (a code labelled in the scheme's metadata).
    pub part: Code,
    /// The date that gives it (a birth, a notification).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// How many (children, fetuses).
    pub count: u32,
    /// Yen.
    pub amount: Yen,
    /// Who is paid, by person id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payee: Option<String>,
    /// The last day to apply (to claim every yen of it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<NaiveDate>,
    /// The input record it comes from (a JSON pointer, e.g. `/pregnancies/0`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub of: Option<String>,
    /// A daily allowance: first day paid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// A daily allowance: last day paid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    /// A daily allowance: days paid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// A daily allowance: yen per day (日額).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_day: Option<Yen>,
}

/// A leave benefit's 支給単位期間, one line each.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct WageUnitsOutcome {
    /// Status, reason, beneficiary, trace.
    #[serde(flatten)]
    pub head: OutcomeHead,
    /// The units.
    pub units: Vec<WageUnit>,
    /// Their sum.
    pub amount: Yen,
}

/// One 支給単位期間.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct WageUnit {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Days paid.
    pub days: u32,
    /// 賃金日額 after its 下限 and 上限.
    pub daily_wage: Yen,
    /// The rate, in percent.
    pub rate_percent: u32,
    /// The cap of the unit, if it bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cap: Option<Yen>,
    /// In the unit of the 180th day of leave: the days after it, at the lower rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_change: Option<RateChange>,
    /// Wages paid for the unit's days (休業中の賃金), or paid in the month (育児時短就業).
    #[serde(skip_serializing_if = "is_zero_yen")]
    pub pay: Yen,
    /// Why the amount is reduced or nothing is paid for the unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Code>,
    /// The 支給申請 can be made from this day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub apply_from: Option<NaiveDate>,
    /// … until this day (施行規則第101条の30, 第101条の33).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub apply_by: Option<NaiveDate>,
    /// Yen.
    pub amount: Yen,
}

fn is_zero_yen(y: &Yen) -> bool {
    *y == 0
}

/// The second rate within one 支給単位期間 (第61条の7第6項ただし書: 67 % to the 180th day, 50 %
/// after).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RateChange {
    /// The first day at this rate (the 181st day of leave).
    pub from: NaiveDate,
    /// Days at this rate.
    pub days: u32,
    /// The rate, in percent.
    pub rate_percent: u32,
}

/// Months of a premium exempted or reduced, and the yen waived where the inputs allow.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ExemptionOutcome {
    /// Status, reason, beneficiary, trace.
    #[serde(flatten)]
    pub head: OutcomeHead,
    /// The months exempt.
    pub months: Vec<YearMonth>,
    /// Yen waived (absent: not computable from the inputs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waived: Option<Yen>,
    /// The months whose bonus (標準賞与額) premiums are exempt too.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bonus_months: Vec<YearMonth>,
    /// The first day the 届出 may be made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notify_from: Option<NaiveDate>,
}

/// The co-payment rules in force for a person, and what a month's bills come to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CostShareOutcome {
    /// Status, reason, beneficiary, trace.
    #[serde(flatten)]
    pub head: OutcomeHead,
    /// The month.
    pub month: YearMonth,
    /// One rule per kind of care.
    pub rules: Vec<CostShareRule>,
    /// What the family pays for the month's bills, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_pays: Option<Yen>,
    /// What the subsidy covers of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub covered: Option<Yen>,
}

/// The co-payment of one kind of care (入院, 通院, 調剤 …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CostShareRule {
    /// The kind of care (a code labelled in the scheme's metadata).
    pub care: Code,
    /// Per visit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_visit: Option<Yen>,
    /// Per day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_day: Option<Yen>,
    /// At most per month.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_cap: Option<Yen>,
    /// 現物給付 or 償還払い (a code).
    pub method: Code,
}

/// A fee cap for a month: what is free, the cap, what the family still pays.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct FeeCapOutcome {
    /// Status, reason, beneficiary, trace.
    #[serde(flatten)]
    pub head: OutcomeHead,
    /// The month.
    pub month: YearMonth,
    /// The most the scheme covers (absent: the whole fee).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cap: Option<Yen>,
    /// What the family still pays, when the fee is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_pays: Option<Yen>,
}

/// Coupons: how many, of what value, until when.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CouponsOutcome {
    /// Status, reason, beneficiary, trace.
    #[serde(flatten)]
    pub head: OutcomeHead,
    /// The coupons.
    pub coupons: Vec<Coupon>,
    /// Their total value.
    pub value: Yen,
}

/// A batch of coupons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Coupon {
    /// What they are (a code labelled in the scheme's metadata).
    pub part: Code,
    /// How many.
    pub count: u32,
    /// Value of each.
    pub value: Yen,
    /// The last day to use or apply for them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<NaiveDate>,
}

impl Outcome {
    /// A monthly scheme's answer to `query`: its month line for every month asked (a month it
    /// gives no line for is not known).
    pub(crate) fn monthly(
        scheme: &dyn crate::scheme::Scheme,
        hh: &crate::household::ValidHousehold,
        query: &crate::scheme::Query,
        trace: bool,
    ) -> Vec<Outcome> {
        let mut lines = scheme.months(hh, &mut query.months(), trace).into_iter().peekable();
        query
            .months()
            .map(|m| match lines.next_if(|l| l.month == m) {
                Some(line) => Outcome::Monthly(line),
                None => Outcome::Monthly(MonthResult::empty(scheme.meta().id.clone(), m, Status::NotKnown)),
            })
            .collect()
    }

    /// The kind of benefit.
    pub fn kind(&self) -> BenefitKind {
        match self {
            Outcome::Monthly(_) => BenefitKind::Monthly,
            Outcome::Grant(_) => BenefitKind::Grant,
            Outcome::WageUnits(_) => BenefitKind::WageUnits,
            Outcome::Exemption(_) => BenefitKind::Exemption,
            Outcome::CostShare(_) => BenefitKind::CostShare,
            Outcome::FeeCap(_) => BenefitKind::FeeCap,
            Outcome::Coupons(_) => BenefitKind::Coupons,
        }
    }

    /// The scheme's id.
    pub fn scheme(&self) -> &SchemeId {
        match self {
            Outcome::Monthly(r) => &r.scheme,
            Outcome::Grant(o) => &o.head.scheme,
            Outcome::WageUnits(o) => &o.head.scheme,
            Outcome::Exemption(o) => &o.head.scheme,
            Outcome::CostShare(o) => &o.head.scheme,
            Outcome::FeeCap(o) => &o.head.scheme,
            Outcome::Coupons(o) => &o.head.scheme,
        }
    }

    /// The status.
    pub fn status(&self) -> Status {
        match self {
            Outcome::Monthly(r) => r.status,
            Outcome::Grant(o) => o.head.status,
            Outcome::WageUnits(o) => o.head.status,
            Outcome::Exemption(o) => o.head.status,
            Outcome::CostShare(o) => o.head.status,
            Outcome::FeeCap(o) => o.head.status,
            Outcome::Coupons(o) => o.head.status,
        }
    }

    /// The yen this outcome adds to its kind's total (`None`: a kind without a yen amount, or
    /// not computable from the inputs).
    pub fn amount(&self) -> Option<Yen> {
        match self {
            Outcome::Monthly(r) => Some(r.amount),
            Outcome::Grant(o) => Some(o.amount),
            Outcome::WageUnits(o) => Some(o.amount),
            Outcome::Exemption(o) => o.waived,
            Outcome::CostShare(o) => o.covered,
            Outcome::FeeCap(_) => None,
            Outcome::Coupons(o) => Some(o.value),
        }
    }

    /// The monthly result, for a monthly allowance.
    pub fn as_monthly(&self) -> Option<&MonthResult> {
        match self {
            Outcome::Monthly(r) => Some(r),
            Outcome::Grant(_)
            | Outcome::WageUnits(_)
            | Outcome::Exemption(_)
            | Outcome::CostShare(_)
            | Outcome::FeeCap(_)
            | Outcome::Coupons(_) => None,
        }
    }
}

/// Totals per kind of benefit (JSON: `{"monthly": 15000}`); kinds are never added together.
pub type Totals = BTreeMap<BenefitKind, Yen>;

/// The totals of `outcomes`, per kind: a kind with nothing due is left out (a household without a
/// pregnancy has no `grant` total), except `monthly`, always there when a monthly scheme answered.
pub(crate) fn outcome_totals<'a>(outcomes: impl IntoIterator<Item = &'a Outcome>) -> Totals {
    let mut t = Totals::new();
    for o in outcomes {
        match o.amount() {
            Some(a) if a != 0 || o.kind() == BenefitKind::Monthly => *t.entry(o.kind()).or_insert(0) += a,
            _ => {}
        }
    }
    t
}
