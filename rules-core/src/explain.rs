//! Explanations: the trace of a result (which rule, which article, which parameter values with
//! their effective dates, which inputs, which branch) in Japanese and English, and the receipt
//! (engine version, ruleset version and hashes) that makes a result reproducible.

use crate::calendar::YearMonth;
use crate::ruleset::{Param, ValueStatus};
use serde::Serialize;

/// One step of the reasoning behind a result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TraceStep {
    /// Stable rule id, e.g. `child_allowance.2012.income_test`.
    pub rule: crate::scheme::Code,
    /// The provision applied.
    pub citation: String,
    /// The branch taken, as a stable code (e.g. `special_benefit`).
    pub branch: String,
    /// What happened, in Japanese.
    pub ja: String,
    /// What happened, in English.
    pub en: String,
    /// Parameters used, with the dated value in force.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<ParamUse>,
    /// Inputs used (JSON pointer and value).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<InputUse>,
}

/// A parameter value used in a step.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ParamUse {
    /// `ruleset id` + `.` + parameter name.
    pub name: String,
    /// The value (JSON), null when not in force or not known.
    pub value: serde_json::Value,
    /// First month of this value.
    pub from: YearMonth,
    /// Last month of this value (absent: open-ended within the ruleset).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<YearMonth>,
    /// The value's sources (ids of `rulesets/sources.json`, see `Engine::sources`, or URLs).
    pub source: crate::ruleset::Sources,
    /// The value's status.
    pub status: ValueStatus,
}

impl ParamUse {
    /// The use of `param` (named `name` in ruleset `ruleset`) in `month`.
    pub(crate) fn of<T: Serialize>(
        ruleset: &str,
        name: &str,
        param: &Param<T>,
        month: YearMonth,
        ruleset_to: Option<YearMonth>,
    ) -> Option<Self> {
        let i = param.values.partition_point(|v| v.from <= month).checked_sub(1)?;
        let v = &param.values[i];
        Some(ParamUse {
            name: format!("{ruleset}.{name}"),
            value: serde_json::to_value(&v.value).unwrap_or(serde_json::Value::Null),
            from: v.from,
            to: param.values.get(i + 1).map(|n| n.from.plus(-1)).or(ruleset_to),
            source: v.source.clone(),
            status: v.status,
        })
    }
}

/// An input value used in a step.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InputUse {
    /// JSON pointer into the household.
    pub path: String,
    /// The value as used.
    pub value: serde_json::Value,
}

/// Which engine and which rules produced a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Receipt {
    /// `kodomo-rules` + crate version.
    pub engine: String,
    /// Version of the embedded ruleset bundle (the crate version).
    pub rulesets_version: String,
    /// `sha256:` over all embedded ruleset files (path and contents, in order).
    pub rulesets_hash: String,
    /// The rulesets this result used, with their hashes.
    pub rulesets: Vec<RulesetRef>,
    /// What was evaluated: `YYYY-MM`, or `YYYY-MM..YYYY-MM` for a timeline.
    pub evaluated: String,
    /// Hash of any parameter overrides (absent: none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overrides_hash: Option<String>,
}

/// A ruleset used for a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RulesetRef {
    /// Ruleset id.
    pub id: String,
    /// Its content hash.
    pub hash: String,
}

/// Collects trace steps when tracing is on; a no-op otherwise (tracing is opt-in).
pub(crate) struct Tracer {
    steps: Option<Vec<TraceStep>>,
}

/// Off by default.
impl Default for Tracer {
    fn default() -> Self {
        Tracer::new(false)
    }
}

impl Tracer {
    pub(crate) fn new(on: bool) -> Self {
        Self { steps: on.then(Vec::new) }
    }

    /// Whether steps are being collected (to skip building them).
    pub(crate) fn on(&self) -> bool {
        self.steps.is_some()
    }

    /// Record a step; `build` runs only when tracing is on.
    pub(crate) fn step(&mut self, build: impl FnOnce() -> TraceStep) {
        if let Some(steps) = &mut self.steps {
            steps.push(build());
        }
    }

    pub(crate) fn finish(self) -> Option<Vec<TraceStep>> {
        self.steps
    }
}
