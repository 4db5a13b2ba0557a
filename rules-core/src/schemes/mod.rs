//! Schemes, one module each, and the result shape they share.

pub mod child_allowance;
mod render;

pub use render::{yen, Lang};

use crate::calendar::YearMonth;
use crate::explain::{Receipt, TraceStep};
use crate::household::Scheme;
use crate::money::Yen;
use serde::Serialize;

/// The status of a scheme in a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Range {
    /// Lowest possible amount.
    pub min: Yen,
    /// Highest possible amount.
    pub max: Yen,
}

/// A scheme's result for one month.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MonthResult {
    /// The scheme.
    pub scheme: Scheme,
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
    pub reason: Option<&'static str>,
    /// Logic version used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regime: Option<&'static str>,
    /// The claimant (受給者) person id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claimant: Option<String>,
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

/// A child's part of a month result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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
}

/// A child's age band in a month (児童手当 terms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
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
        }
    }
}

/// The income test of a month (児童手当: only 2012-06 – 2024-09).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct IncomeTest {
    /// `none` (no income test this month) | `below_limit` | `special_benefit` |
    /// `at_or_above_upper_limit`.
    pub outcome: &'static str,
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
    /// 所得上限限度額, where in force and known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upper_limit: Option<Yen>,
}

impl IncomeTest {
    /// No income test applies in the month.
    pub fn none() -> Self {
        IncomeTest {
            outcome: "none",
            year: None,
            income: None,
            dependants: None,
            elderly_dependants: 0,
            limit: None,
            upper_limit: None,
        }
    }
}

fn is_zero(v: &u32) -> bool {
    *v == 0
}

/// One payment: the payment month (支払期月), the months it covers and the amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Timeline {
    /// The scheme.
    pub scheme: Scheme,
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
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Evaluation {
    /// The month.
    pub month: YearMonth,
    /// Per scheme.
    pub schemes: Vec<MonthResult>,
    /// Sum of the eligible amounts.
    pub total: Yen,
    /// Receipt.
    pub receipt: Receipt,
}
