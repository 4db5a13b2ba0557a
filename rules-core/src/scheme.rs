//! The scheme platform: what every scheme is (its id, metadata and the [`Scheme`] trait the engine
//! calls) independently of any one scheme. The implementations are listed once, in
//! `schemes/registry.rs`; their metadata comes from each folder's `scheme.json`.

use crate::calendar::YearMonth;
use crate::events::{LifeEvent, Procedure};
use crate::household::{Role, ValidHousehold};
use crate::ruleset::{RulesetInfo, Text};
use crate::schemes::{MonthResult, Payment};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A scheme's stable id: the path of its folder under `rulesets/`, without `national/` for a
/// national scheme (`child_allowance`, `municipal/382060/child_medical_subsidy`); the folders of
/// a national scheme under `rules-core/src/schemes/` and `conformance/` have the same name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct SchemeId(#[cfg_attr(feature = "schema", schemars(with = "String"))] Arc<str>);

impl SchemeId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for SchemeId {
    fn from(s: &str) -> Self {
        SchemeId(Arc::from(s))
    }
}

impl std::fmt::Display for SchemeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for SchemeId {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

/// A stable output code (a reason, a band, a warning, a branch): written in Rust or loaded from a
/// data file, labelled in the scheme's metadata (`labels`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct Code(#[cfg_attr(feature = "schema", schemars(with = "String"))] Cow<'static, str>);

impl Code {
    /// A code written in the source.
    pub const fn new(code: &'static str) -> Self {
        Code(Cow::Borrowed(code))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for Code {
    fn from(s: String) -> Self {
        Code(Cow::Owned(s))
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who runs a scheme (and so where its data lives).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Level {
    /// 国: a national law.
    National,
    /// 保険者: a health or employment insurer.
    Insurer,
    /// 都道府県.
    Prefecture,
    /// 市区町村.
    Municipality,
}

/// What kind of benefit a scheme gives; totals are never summed across kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BenefitKind {
    /// An amount per month (手当): month lines and payments.
    Monthly,
    /// A one-off grant (一時金・給付金).
    Grant,
    /// Wage-related units (支給単位期間) of a leave benefit.
    WageUnits,
    /// Months of a premium exempted or reduced (保険料免除・軽減).
    Exemption,
    /// Co-payment rules in force (医療費助成).
    CostShare,
    /// A fee cap per month (保育料・幼児教育).
    FeeCap,
    /// Coupons (クーポン・応援券).
    Coupons,
}

/// A scheme's `scheme.json`: what it is, which law sets it, who may apply, which ruleset files
/// hold its versions, and the labels of the codes it reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SchemeFile {
    /// The scheme's id (the folder's name).
    pub id: SchemeId,
    /// The scheme's name.
    pub name: Text,
    /// The governing law or programme.
    pub law: Text,
    /// Who runs it.
    pub level: Level,
    /// The kind of benefit.
    pub kind: BenefitKind,
    /// The roles of persons who may apply (an application's `claimant`).
    pub claimants: Vec<Role>,
    /// The ruleset files of this folder, oldest version first (file names).
    pub versions: Vec<String>,
    /// Shared rulesets the scheme reads (ruleset ids, e.g. `income/employment_income_deduction`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uses: Vec<String>,
    /// The household inputs the scheme reads, as JSON pointers with `*` for any index or key
    /// (e.g. `/persons/*/income/*`): for a form's next question and for column projection.
    pub inputs: Vec<String>,
    /// Schemes whose results this one reads (e.g. a medical subsidy excluding children on
    /// another subsidy).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<SchemeId>,
    /// Labels of the codes the scheme reports, by kind (`reason`, `band`, `warning`,
    /// `income_test`, `grade`) and code.
    pub labels: BTreeMap<String, BTreeMap<String, Text>>,
}

/// What the engine reports about a scheme (`kodomo schemes`, `engine.schemes()`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct SchemeInfo {
    /// The scheme's metadata as in its `scheme.json`.
    #[serde(flatten)]
    pub meta: SchemeFile,
    /// The ids of the ruleset files it reads (its versions, then the shared rulesets).
    pub rulesets: Vec<String>,
}

/// What a scheme is asked (照会): one month, a span of months, one day, or a life event.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Query {
    /// One month (支給対象月).
    Month(YearMonth),
    /// The months `from` to `to`, both included.
    Span {
        /// First month.
        from: YearMonth,
        /// Last month.
        to: YearMonth,
    },
    /// One day (a grant decided on a date; a monthly scheme answers for its month).
    On(chrono::NaiveDate),
    /// A life event (a monthly scheme answers for the event's month; its procedures come from
    /// [`crate::Engine::procedures`]).
    Event(LifeEvent),
}

impl Query {
    /// The months a monthly scheme answers for, in order.
    pub fn months(&self) -> impl Iterator<Item = YearMonth> + Clone {
        let (from, to) = match self {
            Query::Month(m) => (*m, *m),
            Query::Span { from, to } => (*from, *to),
            Query::On(d) => (YearMonth::of(*d), YearMonth::of(*d)),
            Query::Event(e) => (YearMonth::of(e.date), YearMonth::of(e.date)),
        };
        from.through(to)
    }

    /// The day a one-off grant is decided on: the last day of the month or span, the day itself,
    /// or the event's date (every grant due by then is listed).
    pub fn as_of(&self) -> chrono::NaiveDate {
        match self {
            Query::Month(m) => m.last_day(),
            Query::Span { to, .. } => to.last_day(),
            Query::On(d) => *d,
            Query::Event(e) => e.date,
        }
    }
}

/// A scheme as the engine calls it. One implementation per logic family, listed in
/// `schemes/registry.rs`; built from the scheme's ruleset files.
pub(crate) trait Scheme: Send + Sync + std::fmt::Debug {
    /// The scheme's metadata (`scheme.json`).
    fn meta(&self) -> &SchemeFile;

    /// Every ruleset file of the scheme (its versions).
    fn rulesets(&self) -> &[RulesetInfo];

    /// The ruleset files month `m` reads (none before the scheme as encoded).
    fn rulesets_for(&self, m: YearMonth) -> Vec<&RulesetInfo>;

    /// Whether month `m` may read the shared income ruleset (an income test in force).
    fn reads_income(&self, m: YearMonth) -> bool;

    /// The calendar year whose income month `m` reads (`None`: no income test that month).
    fn income_year(&self, m: YearMonth) -> Option<i32>;

    /// The results of `months` (in order) for a validated household; the household is prepared
    /// once for all of them.
    fn months(&self, hh: &ValidHousehold, months: &mut dyn Iterator<Item = YearMonth>, trace: bool)
        -> Vec<MonthResult>;

    /// The scheme's answer to `query`, in its kind's envelope: for a monthly scheme one outcome per
    /// month asked (a date or an event: its month).
    fn evaluate(&self, hh: &ValidHousehold, query: &Query, trace: bool) -> Vec<crate::schemes::Outcome>;

    /// The procedures `event` calls for under this scheme (none unless the scheme says).
    fn procedures(&self, _hh: &ValidHousehold, _event: &LifeEvent) -> Vec<Procedure> {
        Vec::new()
    }

    /// The payments of a span of month results under the scheme's payment schedule.
    fn payments(&self, months: &[MonthResult]) -> Vec<Payment>;

    /// The implementation as `Any` (the columnar path finds its scheme by type).
    fn into_any(self: Arc<Self>) -> Arc<dyn std::any::Any + Send + Sync>;
}
