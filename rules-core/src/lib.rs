//! # kodomo-rules
//!
//! Japanese child and family benefit rules — 児童手当 (child allowance) for every month since
//! 2012-04, 児童扶養手当 and 障害児福祉手当 since 2019-04, 特別児童扶養手当 since 2018-04 — encoded
//! once as versioned, cited rulesets plus typed logic, with exact integer-yen money, the legal
//! calendar, explanations and receipts.
//!
//! Each scheme has an id (`engine.schemes()` lists them with their names, kind and labels), a
//! folder under `rulesets/` (`scheme.json` and one file per logic version) and one under
//! `src/schemes/`. Input is parsed and validated into a [`ValidHousehold`], the only form the rules
//! read.
//!
//! ```
//! use kodomo_rules::{Engine, Options};
//! let engine = Engine::new().expect("embedded rulesets are valid");
//! let household = engine.parse_household(r#"{
//!   "persons": [
//!     {"id": "mother", "role": "parent"},
//!     {"id": "c1", "role": "child", "birth_date": "2023-05-10"}
//!   ]}"#).expect("valid input");
//! let month = "2025-06".parse().expect("a month");
//! let result = engine.evaluate(&household, month, Options::default());
//! // 3歳未満 15,000円 (児童手当法第6条, 2024-10 reform); totals are per kind of benefit.
//! assert_eq!(result.totals.get(&kodomo_rules::BenefitKind::Monthly), Some(&15_000));
//! let one = engine.evaluate_scheme(&household, "child_allowance", month, Options::trace(true)).expect("a scheme id");
//! assert_eq!(one.regime.as_ref().map(|r| r.as_str()), Some("2024"));
//! ```
//!
//! The core is pure: no clock, no I/O beyond parsing the bytes it is given. The rulesets are
//! embedded at compile time.

pub mod calendar;
mod concepts;
mod engine;
pub mod error;
mod events;
pub mod explain;
pub mod household;
mod income;
mod json;
pub mod money;
mod ruleset;
mod scheme;
mod schemes;

pub use calendar::YearMonth;
pub use engine::{Engine, Options, MAX_APPLICATIONS, MAX_PERSONS, MAX_RESIDENCES};
pub use error::{Error, ErrorCode, InputError, RulesetError};
pub use events::{EventKind, LifeEvent, Procedure};
pub use household::{
    ChildRearingReason, ChildcareLeave, Disability, ExtendedCare, Facility, HealthInsurance, Household, IncomeYear,
    InsuranceKind, InsuredStatus, LeavePay, MaternityLeave, OutcomeKind, PensionCategory, PensionPeriod, Person,
    Pregnancy, PregnancyOutcome, PremiumRate, Role, SpecialChildGrade, ValidHousehold,
};
pub use income::{AdjustmentBasis, IncomeBreakdown};
pub use json::{from_json_value, parse as parse_json};
#[cfg(feature = "schema")]
pub use ruleset::schemas as ruleset_schemas;
pub use ruleset::{Bundle, BundleErrors, RulesetInfo, RulesetList, Source, SourceKind, Sources, SourcesFile, Text};
pub use scheme::{BenefitKind, Code, Level, Query, SchemeFile, SchemeId, SchemeInfo};
pub use schemes::registry::{
    BatchChild, BatchOutcome, ChildOutcome, DependantsInput, IncomeInput, PersonRow, Population, PopulationBuilder,
};
pub use schemes::{
    yen, Answer, Band, ChildResult, CostShareOutcome, CostShareRule, Coupon, CouponsOutcome, Evaluation,
    ExemptionOutcome, FeeCapOutcome, Grant, GrantOutcome, IncomeTest, Lang, MonthResult, Outcome, OutcomeHead,
    PayMonth, Payment, Range, RateChange, RelativeTest, Status, Timeline, Totals, WageUnit, WageUnitsOutcome,
    SCHEMA_VERSION,
};
