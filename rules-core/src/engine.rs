//! The engine: embedded rulesets, input parsing and validation, one month, timelines, batches.

use crate::calendar::YearMonth;
use crate::error::{ErrorCode, InputError, RulesetError};
use crate::explain::{Receipt, RulesetRef};
use crate::household::{Household, IncomeYear, Role, Scheme};
use crate::income::EmploymentIncomeParams;
use crate::ruleset::{self, RulesetInfo, BUNDLE_HASH, EMBEDDED};
use crate::schemes::allowances::Allowances;
use crate::schemes::child_allowance::ChildAllowance;
use crate::schemes::{Evaluation, MonthResult, Timeline};
use std::collections::HashSet;

/// Evaluation options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Include the trace (rule, citation, parameters, inputs, branch) in each result.
    pub trace: bool,
}

/// Longest timeline accepted, in months (100 years).
const MAX_SPAN_MONTHS: i32 = 1200;

/// Most persons in one household (JSON input and, by default, a population's household).
pub const MAX_PERSONS: usize = 200;
/// Most applications (認定請求) in one household.
pub const MAX_APPLICATIONS: usize = 200;
/// Most residence entries (moves) in one household.
pub const MAX_RESIDENCES: usize = 200;

/// The rules engine with its embedded, validated rulesets. Build once and share: parameters are
/// resolved at construction, not per call.
#[derive(Debug, Clone)]
pub struct Engine {
    child_allowance: ChildAllowance,
    pub(crate) allowances: Allowances,
    rulesets: Vec<RulesetInfo>,
    bundle_hash: String,
    /// The ruleset files as loaded (embedded, with overrides applied).
    texts: Vec<(&'static str, String)>,
    /// Override documents applied, in order.
    overrides: Vec<serde_json::Value>,
    overrides_hash: Option<String>,
}

impl Engine {
    /// Load and validate the embedded rulesets.
    pub fn new() -> Result<Self, RulesetError> {
        let texts: Vec<(&'static str, String)> = EMBEDDED.iter().map(|(p, t, _)| (*p, (*t).to_owned())).collect();
        Self::from_texts::<false>(texts, Vec::new())
    }

    /// Build from ruleset texts; `PRECISE`: parse errors name their JSON pointer (overrides).
    fn from_texts<const PRECISE: bool>(
        texts: Vec<(&'static str, String)>,
        overrides: Vec<serde_json::Value>,
    ) -> Result<Self, RulesetError> {
        let text = |path: &str| {
            let (p, t) = texts.iter().find(|(p, _)| *p == path).ok_or_else(|| RulesetError {
                ruleset: path.into(),
                path: String::new(),
                message: "not embedded".into(),
            })?;
            // The build-time hash holds while the text is the embedded one (no override applied).
            let hash = EMBEDDED.iter().find(|(e, et, _)| e == p && *et == t.as_str()).map(|(_, _, h)| *h);
            Ok::<_, RulesetError>((*p, t.as_str(), hash))
        };
        let (f, t, h) = text("national/income/employment_income_deduction.json")?;
        let (employment, employment_info) = ruleset::load::<EmploymentIncomeParams, PRECISE>(f, t, h)?;
        let (f, t, h) = text("national/child_allowance/2012.json")?;
        let r2012 = ruleset::load::<_, PRECISE>(f, t, h)?;
        let (f, t, h) = text("national/child_allowance/2024.json")?;
        let r2024 = ruleset::load::<_, PRECISE>(f, t, h)?;
        let (f, t, h) = text("national/child_rearing_allowance/2019.json")?;
        let rearing = ruleset::load::<_, PRECISE>(f, t, h)?;
        let (f, t, h) = text("national/special_child_allowance/2018.json")?;
        let special = ruleset::load::<_, PRECISE>(f, t, h)?;
        let (f, t, h) = text("national/disabled_child_welfare_allowance/2019.json")?;
        let welfare = ruleset::load::<_, PRECISE>(f, t, h)?;
        let allowances = Allowances::new(rearing, special, welfare, employment.clone());
        let child_allowance = ChildAllowance::new(r2012, r2024, employment)?;
        let mut rulesets = vec![employment_info];
        rulesets.extend(child_allowance.info.iter().cloned());
        rulesets.extend(allowances.info.iter().cloned());
        let bundle_hash = if overrides.is_empty() {
            BUNDLE_HASH.to_owned()
        } else {
            let mut all = Vec::new();
            for (path, text) in &texts {
                all.extend_from_slice(path.as_bytes());
                all.push(0);
                all.extend_from_slice(text.as_bytes());
                all.push(0);
            }
            ruleset::content_hash(&all)
        };
        let overrides_hash = (!overrides.is_empty())
            .then(|| ruleset::content_hash(serde_json::Value::Array(overrides.clone()).to_string().as_bytes()));
        Ok(Self { child_allowance, allowances, rulesets, bundle_hash, texts, overrides, overrides_hash })
    }

    /// A new engine whose parameters are replaced by dated values from `overrides` (a reform
    /// scenario), on top of any overrides this engine already has. Format:
    ///
    /// ```json
    /// {"child_allowance/2024.amount_third_or_later": [{"from": "2026-04", "value": 40000, "source": "reform A"}]}
    /// ```
    ///
    /// Keys are `ruleset id` + `.` + parameter name (see `kodomo rulesets` and the files under
    /// `rulesets/`); each entry replaces the parameter's values from its `from` month on (a single
    /// entry may be given without the list). The result is validated like a ruleset file: unknown
    /// rulesets or parameters, months outside the ruleset and values of the wrong type are errors
    /// naming the override's path. Results of the new engine carry `overrides_hash` in their receipt.
    /// The text must be one JSON document with no key twice.
    pub fn with_overrides_text(&self, overrides: &str) -> Result<Engine, InputError> {
        self.with_overrides(&crate::json::parse(overrides)?)
    }

    /// [`Engine::with_overrides`] for an already parsed JSON value.
    pub fn with_overrides(&self, overrides: &serde_json::Value) -> Result<Engine, InputError> {
        let bad = |code, path: String, msg: String| InputError::new(code, path, msg);
        let map = overrides
            .as_object()
            .ok_or_else(|| bad(ErrorCode::InvalidType, String::new(), "overrides must be a JSON object".into()))?;
        let mut texts = self.texts.clone();
        for (key, entries) in map {
            let at = format!("/{}", key.replace('~', "~0").replace('/', "~1"));
            let (id, param) = key.rsplit_once('.').ok_or_else(|| {
                bad(
                    ErrorCode::InvalidValue,
                    at.clone(),
                    "expected \"<ruleset id>.<parameter>\", e.g. \"child_allowance/2024.amount_third_or_later\"".into(),
                )
            })?;
            let entries: Vec<serde_json::Value> = match entries {
                serde_json::Value::Array(list) => list.clone(),
                serde_json::Value::Object(_) => vec![entries.clone()],
                _ => {
                    return Err(bad(
                        ErrorCode::InvalidType,
                        at,
                        "expected an entry {from, value} or a list of them".into(),
                    ))
                }
            };
            let Some(slot) = texts
                .iter_mut()
                .find(|(_, t)| serde_json::from_str::<serde_json::Value>(t).is_ok_and(|v| v["id"] == id))
            else {
                let ids: Vec<&str> = self.rulesets.iter().map(|r| r.id.as_str()).collect();
                return Err(bad(
                    ErrorCode::UnknownReference,
                    at,
                    format!("no ruleset {id:?} (rulesets: {})", ids.join(", ")),
                ));
            };
            let mut file: serde_json::Value =
                serde_json::from_str(&slot.1).map_err(|e| bad(ErrorCode::InvalidJson, at.clone(), e.to_string()))?;
            let Some(values) =
                file["parameters"].get_mut(param).and_then(|p| p.get_mut("values")).and_then(|v| v.as_array_mut())
            else {
                let names: Vec<String> =
                    file["parameters"].as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
                return Err(bad(
                    ErrorCode::UnknownReference,
                    at,
                    format!("ruleset {id} has no parameter {param:?} (parameters: {})", names.join(", ")),
                ));
            };
            let mut new_values = Vec::new();
            for (i, e) in entries.iter().enumerate() {
                let entry = e.as_object().ok_or_else(|| {
                    bad(ErrorCode::InvalidType, format!("{at}/{i}"), "expected an object {from, value}".into())
                })?;
                if let Some(k) = entry.keys().find(|k| !["from", "value", "source", "note"].contains(&k.as_str())) {
                    return Err(bad(
                        ErrorCode::UnknownField,
                        format!("{at}/{i}/{k}"),
                        format!("unknown field `{k}`, expected from, value, source or note"),
                    ));
                }
                let from = entry.get("from").and_then(|f| f.as_str()).ok_or_else(|| {
                    bad(
                        ErrorCode::MissingField,
                        format!("{at}/{i}/from"),
                        "an override needs a from month (YYYY-MM)".into(),
                    )
                })?;
                from.parse::<YearMonth>()
                    .map_err(|e| bad(ErrorCode::InvalidMonth, format!("{at}/{i}/from"), e.to_string()))?;
                let value = entry.get("value").filter(|v| !v.is_null()).ok_or_else(|| {
                    bad(ErrorCode::MissingField, format!("{at}/{i}/value"), "an override needs a value".into())
                })?;
                let source = entry.get("source").and_then(|s| s.as_str()).unwrap_or("user-supplied");
                let mut dated = serde_json::json!({"from": from, "value": value, "source": format!("override: {source}"), "status": "override"});
                if let Some(note) = entry.get("note") {
                    dated["note"] = note.clone();
                }
                new_values.push(dated);
            }
            new_values.sort_by(|a, b| a["from"].as_str().cmp(&b["from"].as_str()));
            let first = new_values.first().and_then(|v| v["from"].as_str()).unwrap_or("").to_owned();
            values.retain(|v| v["from"].as_str().is_some_and(|f| f < first.as_str()));
            values.extend(new_values);
            slot.1 = serde_json::to_string_pretty(&file).unwrap_or_default();
        }
        let mut all = self.overrides.clone();
        all.push(overrides.clone());
        Self::from_texts::<true>(texts, all).map_err(|e| {
            let code =
                if e.message.starts_with("invalid type") { ErrorCode::InvalidType } else { ErrorCode::InvalidValue };
            InputError::new(
                code,
                String::new(),
                format!("override makes ruleset {} invalid at {}: {}", e.ruleset, e.path, e.message),
            )
        })
    }

    /// The embedded rulesets: id, scheme, logic version, months covered, content hash.
    pub fn rulesets(&self) -> &[RulesetInfo] {
        &self.rulesets
    }

    /// `sha256:` over every embedded ruleset file.
    pub fn rulesets_hash(&self) -> &str {
        &self.bundle_hash
    }

    /// JSON Schema of the household input.
    pub fn household_schema() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(Household)).unwrap_or_default()
    }

    /// JSON Schemas of the input and of every output (file name, schema): the household, an
    /// evaluation, a timeline and the ruleset list. The TypeScript types of the npm package are
    /// generated from these.
    pub fn api_schemas() -> Vec<(&'static str, serde_json::Value)> {
        // Outputs are described as they are serialised (fields left out when empty are optional).
        fn output<T: schemars::JsonSchema>() -> serde_json::Value {
            let generator = schemars::generate::SchemaSettings::default().for_serialize().into_generator();
            serde_json::to_value(generator.into_root_schema_for::<T>()).unwrap_or_default()
        }
        vec![
            ("household.schema.json", Self::household_schema()),
            ("evaluation.schema.json", output::<Evaluation>()),
            ("timeline.schema.json", output::<Timeline>()),
            ("rulesets.schema.json", output::<Vec<RulesetInfo>>()),
        ]
    }

    /// Parse household JSON: unknown fields, wrong types and impossible dates are errors naming
    /// the JSON pointer; then [`Engine::validate`].
    pub fn parse_household(json: &str) -> Result<Household, InputError> {
        // One document, no key twice (`invalid_json` with the pointer otherwise).
        Self::household_from_value(crate::json::parse(json)?)
    }

    /// Parse a household from an already parsed JSON value (as the bindings do).
    pub fn household_from_value(value: serde_json::Value) -> Result<Household, InputError> {
        check_objects(&value)?;
        let hh: Household =
            serde_path_to_error::deserialize(value).map_err(|e| InputError::from_serde(e.path(), e.inner()))?;
        Self::validate(&hh)?;
        Ok(hh)
    }

    /// Check what types alone cannot: ids, references, required dates, signs and order.
    pub fn validate(hh: &Household) -> Result<(), InputError> {
        let err = |code, path: String, msg: &str| Err(InputError::new(code, path, msg));
        for (name, len, max) in [
            ("persons", hh.persons.len(), MAX_PERSONS),
            ("applications", hh.applications.len(), MAX_APPLICATIONS),
            ("residence", hh.residence.len(), MAX_RESIDENCES),
        ] {
            if len > max {
                return Err(InputError::new(
                    ErrorCode::InvalidValue,
                    format!("/{name}/{max}"),
                    format!("a household has at most {max} {name} entries (got {len})"),
                ));
            }
        }
        let mut ids = HashSet::new();
        for (i, p) in hh.persons.iter().enumerate() {
            if p.id.is_empty() {
                return err(ErrorCode::InvalidValue, format!("/persons/{i}/id"), "must not be empty");
            }
            if !ids.insert(p.id.as_str()) {
                return err(
                    ErrorCode::DuplicateId,
                    format!("/persons/{i}/id"),
                    &format!("duplicate person id {:?}", p.id),
                );
            }
            if p.role == Role::Child && p.birth_date.is_none() {
                return err(ErrorCode::MissingField, format!("/persons/{i}/birth_date"), "a child needs a birth date");
            }
            if let (Some(b), Some(d)) = (p.birth_date, p.death_date) {
                if d < b {
                    return err(
                        ErrorCode::InvalidValue,
                        format!("/persons/{i}/death_date"),
                        "is before the birth date",
                    );
                }
            }
            for (field, d) in [
                ("birth_date", p.birth_date),
                ("death_date", p.death_date),
                ("extended_care/confirmed_on", p.extended_care.and_then(|e| e.confirmed_on)),
            ] {
                check_date(&format!("/persons/{i}/{field}"), d)?;
            }
            if p.role != Role::Child
                && (p.extended_care.is_some()
                    || !p.in_care
                    || p.disability.is_some()
                    || p.in_facility
                    || p.disability_pension)
            {
                return err(
                    ErrorCode::InvalidValue,
                    format!("/persons/{i}"),
                    "in_care, extended_care, disability, in_facility and disability_pension apply to children only",
                );
            }
            if p.child_rearing_reason.is_some() && !matches!(p.role, Role::Parent | Role::Guardian) {
                return err(
                    ErrorCode::InvalidValue,
                    format!("/persons/{i}/child_rearing_reason"),
                    "applies to a parent or guardian (the claimant of 児童扶養手当)",
                );
            }
            use crate::household::ChildRearingReason as R;
            if matches!(p.child_rearing_reason, Some(R::ParentsAbsent | R::Orphan | R::ParentsNotCaring))
                && p.role != Role::Guardian
            {
                return err(
                    ErrorCode::InvalidValue,
                    format!("/persons/{i}/child_rearing_reason"),
                    "parents_absent, orphan and parents_not_caring are a guardian's (養育者) reasons; a parent gives the reason the other parent is absent",
                );
            }
            for (year, iy) in &p.income {
                validate_income_year(&format!("/persons/{i}/income/{}", year.0), iy)?;
            }
        }
        for (i, a) in hh.applications.iter().enumerate() {
            match hh.persons.iter().find(|p| p.id == a.claimant) {
                None => {
                    return err(
                        ErrorCode::UnknownReference,
                        format!("/applications/{i}/claimant"),
                        &format!("no person with id {:?}", a.claimant),
                    )
                }
                Some(p) => {
                    let (ok, who) = match a.scheme {
                        Scheme::ChildAllowance => (p.role == Role::Parent, "a parent"),
                        Scheme::ChildRearingAllowance | Scheme::SpecialChildAllowance => {
                            (matches!(p.role, Role::Parent | Role::Guardian), "a parent or guardian")
                        }
                        Scheme::DisabledChildWelfareAllowance => (p.role == Role::Child, "the child (本人)"),
                    };
                    if !ok {
                        return err(
                            ErrorCode::InvalidValue,
                            format!("/applications/{i}/claimant"),
                            &format!("the claimant of {} must be {who}", a.scheme.id()),
                        );
                    }
                }
            }
            check_date(&format!("/applications/{i}/date"), Some(a.date))?;
            if hh.persons.iter().any(|p| p.id == a.claimant && p.birth_date.is_some_and(|b| a.date < b)) {
                return err(
                    ErrorCode::InvalidValue,
                    format!("/applications/{i}/date"),
                    "is before the claimant's birth",
                );
            }
            if let Some(m) = &a.municipality {
                check_municipality(&format!("/applications/{i}/municipality"), m)?;
                if !hh.residence.is_empty() && !hh.residence.iter().any(|r| &r.municipality == m) {
                    return err(
                        ErrorCode::UnknownReference,
                        format!("/applications/{i}/municipality"),
                        "is not in the residence history",
                    );
                }
            }
        }
        for (i, r) in hh.residence.iter().enumerate() {
            check_municipality(&format!("/residence/{i}/municipality"), &r.municipality)?;
            check_date(&format!("/residence/{i}/since"), Some(r.since))?;
            if i > 0 && r.municipality == hh.residence[i - 1].municipality {
                return err(
                    ErrorCode::InvalidValue,
                    format!("/residence/{i}/municipality"),
                    "same municipality as the entry before (a move within a municipality needs no entry)",
                );
            }
            if i > 0 && r.since <= hh.residence[i - 1].since {
                return err(
                    ErrorCode::InvalidValue,
                    format!("/residence/{i}/since"),
                    "residence entries must be in increasing date order",
                );
            }
        }
        Ok(())
    }

    pub(crate) fn child_allowance(&self) -> &ChildAllowance {
        &self.child_allowance
    }

    fn receipt(&self, evaluated: String, used: Vec<&RulesetInfo>) -> Receipt {
        Receipt {
            engine: format!("kodomo-rules {}", env!("CARGO_PKG_VERSION")),
            rulesets_version: env!("CARGO_PKG_VERSION").to_owned(),
            rulesets_hash: self.bundle_hash.clone(),
            rulesets: used.into_iter().map(|r| RulesetRef { id: r.id.clone(), hash: r.hash.clone() }).collect(),
            evaluated,
            overrides_hash: self.overrides_hash.clone(),
        }
    }

    /// The rulesets the months of `schemes` use (the income ruleset first, when an income test
    /// may read it).
    fn used_for(&self, schemes: &[Scheme], months: impl Iterator<Item = YearMonth> + Clone) -> Vec<&RulesetInfo> {
        let mut used: Vec<&RulesetInfo> = vec![];
        for &scheme in schemes {
            for m in months.clone() {
                let list = if scheme == Scheme::ChildAllowance {
                    self.child_allowance.rulesets_for(m)
                } else {
                    self.allowances.rulesets_for(scheme, m)
                };
                for r in list {
                    if !used.iter().any(|u| u.id == r.id) {
                        used.push(r);
                    }
                }
            }
        }
        if self.income_used(&used) {
            used.insert(0, &self.rulesets[0]);
        }
        used
    }

    fn income_used(&self, used: &[&RulesetInfo]) -> bool {
        used.iter().any(|r| r.id != "child_allowance/2024")
    }

    /// One scheme for one month of a validated household.
    pub fn evaluate_scheme(&self, hh: &Household, scheme: Scheme, month: YearMonth, options: Options) -> MonthResult {
        match scheme {
            Scheme::ChildAllowance => {
                let prep = self.child_allowance.prepare(hh);
                self.child_allowance.evaluate(&prep, month, options.trace)
            }
            _ => {
                let prep = self.allowances.prepare(hh, scheme);
                self.allowances.evaluate(scheme, &prep, month, options.trace)
            }
        }
    }

    /// Every scheme for one month of a validated household (see [`Engine::parse_household`]).
    pub fn evaluate(&self, hh: &Household, month: YearMonth, options: Options) -> Evaluation {
        let schemes: Vec<MonthResult> =
            Scheme::ALL.iter().map(|&s| self.evaluate_scheme(hh, s, month, options)).collect();
        let total = schemes.iter().map(|r| r.amount).sum();
        Evaluation {
            month,
            schemes,
            total,
            receipt: self.receipt(month.to_string(), self.used_for(&Scheme::ALL, std::iter::once(month))),
        }
    }

    /// A scheme month by month from `from` to `to` (both included), with its payments.
    pub fn timeline(
        &self,
        hh: &Household,
        scheme: Scheme,
        from: YearMonth,
        to: YearMonth,
        options: Options,
    ) -> Result<Timeline, InputError> {
        if to < from {
            return Err(InputError::new(ErrorCode::InvalidValue, "/to", format!("{to} is before {from}")));
        }
        if from.months_until(to) >= MAX_SPAN_MONTHS {
            return Err(InputError::new(
                ErrorCode::InvalidValue,
                "/to",
                format!("a timeline spans at most {MAX_SPAN_MONTHS} months"),
            ));
        }
        let (months, payments) = if scheme == Scheme::ChildAllowance {
            let prep = self.child_allowance.prepare(hh);
            let months: Vec<MonthResult> =
                from.through(to).map(|m| self.child_allowance.evaluate(&prep, m, options.trace)).collect();
            let payments = self.child_allowance.payments(&months);
            (months, payments)
        } else {
            let prep = self.allowances.prepare(hh, scheme);
            let months: Vec<MonthResult> =
                from.through(to).map(|m| self.allowances.evaluate(scheme, &prep, m, options.trace)).collect();
            let payments = self.allowances.payments(scheme, &months);
            (months, payments)
        };
        let total = months.iter().map(|r| r.amount).sum();
        Ok(Timeline {
            scheme,
            from,
            to,
            months,
            payments,
            total,
            receipt: self.receipt(format!("{from}..{to}"), self.used_for(&[scheme], from.through(to))),
        })
    }

    /// The calendar year whose income a month of `scheme` reads (`None`: no income test that
    /// month, or before the scheme as encoded).
    pub fn income_year_of(&self, scheme: Scheme, month: YearMonth) -> Option<i32> {
        match scheme {
            Scheme::ChildAllowance => self.child_allowance.income_year_for(month),
            _ => self.allowances.income_year_for(scheme, month),
        }
    }
}

/// serde would accept a JSON array in place of an object (fields by position); the model's
/// objects must be JSON objects, so check that before typed deserialisation.
fn check_objects(value: &serde_json::Value) -> Result<(), InputError> {
    use serde_json::Value;
    fn object<'v>(v: &'v Value, path: &str) -> Result<Option<&'v serde_json::Map<String, Value>>, InputError> {
        match v {
            Value::Object(m) => Ok(Some(m)),
            Value::Null if !path.is_empty() => Ok(None),
            _ => Err(InputError::new(ErrorCode::InvalidType, path, format!("expected a JSON object, got {}", kind(v)))),
        }
    }
    fn kind(v: &Value) -> &'static str {
        match v {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
    fn each<'v>(m: &'v serde_json::Map<String, Value>, key: &str) -> impl Iterator<Item = (usize, &'v Value)> {
        m.get(key).and_then(Value::as_array).into_iter().flatten().enumerate()
    }
    let Some(root) = object(value, "")? else { return Ok(()) };
    for (i, p) in each(root, "persons") {
        let Some(person) = object(p, &format!("/persons/{i}"))? else { continue };
        for key in ["extended_care", "disability"] {
            if let Some(e) = person.get(key) {
                object(e, &format!("/persons/{i}/{key}"))?;
            }
        }
        if let Some(income) = person.get("income") {
            let Some(years) = object(income, &format!("/persons/{i}/income"))? else { continue };
            for (year, y) in years {
                let path = format!("/persons/{i}/income/{year}");
                if let Some(y) = object(y, &path)? {
                    if let Some(d) = y.get("deductions") {
                        object(d, &format!("{path}/deductions"))?;
                    }
                }
            }
        }
    }
    for key in ["applications", "residence"] {
        for (i, v) in each(root, key) {
            object(v, &format!("/{key}/{i}"))?;
        }
    }
    Ok(())
}

/// Dates the rules can meet: 1900-01-01 to 2200-12-31.
pub(crate) fn check_date(path: &str, d: Option<chrono::NaiveDate>) -> Result<(), InputError> {
    use chrono::Datelike;
    match d {
        Some(d) if !(1900..=2200).contains(&d.year()) => {
            Err(InputError::new(ErrorCode::InvalidDate, path, format!("{d} is outside the supported years 1900–2200")))
        }
        _ => Ok(()),
    }
}

/// 全国地方公共団体コード: 6 digits with the check digit, or 5 without.
fn check_municipality(path: &str, code: &str) -> Result<(), InputError> {
    if (code.len() == 5 || code.len() == 6) && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(InputError::new(ErrorCode::InvalidValue, path, "expected a 5- or 6-digit 全国地方公共団体コード"))
    }
}

/// Signs, ranges and exclusive fields of one income year (shared by households and batch rows).
pub(crate) fn validate_income_year(base: &str, iy: &IncomeYear) -> Result<(), InputError> {
    let err = |path: String, msg: &str| Err(InputError::new(ErrorCode::InvalidValue, path, msg));
    let amounts = [
        ("salary", iy.salary.unwrap_or(0)),
        ("employment_income", iy.employment_income.unwrap_or(0)),
        ("pension_income", iy.pension_income),
        ("other_income", iy.other_income),
        ("child_support", iy.child_support),
    ];
    for (name, v) in amounts {
        if v < 0 {
            return err(
                format!("{base}/{name}"),
                "must not be negative (enter 所得 after loss offsetting, floored at 0)",
            );
        }
        if v > 1_000_000_000_000 {
            return err(format!("{base}/{name}"), "is implausibly large (over 1兆円)");
        }
    }
    let d = &iy.deductions;
    for (name, v) in [
        ("casualty_loss", d.casualty_loss),
        ("medical", d.medical),
        ("small_business_mutual_aid", d.small_business_mutual_aid),
        ("spouse_special", d.spouse_special),
    ] {
        if !(0..=1_000_000_000_000).contains(&v) {
            return err(format!("{base}/deductions/{name}"), "must be between 0 and 1兆円");
        }
    }
    if iy.salary.is_some() && iy.employment_income.is_some() {
        return err(format!("{base}/employment_income"), "give either salary or employment_income, not both");
    }
    if iy.dependants.is_some() && iy.other_dependants.is_some() {
        return err(format!("{base}/other_dependants"), "give either dependants or other_dependants, not both");
    }
    if iy.dependants.is_some_and(|n| iy.elderly_dependants > n) {
        return err(format!("{base}/elderly_dependants"), "exceeds dependants");
    }
    if iy.dependants.is_some_and(|n| iy.specified_dependants > n) {
        return err(format!("{base}/specified_dependants"), "exceeds dependants");
    }
    if iy.dependants.is_some_and(|n| iy.specified_dependants + iy.elderly_dependants > n) {
        return err(format!("{base}/specified_dependants"), "特定 and 老人 dependants together exceed dependants");
    }
    let counts = [
        iy.dependants.unwrap_or(0),
        iy.other_dependants.unwrap_or(0),
        iy.elderly_dependants,
        iy.specified_dependants,
        d.disabled,
        d.specially_disabled,
    ];
    if counts.iter().any(|&n| n > 100) {
        return err(base.to_owned(), "a count above 100 is not plausible");
    }
    Ok(())
}
