//! Schemes, one module each, and the result shape they share.

pub(crate) mod birth_support_grant;
pub(crate) mod child_allowance;
pub(crate) mod child_rearing_allowance;
pub(crate) mod childbirth_lump_sum;
pub(crate) mod childcare_leave_benefit;
pub(crate) mod disabled_child_welfare_allowance;
pub(crate) mod maternity_allowance;
pub(crate) mod nhi_maternity_reduction;
pub(crate) mod nhi_preschool_reduction;
mod outcome;
pub(crate) mod pension_maternity_exemption;
pub(crate) mod post_birth_leave_support_benefit;
pub(crate) mod postnatal_leave_benefit;
pub(crate) mod pregnancy_support_benefit;
pub(crate) mod reduced_hours_benefit;
pub(crate) mod registry;
mod render;
pub(crate) mod social_insurance_premium_exemption;
pub(crate) mod special_child_allowance;
/// The test-only toy scheme (cargo feature `toy`), kept in a test folder.
#[cfg(feature = "toy")]
#[path = "../../tests/toy/scheme.rs"]
pub(crate) mod toy;

pub(crate) use outcome::outcome_totals;
pub use outcome::{
    CostShareOutcome, CostShareRule, Coupon, CouponsOutcome, ExemptionOutcome, FeeCapOutcome, Grant, GrantOutcome,
    Outcome, OutcomeHead, RateChange, Totals, WageUnit, WageUnitsOutcome, SCHEMA_VERSION,
};
pub use render::{yen, Lang};

use crate::calendar::YearMonth;
use crate::explain::{Receipt, TraceStep};
use crate::household::Household;
use crate::money::Yen;
use crate::scheme::{Code, SchemeId};
use serde::Serialize;

/// The status of a scheme in a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Status {
    /// Entitled to a non-zero amount.
    Eligible,
    /// Not entitled (see `reason`).
    NotEligible,
    /// Depends on inputs not given (see `range` and `missing`).
    Undetermined,
    /// The scheme (as encoded) did not exist in that month.
    NotInForce,
    /// A figure the rules need for this month is not known (e.g. a future fiscal year).
    NotKnown,
}

impl Status {
    /// The stable snake_case name (as in JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Eligible => "eligible",
            Status::NotEligible => "not_eligible",
            Status::Undetermined => "undetermined",
            Status::NotInForce => "not_in_force",
            Status::NotKnown => "not_known",
        }
    }
}

/// The range of possible amounts when a result is undetermined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Range {
    /// Lowest possible amount.
    pub min: Yen,
    /// Highest possible amount.
    pub max: Yen,
}

/// A scheme's result for one month.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct MonthResult {
    /// The scheme's id.
    pub scheme: SchemeId,
    /// The month (支給対象月).
    pub month: YearMonth,
    /// Status.
    pub status: Status,
    /// Amount for the month (0 unless eligible).
    pub amount: Yen,
    /// Possible amounts, when undetermined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<Range>,
    /// Inputs (JSON pointers) that would decide an undetermined result.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// Why not eligible / not known (stable code).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Code>,
    /// Logic version used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regime: Option<Code>,
    /// The claimant (受給者) person id: the legal 受給者 (for 児童手当 and 特別児童扶養手当 the parent
    /// with the higher income), whoever applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claimant: Option<String>,
    /// The person who applied, when that is not the legal 受給者 (see `warnings`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applicant: Option<String>,
    /// Things a form or a caseworker should act on (stable codes), e.g.
    /// `application_by_other_parent`: the application should be made by the `claimant`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Code>,
    /// Municipality responsible for the month, when residence is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    /// Per-child breakdown.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<ChildResult>,
    /// The income test, where one applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub income_test: Option<IncomeTest>,
    /// Trace, when requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<Vec<TraceStep>>,
}

impl MonthResult {
    /// Report `applicant` when the application was made by another person than the legal
    /// 受給者 (`claimant`), with the warning `application_by_other_parent`.
    pub(crate) fn note_applicant(&mut self, hh: &Household, applicant: Option<usize>, claimant: Option<usize>) {
        if let (Some(a), Some(c)) = (applicant, claimant) {
            if a != c {
                self.applicant = hh.persons.get(a).map(|p| p.id.clone());
                self.warnings.push(Code::new("application_by_other_parent"));
            }
        }
    }

    /// Set the status, reason, amount or range of a month from the rules' answer, by the one
    /// cascade every monthly scheme shares, in this order:
    ///
    /// 1. nothing is payable under the rules (`max` 0, every figure known): `not_eligible` with the
    ///    rules' reason (else `fallback`);
    /// 2. nothing is paid this month (`unpaid`: `not_resident`, `before_start`, `not_claimed`):
    ///    `not_eligible`, every child's amount 0 — whatever figure is not known;
    /// 3. a figure the rules need is not known: `not_known` (`figure_not_known`);
    /// 4. the amount depends on inputs not given: `undetermined` with the range and those inputs;
    /// 5. `eligible` with the amount.
    pub(crate) fn settle(&mut self, answer: Settled, unpaid: Option<&'static str>, fallback: &'static str) {
        if answer.max == 0 && !answer.not_known {
            self.status = Status::NotEligible;
            self.reason = Some(Code::new(answer.reason.unwrap_or(fallback)));
        } else if let Some(reason) = unpaid {
            for c in &mut self.children {
                c.amount = c.amount.map(|_| 0);
            }
            self.status = Status::NotEligible;
            self.reason = Some(Code::new(reason));
        } else if answer.not_known {
            self.status = Status::NotKnown;
            self.reason = Some(Code::new("figure_not_known"));
        } else if answer.min != answer.max {
            self.status = Status::Undetermined;
            self.range = Some(Range { min: answer.min, max: answer.max });
            self.missing = answer.missing;
        } else {
            self.status = Status::Eligible;
            self.amount = answer.max;
        }
    }

    /// A result for `scheme` in `month` with `status` and nothing else yet (the schemes fill it in).
    pub(crate) fn empty(scheme: SchemeId, month: YearMonth, status: Status) -> Self {
        MonthResult {
            scheme,
            month,
            status,
            amount: 0,
            range: None,
            missing: vec![],
            reason: None,
            regime: None,
            claimant: None,
            applicant: None,
            warnings: vec![],
            municipality: None,
            children: vec![],
            income_test: None,
            trace: None,
        }
    }
}

/// The rules' answer for a month, before applications and residence: the amounts possible, a
/// figure not known, why nothing is payable, the inputs that would decide a range.
pub(crate) struct Settled {
    pub(crate) min: Yen,
    pub(crate) max: Yen,
    pub(crate) not_known: bool,
    pub(crate) reason: Option<&'static str>,
    pub(crate) missing: Vec<String>,
}

/// A child's part of a month result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ChildResult {
    /// Person id.
    pub id: String,
    /// Age band in the month.
    pub band: Band,
    /// Rank in the counting pool (1 = oldest), null when not in it or not determined.
    pub rank: Option<u32>,
    /// Amount for this child (absent when undetermined).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Yen>,
    /// 特別児童扶養手当: the grade paid (`grade_1` | `grade_2`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<Code>,
}

/// A child's band in a month: 児童手当's age bands, and the reasons a child is or is not counted
/// by 児童扶養手当, 特別児童扶養手当 and 障害児福祉手当.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Band {
    /// Born in this month or later (counted from the month after birth).
    NotBorn,
    /// 3歳未満 (through the month of the 3rd birthday).
    #[serde(rename = "under_3")]
    Under3,
    /// 3歳以上小学校修了前 (to 12歳年度末).
    Primary,
    /// 中学生 (to 15歳年度末).
    LowerSecondary,
    /// 高校生年代 (to 18歳年度末).
    UpperSecondary,
    /// 18歳年度末後〜22歳年度末.
    YoungAdult,
    /// After 22歳年度末.
    Adult,
    /// From the month after death.
    Deceased,
    /// Not in the claimant's 監護・生計.
    NotInCare,
    /// 児童扶養手当: a 児童 (to 18歳年度末).
    Child,
    /// 児童扶養手当: after 18歳年度末, under 20, with the disability 施行令別表第1 names.
    #[serde(rename = "disabled_under_20")]
    DisabledUnder20,
    /// 特別児童扶養手当 / 障害児福祉手当: under 20 (through the month in which 20 is reached).
    #[serde(rename = "under_20")]
    Under20,
    /// Past the scheme's age.
    AgedOut,
    /// Without the disability the scheme requires.
    NoQualifyingDisability,
    /// Lives in a facility (入所), which excludes the child.
    InFacility,
    /// Can receive a pension paid for disability, which excludes the child.
    DisabilityPension,
}

impl Band {
    /// The stable snake_case name (as in JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            Band::NotBorn => "not_born",
            Band::Under3 => "under_3",
            Band::Primary => "primary",
            Band::LowerSecondary => "lower_secondary",
            Band::UpperSecondary => "upper_secondary",
            Band::YoungAdult => "young_adult",
            Band::Adult => "adult",
            Band::Deceased => "deceased",
            Band::NotInCare => "not_in_care",
            Band::Child => "child",
            Band::DisabledUnder20 => "disabled_under_20",
            Band::Under20 => "under_20",
            Band::AgedOut => "aged_out",
            Band::NoQualifyingDisability => "no_qualifying_disability",
            Band::InFacility => "in_facility",
            Band::DisabilityPension => "disability_pension",
        }
    }

    /// Short description (Japanese, English).
    pub fn text(self) -> (&'static str, &'static str) {
        match self {
            Band::NotBorn => ("出生月以前（翌月から対象）", "birth month or before (counted from the next month)"),
            Band::Under3 => ("3歳未満", "under 3"),
            Band::Primary => ("3歳以上小学校修了前", "3 to end of primary school"),
            Band::LowerSecondary => ("中学生", "lower secondary"),
            Band::UpperSecondary => ("高校生年代", "upper secondary age"),
            Band::YoungAdult => ("18歳年度末後〜22歳年度末", "after 18歳年度末 to 22歳年度末"),
            Band::Adult => ("22歳年度末後", "after 22歳年度末"),
            Band::Deceased => ("死亡の翌月以後", "after the month of death"),
            Band::NotInCare => ("監護・生計の要件なし", "not in the claimant's care"),
            Band::Child => ("児童（18歳年度末まで）", "child (to 18歳年度末)"),
            Band::DisabledUnder20 => ("20歳未満の障害児", "disabled, under 20"),
            Band::Under20 => ("20歳未満の障害児", "disabled child under 20"),
            Band::AgedOut => ("対象年齢を超過", "past the age limit"),
            Band::NoQualifyingDisability => ("支給要件の障害に該当しない", "not the disability required"),
            Band::InFacility => ("施設に入所", "lives in a facility"),
            Band::DisabilityPension => ("障害を支給事由とする年金を受給可能", "can receive a disability pension"),
        }
    }
}

/// The income test of a month (児童手当: only 2012-06 – 2024-09).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct IncomeTest {
    /// 児童手当: `none` (no income test this month) | `below_limit` | `special_benefit` |
    /// `at_or_above_upper_limit`. 児童扶養手当: `full` | `partial` | `over_limit` |
    /// `relative_over_limit`. 特別児童扶養手当, 障害児福祉手当: `below_limit` | `over_limit` |
    /// `relative_over_limit`.
    pub outcome: Code,
    /// Calendar year of the income tested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// The claimant's 所得額.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub income: Option<Yen>,
    /// 扶養親族等の数.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dependants: Option<u32>,
    /// Of which 老人.
    #[serde(skip_serializing_if = "is_zero")]
    pub elderly_dependants: u32,
    /// 所得制限限度額.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<Yen>,
    /// 所得上限限度額 (児童手当), or 一部支給の所得制限限度額 (児童扶養手当), where in force and known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upper_limit: Option<Yen>,
    /// The 配偶者・扶養義務者 tested against their own limit (児童扶養手当, 特別児童扶養手当,
    /// 障害児福祉手当).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub relatives: Vec<RelativeTest>,
}

/// A 配偶者 or 扶養義務者 tested against the 扶養義務者等 limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RelativeTest {
    /// Person id.
    pub id: String,
    /// 所得額 (absent: not given or not computable).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub income: Option<Yen>,
    /// The limit (absent: not determined).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<Yen>,
    /// At or above the limit: the whole allowance stops.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub over: Option<bool>,
}

impl IncomeTest {
    /// No income test applies in the month.
    pub fn none() -> Self {
        IncomeTest {
            outcome: Code::new("none"),
            year: None,
            income: None,
            dependants: None,
            elderly_dependants: 0,
            limit: None,
            upper_limit: None,
            relatives: vec![],
        }
    }
}

fn is_zero(v: &u32) -> bool {
    *v == 0
}

/// One payment: the payment month (支払期月), the months it covers and the amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Payment {
    /// Payment month.
    pub payment_month: YearMonth,
    /// Months covered.
    pub months: Vec<YearMonth>,
    /// Amount paid.
    pub amount: Yen,
    /// Paying municipality, when residence is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
}

/// A scheme's results over a span of months, with payments.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Timeline {
    /// The output's version ([`SCHEMA_VERSION`]).
    pub schema_version: &'static str,
    /// The scheme's id.
    pub scheme: SchemeId,
    /// The kind of benefit (`monthly`).
    pub kind: crate::scheme::BenefitKind,
    /// First month.
    pub from: YearMonth,
    /// Last month.
    pub to: YearMonth,
    /// Every month's result.
    pub months: Vec<MonthResult>,
    /// Payments of the months' amounts.
    pub payments: Vec<Payment>,
    /// Sum of the months' amounts.
    pub total: Yen,
    /// Receipt.
    pub receipt: Receipt,
}

/// All schemes' results for one month.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Evaluation {
    /// The output's version ([`SCHEMA_VERSION`]).
    pub schema_version: &'static str,
    /// The month.
    pub month: YearMonth,
    /// Per scheme, each tagged with its benefit `kind`.
    pub schemes: Vec<Outcome>,
    /// Sum of the amounts per kind of benefit (never across kinds), e.g. `{"monthly": 15000}`.
    pub totals: Totals,
    /// Receipt.
    pub receipt: Receipt,
}

/// Every scheme's answer to a [`crate::Query`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Answer {
    /// The output's version ([`SCHEMA_VERSION`]).
    pub schema_version: &'static str,
    /// What was asked: a month (`2025-06`), a span (`2024-04..2025-03`), a day (`2025-06-10`) or
    /// an event (`birth 2025-06-10`).
    pub query: String,
    /// The outcomes, scheme by scheme in the engine's order (a monthly scheme: one per month
    /// asked), each tagged with its benefit `kind`.
    pub schemes: Vec<Outcome>,
    /// Sum of the amounts per kind of benefit (never across kinds).
    pub totals: Totals,
    /// Receipt.
    pub receipt: Receipt,
}

/// A payment month (支払期月) of a schedule and the last entitlement month it pays (the months
/// since the previous payment, up to and including `through`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PayMonth {
    /// Calendar month of the payment (1–12).
    pub month: u32,
    /// Calendar month (1–12) of the last month it pays: the same month, or one before it.
    pub through: u32,
}

impl PayMonth {
    /// Months between the last month paid and the payment month (0–11).
    fn lag(self) -> i32 {
        (self.month as i32 - self.through as i32).rem_euclid(12)
    }
}

/// The payment month of entitlement month `m`: the first payment month `p ≥ m`, under the
/// schedule in force at `p` (`schedule(p)`; dated by payment month, so a change of schedule takes
/// effect from its first payment), that pays through `m` or later. `None` if there is none within
/// two years (a schedule with no payment months).
pub(crate) fn payment_month<'s>(m: YearMonth, schedule: impl Fn(YearMonth) -> &'s [PayMonth]) -> Option<YearMonth> {
    (0..24).map(|i| m.plus(i)).find(|&p| schedule(p).iter().any(|d| d.month == p.month() && p.plus(-d.lag()) >= m))
}

/// Validate a dated payment schedule: months 1–12 increasing, each paying through the same or an
/// earlier month than the next payment.
pub(crate) fn check_schedule(name: &str, p: &crate::ruleset::Param<Vec<PayMonth>>, errors: &mut Vec<(String, String)>) {
    for (i, v) in p.values.iter().enumerate() {
        if let Some(list) = &v.value {
            let ok = !list.is_empty()
                && list.windows(2).all(|w| w[0].month < w[1].month)
                && list.iter().all(|d| (1..=12).contains(&d.month) && (1..=12).contains(&d.through) && d.lag() <= 1);
            if !ok {
                errors.push((
                    format!("/parameters/{name}/values/{i}/value"),
                    "payment months must be increasing months 1–12, each paying through its own or the previous month"
                        .into(),
                ));
            }
        }
    }
}

/// Group the months' amounts into payments: each month's amount in its payment month (from
/// `pay`), per paying municipality.
pub(crate) fn group_payments(months: &[MonthResult], pay: impl Fn(YearMonth) -> YearMonth) -> Vec<Payment> {
    let mut out: Vec<Payment> = Vec::new();
    for r in months.iter().filter(|r| r.amount > 0) {
        let pm = pay(r.month);
        match out.iter_mut().find(|p| p.payment_month == pm && p.municipality == r.municipality) {
            Some(p) => {
                p.months.push(r.month);
                p.amount += r.amount;
            }
            None => out.push(Payment {
                payment_month: pm,
                months: vec![r.month],
                amount: r.amount,
                municipality: r.municipality.clone(),
            }),
        }
    }
    out.sort_by_key(|p| p.payment_month);
    out
}

/// Municipality responsible for month `m`: the residence entered before that month (the old one
/// pays through the month of the move). `Ok(None)`: no residence given; `Err`: not yet resident.
pub(crate) fn responsible(hh: &Household, m: YearMonth) -> Result<Option<&str>, ()> {
    if hh.residence.is_empty() {
        return Ok(None);
    }
    hh.residence.iter().rev().find(|r| YearMonth::of(r.since) < m).map(|r| Some(r.municipality.as_str())).ok_or(())
}

/// How far an application (認定請求) has been found to cover the months after its start: the
/// claimant must stay entitled every month, and the first month that fails ends it (資格消滅).
/// Memoised per application, so a timeline checks each month once instead of once per later
/// month (a 100-year timeline of many applications stays linear).
#[derive(Debug, Default)]
pub(crate) struct Reach(std::cell::Cell<(Option<YearMonth>, Option<YearMonth>)>);

impl Reach {
    /// Whether every month from `start` through `m` passes `ok` (months before `start`: false).
    pub(crate) fn covers(&self, start: YearMonth, m: YearMonth, ok: impl Fn(YearMonth) -> bool) -> bool {
        if m < start {
            return false;
        }
        let (mut good_through, broken) = self.0.get();
        if let Some(b) = broken {
            if b <= m {
                return false;
            }
        }
        let mut k = good_through.map_or(start, YearMonth::next);
        while k <= m {
            if !ok(k) {
                self.0.set((good_through, Some(k)));
                return false;
            }
            good_through = Some(k);
            k = k.next();
        }
        self.0.set((good_through, broken));
        true
    }
}
