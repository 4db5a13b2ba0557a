//! The engine: embedded rulesets, input parsing and validation, one month, timelines, batches.

use crate::calendar::YearMonth;
use crate::error::{ErrorCode, InputError, RulesetError};
use crate::explain::{Receipt, RulesetRef};
use crate::household::{ExtendedCare, Household, Role, Scheme};
use crate::income::EmploymentIncomeParams;
use crate::ruleset::{self, RulesetInfo, EMBEDDED};
use crate::schemes::child_allowance::{
    BatchOutcome, ChildAllowance, ChildKeys, DependantsInput, Extended, IncomeInput,
};
use crate::schemes::{Evaluation, MonthResult, Timeline};
use chrono::NaiveDate;
use std::collections::HashSet;

/// Evaluation options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Include the trace (rule, citation, parameters, inputs, branch) in each result.
    pub trace: bool,
}

/// Longest timeline accepted, in months (100 years).
const MAX_SPAN_MONTHS: i32 = 1200;

/// The rules engine with its embedded, validated rulesets. Build once and share: parameters are
/// resolved at construction, not per call.
#[derive(Debug, Clone)]
pub struct Engine {
    child_allowance: ChildAllowance,
    rulesets: Vec<RulesetInfo>,
    bundle_hash: String,
}

fn embedded(path: &str) -> Result<(&'static str, &'static str), RulesetError> {
    EMBEDDED.iter().copied().find(|(p, _)| *p == path).ok_or_else(|| RulesetError {
        ruleset: path.into(),
        path: String::new(),
        message: "not embedded".into(),
    })
}

impl Engine {
    /// Load and validate the embedded rulesets.
    pub fn new() -> Result<Self, RulesetError> {
        let (f, t) = embedded("national/income/employment_income_deduction.json")?;
        let (employment, employment_info) = ruleset::load::<EmploymentIncomeParams>(f, t)?;
        let (f, t) = embedded("national/child_allowance/2012.json")?;
        let r2012 = ruleset::load(f, t)?;
        let (f, t) = embedded("national/child_allowance/2024.json")?;
        let r2024 = ruleset::load(f, t)?;
        let child_allowance = ChildAllowance::new(r2012, r2024, employment)?;
        let mut rulesets = vec![employment_info];
        rulesets.extend(child_allowance.info.iter().cloned());
        let mut all = Vec::new();
        for (path, text) in EMBEDDED {
            all.extend_from_slice(path.as_bytes());
            all.push(0);
            all.extend_from_slice(text.as_bytes());
            all.push(0);
        }
        Ok(Self { child_allowance, rulesets, bundle_hash: ruleset::content_hash(&all) })
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

    /// Parse household JSON: unknown fields, wrong types and impossible dates are errors naming
    /// the JSON pointer; then [`Engine::validate`].
    pub fn parse_household(json: &str) -> Result<Household, InputError> {
        let de = &mut serde_json::Deserializer::from_str(json);
        let value: serde_json::Value =
            serde_path_to_error::deserialize(de).map_err(|e| InputError::from_serde(e.path(), e.inner()))?;
        Self::household_from_value(value)
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
            if p.role == Role::Parent && (p.extended_care.is_some() || !p.in_care) {
                return err(
                    ErrorCode::InvalidValue,
                    format!("/persons/{i}"),
                    "in_care and extended_care apply to children only",
                );
            }
            for (year, iy) in &p.income {
                let base = format!("/persons/{i}/income/{}", year.0);
                let amounts = [
                    ("salary", iy.salary.unwrap_or(0)),
                    ("employment_income", iy.employment_income.unwrap_or(0)),
                    ("pension_income", iy.pension_income),
                    ("other_income", iy.other_income),
                ];
                let d = &iy.deductions;
                let deductions = [
                    ("casualty_loss", d.casualty_loss),
                    ("medical", d.medical),
                    ("small_business_mutual_aid", d.small_business_mutual_aid),
                ];
                for (name, v) in amounts {
                    if v < 0 {
                        return err(
                            ErrorCode::InvalidValue,
                            format!("{base}/{name}"),
                            "must not be negative (enter 所得 after loss offsetting, floored at 0)",
                        );
                    }
                    if v > 1_000_000_000_000 {
                        return err(
                            ErrorCode::InvalidValue,
                            format!("{base}/{name}"),
                            "is implausibly large (over 1兆円)",
                        );
                    }
                }
                for (name, v) in deductions {
                    if !(0..=1_000_000_000_000).contains(&v) {
                        return err(
                            ErrorCode::InvalidValue,
                            format!("{base}/deductions/{name}"),
                            "must be between 0 and 1兆円",
                        );
                    }
                }
                if iy.salary.is_some() && iy.employment_income.is_some() {
                    return err(
                        ErrorCode::InvalidValue,
                        format!("{base}/employment_income"),
                        "give either salary or employment_income, not both",
                    );
                }
                if iy.dependants.is_some() && iy.other_dependants.is_some() {
                    return err(
                        ErrorCode::InvalidValue,
                        format!("{base}/other_dependants"),
                        "give either dependants or other_dependants, not both",
                    );
                }
                if iy.dependants.is_some_and(|n| iy.elderly_dependants > n) {
                    return err(ErrorCode::InvalidValue, format!("{base}/elderly_dependants"), "exceeds dependants");
                }
                if iy.dependants.or(iy.other_dependants).is_some_and(|n| n > 100)
                    || iy.elderly_dependants > 100
                    || d.disabled > 100
                    || d.specially_disabled > 100
                {
                    return err(ErrorCode::InvalidValue, base, "a count above 100 is not plausible");
                }
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
                Some(p) if p.role != Role::Parent => {
                    return err(
                        ErrorCode::InvalidValue,
                        format!("/applications/{i}/claimant"),
                        "the claimant must be a parent",
                    )
                }
                Some(_) => {}
            }
            if let Some(m) = &a.municipality {
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
            if !(r.municipality.len() == 5 || r.municipality.len() == 6)
                || !r.municipality.bytes().all(|b| b.is_ascii_digit())
            {
                return err(
                    ErrorCode::InvalidValue,
                    format!("/residence/{i}/municipality"),
                    "expected a 5- or 6-digit 全国地方公共団体コード",
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

    fn receipt(&self, evaluated: String, used: Vec<&RulesetInfo>) -> Receipt {
        Receipt {
            engine: format!("kodomo-rules {}", env!("CARGO_PKG_VERSION")),
            rulesets_version: env!("CARGO_PKG_VERSION").to_owned(),
            rulesets_hash: self.bundle_hash.clone(),
            rulesets: used.into_iter().map(|r| RulesetRef { id: r.id.clone(), hash: r.hash.clone() }).collect(),
            evaluated,
            overrides_hash: None,
        }
    }

    fn used_for(&self, months: impl Iterator<Item = YearMonth>) -> Vec<&RulesetInfo> {
        let mut used: Vec<&RulesetInfo> = vec![];
        for m in months {
            for r in self.child_allowance.rulesets_for(m) {
                if !used.iter().any(|u| u.id == r.id) {
                    used.push(r);
                }
            }
        }
        if self.income_used(&used) {
            used.insert(0, &self.rulesets[0]);
        }
        used
    }

    fn income_used(&self, used: &[&RulesetInfo]) -> bool {
        used.iter().any(|r| r.id == "child_allowance/2012")
    }

    /// One scheme for one month of a validated household.
    pub fn evaluate_scheme(&self, hh: &Household, scheme: Scheme, month: YearMonth, options: Options) -> MonthResult {
        match scheme {
            Scheme::ChildAllowance => {
                let prep = self.child_allowance.prepare(hh);
                self.child_allowance.evaluate(&prep, month, options.trace)
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
            receipt: self.receipt(month.to_string(), self.used_for(std::iter::once(month))),
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
        let Scheme::ChildAllowance = scheme;
        let prep = self.child_allowance.prepare(hh);
        let months: Vec<MonthResult> =
            from.through(to).map(|m| self.child_allowance.evaluate(&prep, m, options.trace)).collect();
        let payments = self.child_allowance.payments(&months);
        let total = months.iter().map(|r| r.amount).sum();
        Ok(Timeline {
            scheme,
            from,
            to,
            months,
            payments,
            total,
            receipt: self.receipt(format!("{from}..{to}"), self.used_for(from.through(to))),
        })
    }

    /// 児童手当 for every household of a columnar population at one month (entitlement mode):
    /// the same core as [`Engine::evaluate`], without per-child breakdown or trace, and no
    /// allocation per household.
    pub fn evaluate_population(&self, population: &Population, month: YearMonth) -> Vec<BatchOutcome> {
        let mut out = Vec::with_capacity(population.len());
        self.evaluate_population_into(population, month, &mut out);
        out
    }

    /// As [`Engine::evaluate_population`], appending to `out` (reuse it across calls).
    pub fn evaluate_population_into(&self, population: &Population, month: YearMonth, out: &mut Vec<BatchOutcome>) {
        let ca = &self.child_allowance;
        let mut kids: Vec<ChildKeys> = Vec::with_capacity(16);
        for h in 0..population.len() {
            let range = population.child_offsets[h] as usize..population.child_offsets[h + 1] as usize;
            kids.clear();
            for (j, c) in population.children[range].iter().enumerate() {
                kids.push(ca.child_keys(j as u32, c.birth, c.death, c.in_care, extended(ca, c.birth, c.extended_care)));
            }
            sort_by_birth(&mut kids);
            out.push(ca.core(month, &kids, population.income[h], population.dependants[h]));
        }
    }

    /// Convert validated households to a [`Population`] for `month` (the claimant's income and
    /// 扶養親族等の数 for the income year of that month). Entitlement mode: households with
    /// applications or a residence history are rejected (use [`Engine::evaluate`] for those).
    pub fn population_from_households(
        &self,
        households: &[Household],
        month: YearMonth,
    ) -> Result<Population, InputError> {
        let mut pop = Population::default();
        for (h, hh) in households.iter().enumerate() {
            if !hh.applications.is_empty() || !hh.residence.is_empty() {
                return Err(InputError::new(
                    ErrorCode::InvalidValue,
                    format!("/{h}/applications"),
                    "the batch path is entitlement mode: no applications or residence",
                ));
            }
            let prep = self.child_allowance.prepare(hh);
            let (income, dependants) = self.child_allowance.batch_income(&prep, month);
            let children = hh.persons.iter().filter(|p| p.role == Role::Child).filter_map(|p| {
                Some(BatchChild {
                    birth: p.birth_date?,
                    death: p.death_date,
                    in_care: p.in_care,
                    extended_care: p.extended_care,
                })
            });
            pop.push(children, income, dependants);
        }
        Ok(pop)
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
        if let Some(e) = person.get("extended_care") {
            object(e, &format!("/persons/{i}/extended_care"))?;
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

fn extended(ca: &ChildAllowance, birth: NaiveDate, e: Option<ExtendedCare>) -> Extended {
    match e {
        None => Extended::Unknown,
        Some(e) if !e.confirmed => Extended::No,
        Some(e) => Extended::From(ca.extended_from(birth, e.confirmed_on)),
    }
}

/// Stable insertion sort (households have few children; no allocation).
fn sort_by_birth(kids: &mut [ChildKeys]) {
    for i in 1..kids.len() {
        let mut j = i;
        while j > 0 && kids[j - 1].birth > kids[j].birth {
            kids.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// A child of a batch household.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchChild {
    /// Birth date.
    pub birth: NaiveDate,
    /// Death date.
    pub death: Option<NaiveDate>,
    /// In the claimant's 監護・生計.
    pub in_care: bool,
    /// The 確認書 for 18–22-year-olds (None: not known).
    pub extended_care: Option<ExtendedCare>,
}

/// A columnar population for the batch path: one entry per household, children in one array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Population {
    child_offsets: Vec<u32>,
    children: Vec<BatchChild>,
    income: Vec<IncomeInput>,
    dependants: Vec<DependantsInput>,
}

impl Default for Population {
    fn default() -> Self {
        Self { child_offsets: vec![0], children: vec![], income: vec![], dependants: vec![] }
    }
}

impl Population {
    /// An empty population with room for `households` and `children`.
    pub fn with_capacity(households: usize, children: usize) -> Self {
        let mut offsets = Vec::with_capacity(households + 1);
        offsets.push(0);
        Self {
            child_offsets: offsets,
            children: Vec::with_capacity(children),
            income: Vec::with_capacity(households),
            dependants: Vec::with_capacity(households),
        }
    }

    /// Add a household: its children, the claimant's 所得額 for the income year of the month to
    /// be evaluated, and the 扶養親族等の数.
    pub fn push(
        &mut self,
        children: impl IntoIterator<Item = BatchChild>,
        income: IncomeInput,
        dependants: DependantsInput,
    ) {
        self.children.extend(children);
        self.child_offsets.push(self.children.len() as u32);
        self.income.push(income);
        self.dependants.push(dependants);
    }

    /// Number of households.
    pub fn len(&self) -> usize {
        self.income.len()
    }

    /// Whether there are no households.
    pub fn is_empty(&self) -> bool {
        self.income.is_empty()
    }
}
