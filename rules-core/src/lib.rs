//! # kodomo-rules
//!
//! Japanese child and family benefit rules — 児童手当 (child allowance) for every month since
//! 2012-04, 児童扶養手当 and 障害児福祉手当 since 2019-04, 特別児童扶養手当 since 2018-04 — encoded
//! once as versioned, cited rulesets plus typed logic, with exact integer-yen money, the legal
//! calendar, explanations and receipts.
//!
//! ```
//! use kodomo_rules::{Engine, Options};
//! let engine = Engine::new().expect("embedded rulesets are valid");
//! let household = Engine::parse_household(r#"{
//!   "persons": [
//!     {"id": "mother", "role": "parent"},
//!     {"id": "c1", "role": "child", "birth_date": "2023-05-10"}
//!   ]}"#).expect("valid input");
//! let month = "2025-06".parse().expect("a month");
//! let result = engine.evaluate(&household, month, Options::default());
//! assert_eq!(result.total, 15_000); // 3歳未満 15,000円 (児童手当法第6条, 2024-10 reform)
//! ```
//!
//! The core is pure: no clock, no I/O beyond parsing the bytes it is given. The rulesets are
//! embedded at compile time.

mod batch;
pub mod calendar;
mod engine;
pub mod error;
pub mod explain;
pub mod household;
pub mod income;
mod json;
pub mod money;
pub mod ruleset;
pub mod schemes;

pub use batch::{BatchChild, ChildOutcome, PersonRow, Population, PopulationBuilder};
pub use calendar::YearMonth;
pub use engine::{Engine, Options, MAX_APPLICATIONS, MAX_PERSONS, MAX_RESIDENCES};
pub use error::{Error, ErrorCode, InputError, RulesetError};
pub use household::{
    ChildRearingReason, Disability, ExtendedCare, Household, IncomeYear, Person, Role, Scheme, SpecialChildGrade,
};
pub use schemes::child_allowance::{BatchOutcome, DependantsInput, IncomeInput};
pub use schemes::{Band, Evaluation, Lang, MonthResult, Status, Timeline};
