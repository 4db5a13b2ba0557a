//! The engine: rulesets (embedded, and bundles given at run time) discovered into schemes, input
//! parsing and validation, one month, timelines, batches.

use crate::calendar::YearMonth;
use crate::concepts::employment::LeaveBenefitParams;
use crate::concepts::nhi::{check_digit, NhiRatesParams, NhiReductionParams, NhiRules};
use crate::error::{ErrorCode, InputError, RulesetError};
use crate::events::{LifeEvent, Procedure};
use crate::explain::{Receipt, RulesetRef};
use crate::household::{Household, IncomeYear, Role, ValidHousehold};
use crate::income::EmploymentIncomeParams;
use crate::ruleset::{self, Doc, RulesetInfo, RulesetList, SourcesFile, BUNDLE_HASH, EMBEDDED};
use crate::scheme::{Query, Scheme, SchemeFile, SchemeInfo};
use crate::schemes::registry::{self, FileText, SchemeFiles, Shared};
use crate::schemes::{Answer, Evaluation, MonthResult, Outcome, Timeline, SCHEMA_VERSION};
use serde::Deserialize;
use std::collections::HashSet;
use std::sync::Arc;

/// Evaluation options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Include the trace (rule, citation, parameters, inputs, branch) in each result.
    pub trace: bool,
}

impl Options {
    /// Options with the trace on or off.
    pub fn trace(trace: bool) -> Self {
        Options { trace }
    }
}

/// Longest timeline accepted, in months (100 years).
const MAX_SPAN_MONTHS: i32 = 1200;

/// Most persons in one household (JSON input and, by default, a population's household).
pub const MAX_PERSONS: usize = 200;
/// Most applications (認定請求) in one household.
pub const MAX_APPLICATIONS: usize = 200;
/// Most residence entries (moves) in one household.
pub const MAX_RESIDENCES: usize = 200;

/// The shared income ruleset every income test reads.
const EMPLOYMENT_INCOME: &str = "income/employment_income_deduction";
const NHI_REDUCTION: &str = "nhi/income_reduction";
const LEAVE_BENEFITS: &str = "employment_insurance/leave_benefits";

/// The 6-digit 全国地方公共団体コード of a municipal file id `municipal/<code>/<name>`, its check
/// digit valid, as its first 5 digits.
fn municipal_code(id: &str, name: &str) -> Option<String> {
    let code = id.strip_prefix("municipal/")?.strip_suffix(name)?.strip_suffix('/')?;
    let (five, digit) = (code.get(..5)?, code.get(5..)?);
    (digit.len() == 1 && check_digit(five)? == digit.parse::<u8>().ok()?).then(|| five.to_owned())
}

/// The rules engine: every scheme discovered from its rulesets, validated, parameters resolved.
/// Build once and share: cloning is cheap (the data is shared) and the engine is `Send + Sync`.
///
/// ```
/// let engine = kodomo_rules::Engine::new().expect("embedded rulesets are valid");
/// let schemes = engine.schemes();
/// assert!(schemes.iter().all(|s| !s.rulesets.is_empty()));
/// let copy = engine.clone(); // shares the data
/// ```
#[derive(Debug, Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// In output order (the registry's, then by id).
    schemes: Vec<Arc<dyn Scheme>>,
    /// The scheme the population path runs.
    columnar: Arc<registry::Columnar>,
    rulesets: Vec<RulesetInfo>,
    bundle_hash: String,
    /// The ruleset files as loaded (path under `rulesets/`, contents), overrides applied.
    texts: Vec<(String, Doc)>,
    /// Override documents applied, in order.
    overrides: Vec<serde_json::Value>,
    overrides_hash: Option<String>,
    /// Sources added by bundles (their `sources.json`).
    extra_sources: Vec<(String, crate::ruleset::Source)>,
    /// `sources.json` and the bundles' sources, parsed when first asked for.
    sources: std::sync::OnceLock<SourcesFile>,
}

impl Engine {
    /// The engine of the embedded rulesets. They are compiled at build time (no JSON is parsed at
    /// run time); the first call in a process reads and validates them, and every later call
    /// shares that engine.
    pub fn new() -> Result<Self, RulesetError> {
        static EMBEDDED_ENGINE: std::sync::OnceLock<Result<Engine, RulesetError>> = std::sync::OnceLock::new();
        EMBEDDED_ENGINE.get_or_init(Self::build_embedded).clone()
    }

    /// Read and validate the embedded rulesets into a new engine (what the first
    /// [`Engine::new`] does).
    #[doc(hidden)]
    pub fn build_embedded() -> Result<Self, RulesetError> {
        let texts = EMBEDDED.iter().map(|e| (e.path.to_owned(), Doc::Embedded(e))).collect();
        Self::from_texts(texts, Vec::new(), Vec::new()).map_err(first)
    }

    /// Build from ruleset files (path under `rulesets/`, contents). Every error found is returned,
    /// each naming its file and JSON pointer: one per scheme folder or file at most, since a folder
    /// that fails is not built further.
    pub(crate) fn from_texts(
        texts: Vec<(String, Doc)>,
        overrides: Vec<serde_json::Value>,
        extra_sources: Vec<(String, crate::ruleset::Source)>,
    ) -> Result<Self, Vec<RulesetError>> {
        let folder = |path: &str| path.rsplit_once('/').map_or("", |(f, _)| f).to_owned();
        let err = |ruleset: &str, path: &str, message: String| RulesetError {
            ruleset: ruleset.to_owned(),
            path: path.to_owned(),
            message,
        };
        let mut errors = Vec::new();
        // Scheme folders hold a scheme.json; every other file is a shared ruleset.
        let mut metas: Vec<(String, Option<SchemeFile>)> = Vec::new();
        for (path, text) in &texts {
            if path.ends_with("/scheme.json") {
                let dir = folder(path);
                match text.read::<SchemeFile>() {
                    Err((pointer, message)) => errors.push(err(path, &pointer, message)),
                    // The id is the folder's path, without `national/` for national schemes
                    // (`child_allowance`, `municipal/382060/child_medical_subsidy`).
                    Ok(meta) if dir.strip_prefix("national/").unwrap_or(&dir) != meta.id.as_str() => {
                        let id = dir.strip_prefix("national/").unwrap_or(&dir);
                        errors.push(err(path, "/id", format!("must be {id:?}, the folder's path ({dir})")));
                    }
                    Ok(meta) => {
                        metas.push((dir, Some(meta)));
                        continue;
                    }
                }
                metas.push((dir, None));
            }
        }
        let mut employment = None;
        let mut reduction = None;
        let mut leave_benefits = None;
        let mut rates = Vec::new();
        let mut rulesets = Vec::new();
        for (path, text) in &texts {
            if !path.ends_with(".json") || metas.iter().any(|(dir, _)| *dir == folder(path)) {
                continue;
            }
            // A shared ruleset is read by the logic its file names.
            let loaded = match text.logic() {
                Some("nhi_income_reduction") => {
                    ruleset::load::<NhiReductionParams>(path, text).and_then(|(f, info)| {
                        if f.id != NHI_REDUCTION {
                            return Err(err(path, "/id", format!("must be {NHI_REDUCTION}")));
                        }
                        reduction = Some(f);
                        Ok(info)
                    })
                }
                Some("leave_benefits") => ruleset::load::<LeaveBenefitParams>(path, text).and_then(|(f, info)| {
                    if f.id != LEAVE_BENEFITS {
                        return Err(err(path, "/id", format!("must be {LEAVE_BENEFITS}")));
                    }
                    leave_benefits = Some(Arc::new(f));
                    Ok(info)
                }),
                Some("nhi_rates") => ruleset::load::<NhiRatesParams>(path, text).and_then(|(f, info)| {
                    let code = municipal_code(&f.id, "nhi_rates").ok_or_else(|| {
                        err(path, "/id", "must be municipal/<6-digit code with its check digit>/nhi_rates".into())
                    })?;
                    if f.id != path.trim_end_matches(".json") {
                        return Err(err(path, "/id", format!("must be the file's path without .json ({path})")));
                    }
                    rates.push((code, f));
                    Ok(info)
                }),
                _ => ruleset::load::<EmploymentIncomeParams>(path, text).and_then(|(f, info)| {
                    if f.id != EMPLOYMENT_INCOME {
                        return Err(err(path, "/id", format!("no shared ruleset {} is known", f.id)));
                    }
                    employment = Some(Arc::new(f));
                    Ok(info)
                }),
            };
            match loaded {
                Err(e) => errors.push(e),
                Ok(info) => rulesets.push(info),
            }
        }
        let (Some(employment), Some(reduction), Some(leave_benefits)) = (employment, reduction, leave_benefits) else {
            errors.push(err(
                EMPLOYMENT_INCOME,
                "",
                "the shared income, 国保 and 雇用保険 rulesets are missing or invalid".into(),
            ));
            return Err(errors);
        };
        let nhi = Arc::new(NhiRules { reduction, rates, employment: employment.clone() });
        let shared = Shared { employment, nhi, leave_benefits };
        let mut schemes: Vec<(usize, Arc<dyn Scheme>)> = Vec::new();
        for (dir, meta) in metas {
            let Some(meta) = meta else { continue };
            match Self::scheme_folder(&texts, &dir, meta, &rulesets, &shared) {
                Err(e) => errors.push(e),
                Ok((order, scheme)) => {
                    // In the registry's order, then by id (inserted in place: no sort code in the .wasm).
                    let key = |o: usize, s: &Arc<dyn Scheme>| (o, s.meta().id.to_string());
                    let at = schemes.partition_point(|(o, s)| key(*o, s) < key(order, &scheme));
                    schemes.insert(at, (order, scheme));
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let schemes: Vec<Arc<dyn Scheme>> = schemes.into_iter().map(|(_, s)| s).collect();
        let columnar = registry::columnar(&schemes).map_err(|e| vec![e])?;
        for s in &schemes {
            for (i, d) in s.meta().depends_on.iter().enumerate() {
                if !schemes.iter().any(|o| o.meta().id == *d) {
                    errors.push(err(s.meta().id.as_str(), &format!("/depends_on/{i}"), format!("no scheme {d}")));
                }
            }
            rulesets.extend(s.rulesets().iter().cloned());
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let embedded = texts.len() == EMBEDDED.len()
            && texts
                .iter()
                .zip(EMBEDDED)
                .all(|((p, d), e)| matches!(d, Doc::Embedded(x) if x.path == e.path && *p == e.path));
        let bundle_hash = if embedded {
            BUNDLE_HASH.to_owned()
        } else {
            // As build.rs computes BUNDLE_HASH: each file's path and content hash, in order.
            let mut all = Vec::new();
            for (path, doc) in &texts {
                all.extend_from_slice(path.as_bytes());
                all.push(0);
                all.extend_from_slice(doc.hash().as_bytes());
                all.push(0);
            }
            ruleset::content_hash(&all)
        };
        let overrides_hash = (!overrides.is_empty())
            .then(|| ruleset::content_hash(serde_json::Value::Array(overrides.clone()).to_string().as_bytes()));
        let inner = Inner {
            schemes,
            columnar,
            rulesets,
            bundle_hash,
            texts,
            overrides,
            overrides_hash,
            extra_sources,
            sources: std::sync::OnceLock::new(),
        };
        Ok(Self { inner: Arc::new(inner) })
    }

    /// Build one scheme from its folder `dir`: the version files its `scheme.json` lists (and no
    /// other file), the shared rulesets it uses, the implementation the registry has for their logic.
    fn scheme_folder(
        texts: &[(String, Doc)],
        dir: &str,
        meta: SchemeFile,
        shared_rulesets: &[RulesetInfo],
        shared: &Shared,
    ) -> Result<(usize, Arc<dyn Scheme>), RulesetError> {
        let err = |ruleset: &str, path: &str, message: String| RulesetError {
            ruleset: ruleset.to_owned(),
            path: path.to_owned(),
            message,
        };
        let in_dir = |p: &str| p.rsplit_once('/').is_some_and(|(f, _)| f == dir) && !p.ends_with("/scheme.json");
        let listed = |p: &str| meta.versions.iter().any(|v| p.ends_with(&format!("/{v}")));
        if let Some((p, _)) = texts.iter().find(|(p, _)| in_dir(p) && !listed(p)) {
            return Err(err(p, "", format!("not listed in {dir}/scheme.json versions")));
        }
        let mut versions = Vec::new();
        let mut logic = Vec::new();
        for (i, v) in meta.versions.iter().enumerate() {
            let path = format!("{dir}/{v}");
            let (p, t) = texts.iter().find(|(p, _)| *p == path).ok_or_else(|| {
                err(&format!("{dir}/scheme.json"), &format!("/versions/{i}"), format!("no file {path}"))
            })?;
            let found = t.logic().ok_or_else(|| err(p, "/logic", "a ruleset file needs its \"logic\" id".into()))?;
            logic.push(found.to_owned());
            versions.push(FileText { path: p, doc: t });
        }
        for (i, u) in meta.uses.iter().enumerate() {
            if !shared_rulesets.iter().any(|r| r.id == *u) {
                return Err(err(
                    &format!("{dir}/scheme.json"),
                    &format!("/uses/{i}"),
                    format!("no shared ruleset {u}"),
                ));
            }
        }
        let (order, loader) = registry::implementation(meta.id.as_str(), &logic)?;
        let scheme = (loader.0)(SchemeFiles { meta, versions }, shared)?;
        // The implementation was chosen by a scan for `"logic"`: the files as parsed must agree.
        for (r, l) in scheme.rulesets().iter().zip(&logic) {
            if r.logic != *l {
                return Err(err(
                    &r.file,
                    "/logic",
                    format!("the first \"logic\" key is {l:?} but the file's logic is {:?}", r.logic),
                ));
            }
        }
        Ok((order, scheme))
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
    ///
    /// ```
    /// let engine = kodomo_rules::Engine::new().expect("embedded rulesets");
    /// let hh = engine.parse_household(r#"{"persons": [{"id": "m", "role": "parent"},
    ///   {"id": "c", "role": "child", "birth_date": "2025-05-10"}]}"#).expect("valid");
    /// let reform = engine.with_overrides_text(r#"{"child_allowance/2024.amount_under_3":
    ///   [{"from": "2026-04", "value": 20000, "source": "reform A"}]}"#).expect("a valid override");
    /// let june = "2026-06".parse().expect("a month");
    /// let r = reform.evaluate_scheme(&hh, "child_allowance", june, kodomo_rules::Options::default()).expect("id");
    /// // Under 3 in 2026-06: the scenario's 20,000 instead of 15,000 (cited as "override: reform A").
    /// assert_eq!(r.amount, 20_000);
    /// assert!(engine.with_overrides_text(r#"{"child_allowance/2024.no_such": []}"#).is_err());
    /// ```
    pub fn with_overrides_text(&self, overrides: &str) -> Result<Engine, InputError> {
        self.with_overrides(&crate::json::parse(overrides)?)
    }

    /// [`Engine::with_overrides`] for an already parsed JSON value.
    pub fn with_overrides(&self, overrides: &serde_json::Value) -> Result<Engine, InputError> {
        let bad = |code, path: String, msg: String| InputError::new(code, path, msg);
        let map = overrides
            .as_object()
            .ok_or_else(|| bad(ErrorCode::InvalidType, String::new(), "overrides must be a JSON object".into()))?;
        let mut texts = self.inner.texts.clone();
        for (key, entries) in map {
            let at = format!("/{}", key.replace('~', "~0").replace('/', "~1"));
            let (id, param) = key.rsplit_once('.').ok_or_else(|| {
                bad(
                    ErrorCode::InvalidValue,
                    at.clone(),
                    format!(
                        "expected \"<ruleset id>.<parameter>\" (rulesets: {})",
                        self.inner.rulesets.iter().map(|r| r.id.as_str()).collect::<Vec<_>>().join(", ")
                    ),
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
            let Some(slot) = texts.iter_mut().find(|(_, t)| t.read::<serde_json::Value>().is_ok_and(|v| v["id"] == id))
            else {
                let ids: Vec<&str> = self.inner.rulesets.iter().map(|r| r.id.as_str()).collect();
                return Err(bad(
                    ErrorCode::UnknownReference,
                    at,
                    format!("no ruleset {id:?} (rulesets: {})", ids.join(", ")),
                ));
            };
            let mut file: serde_json::Value =
                slot.1.read().map_err(|(_, e)| bad(ErrorCode::InvalidJson, at.clone(), e))?;
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
            slot.1 = Doc::Text(serde_json::to_string_pretty(&file).unwrap_or_default());
        }
        let mut all = self.inner.overrides.clone();
        all.push(overrides.clone());
        Self::from_texts(texts, all, self.inner.extra_sources.clone()).map_err(first).map_err(|e| {
            let code =
                if e.message.starts_with("invalid type") { ErrorCode::InvalidType } else { ErrorCode::InvalidValue };
            InputError::new(
                code,
                String::new(),
                format!("override makes ruleset {} invalid at {}: {}", e.ruleset, e.path, e.message),
            )
        })
    }

    /// A new engine with the files of `bundle` added to (or replacing) this engine's rulesets,
    /// validated exactly like the embedded ones; every error found is returned, each with its
    /// file and JSON pointer. Results of the new engine carry the hashes of the files they used.
    ///
    /// ```
    /// use kodomo_rules::{Bundle, Engine};
    /// let engine = Engine::new().expect("embedded rulesets");
    /// let mut bundle = Bundle::new();
    /// bundle.add("municipal/999999/grant/scheme.json", br#"{"id": "municipal/999999/grant"}"#).expect("a file");
    /// let errors = engine.with_bundle(&bundle).expect_err("scheme.json lacks its fields");
    /// let e = &errors.0[0];
    /// assert_eq!(e.ruleset, "municipal/999999/grant/scheme.json");
    /// assert!(e.message.starts_with("missing field"), "{e}");
    /// ```
    pub fn with_bundle(&self, bundle: &crate::Bundle) -> Result<Engine, crate::BundleErrors> {
        let mut texts = self.inner.texts.clone();
        let mut extra = self.inner.extra_sources.clone();
        let errors = bundle.merge(&mut texts, &mut extra);
        let built = Self::from_texts(texts, self.inner.overrides.clone(), extra);
        match (built, errors.is_empty()) {
            (Ok(engine), true) => Ok(engine),
            (Ok(_), false) => Err(crate::BundleErrors(errors)),
            (Err(more), _) => {
                let mut all = errors;
                for e in more {
                    if !all.contains(&e) {
                        all.push(e);
                    }
                }
                Err(crate::BundleErrors(all))
            }
        }
    }

    /// The rulesets loaded: id, scheme, logic version, months covered, content hash.
    pub fn rulesets(&self) -> &[RulesetInfo] {
        &self.inner.rulesets
    }

    /// `sha256:` over every ruleset file loaded (its path and content hash, in order).
    pub fn rulesets_hash(&self) -> &str {
        &self.inner.bundle_hash
    }

    /// The rulesets with the bundle's hash, as `kodomo rulesets` writes them.
    pub fn ruleset_list(&self) -> RulesetList<'_> {
        RulesetList { rulesets_hash: self.rulesets_hash(), rulesets: self.rulesets() }
    }

    /// Every scheme: its metadata (`scheme.json`: id, names, law, level, kind, claimants, the
    /// inputs it reads, the labels of its codes) and the ids of the rulesets it reads.
    ///
    /// ```
    /// let engine = kodomo_rules::Engine::new().expect("embedded rulesets");
    /// let ids: Vec<String> = engine.schemes().iter().map(|s| s.meta.id.to_string()).collect();
    /// assert!(ids.contains(&"child_allowance".to_owned()));
    /// let meta = engine.scheme_meta("child_allowance").expect("loaded");
    /// assert_eq!(meta.name.ja, "児童手当");
    /// ```
    pub fn schemes(&self) -> Vec<SchemeInfo> {
        self.inner
            .schemes
            .iter()
            .map(|s| SchemeInfo {
                meta: s.meta().clone(),
                rulesets: s.rulesets().iter().map(|r| r.id.clone()).chain(s.meta().uses.iter().cloned()).collect(),
            })
            .collect()
    }

    /// The scheme with id `id`, or an input error at `path` listing the ids.
    fn scheme(&self, id: &str, path: &str) -> Result<&dyn Scheme, InputError> {
        self.inner.schemes.iter().find(|s| s.meta().id == *id).map(|s| &**s).ok_or_else(|| {
            let ids: Vec<&str> = self.inner.schemes.iter().map(|s| s.meta().id.as_str()).collect();
            InputError::new(
                ErrorCode::UnknownReference,
                path,
                format!("unknown scheme {id:?} (schemes: {})", ids.join(", ")),
            )
        })
    }

    /// A monthly scheme by id (month lines and timelines exist for monthly schemes only).
    fn monthly_scheme(&self, id: &str, path: &str) -> Result<&dyn Scheme, InputError> {
        let s = self.scheme(id, path)?;
        if s.meta().kind != crate::BenefitKind::Monthly {
            return Err(InputError::new(
                ErrorCode::InvalidValue,
                path,
                format!("{id} is not a monthly scheme: evaluate a month or a query for its outcome"),
            ));
        }
        Ok(s)
    }

    /// The documents the rulesets cite (`rulesets/sources.json`), by the ids a trace's
    /// `parameters[].source` gives.
    ///
    /// ```
    /// let engine = kodomo_rules::Engine::new().expect("embedded rulesets");
    /// // Every source id a ruleset cites is a document with a title and a way to open it.
    /// let s = engine.sources().sources.values().next().expect("documents");
    /// assert!(!s.title.is_empty() && (s.url.is_some() || s.statute.is_some() || s.path.is_some()));
    /// ```
    pub fn sources(&self) -> &SourcesFile {
        self.inner.sources.get_or_init(|| {
            let mut file =
                ruleset::embedded_sources().unwrap_or(SourcesFile { comment: None, sources: Default::default() });
            file.sources.extend(self.inner.extra_sources.iter().cloned());
            file
        })
    }

    /// The metadata of scheme `id`, if loaded.
    pub fn scheme_meta(&self, id: &str) -> Option<&SchemeFile> {
        self.inner.schemes.iter().find(|s| s.meta().id == *id).map(|s| s.meta())
    }

    fn all_schemes(&self) -> impl Iterator<Item = &dyn Scheme> {
        self.inner.schemes.iter().map(|s| &**s)
    }

    /// The implementation of type `T` (tests read its parameters).
    #[cfg(test)]
    pub(crate) fn scheme_impl<T: Send + Sync + 'static>(&self) -> Option<Arc<T>> {
        self.inner.schemes.iter().find_map(|s| s.clone().into_any().downcast::<T>().ok())
    }

    /// The scheme the population path runs.
    pub(crate) fn columnar(&self) -> &registry::Columnar {
        &self.inner.columnar
    }

    #[cfg(feature = "schema")]
    /// JSON Schema of the household input.
    pub fn household_schema() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(Household)).unwrap_or_default()
    }

    #[cfg(feature = "schema")]
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
            ("schemes.schema.json", output::<Vec<SchemeInfo>>()),
        ]
    }

    /// Parse household JSON: unknown fields, wrong types and impossible dates are errors naming
    /// the JSON pointer; then [`Engine::validate`].
    ///
    /// ```
    /// let engine = kodomo_rules::Engine::new().expect("embedded rulesets");
    /// let e = engine.parse_household(r#"{"persons": [{"id": "c", "role": "child", "birth_date": "2023-02-30"}]}"#)
    ///     .expect_err("no such day");
    /// assert_eq!((e.code, e.path.as_str()), (kodomo_rules::ErrorCode::InvalidDate, "/persons/0/birth_date"));
    /// ```
    pub fn parse_household(&self, json: &str) -> Result<ValidHousehold, InputError> {
        // One document, no key twice (`invalid_json` with the pointer otherwise).
        self.household_from_value(crate::json::parse(json)?)
    }

    /// Parse a household from an already parsed JSON value (as the bindings do).
    pub fn household_from_value(&self, value: serde_json::Value) -> Result<ValidHousehold, InputError> {
        check_objects(&value)?;
        // Read without tracking the path; only a failure is read again to name its JSON pointer.
        match Household::deserialize(&value) {
            Ok(hh) => self.validate(hh),
            Err(_) => Err(match serde_path_to_error::deserialize::<_, Household>(&value) {
                Err(e) => InputError::from_serde(e.path(), e.inner()),
                Ok(_) => InputError::new(ErrorCode::InvalidValue, "", "the household could not be read"),
            }),
        }
    }

    /// Read a household from serde deserializers whose errors are serde_json's (a binding's
    /// reader of its own objects, e.g. Python dicts), then [`Engine::validate`]. `reader` makes a
    /// fresh reader of the same object: a failure is read a second time, tracking the path, to
    /// name its JSON pointer. The reader must refuse a list where the model has an object, as
    /// JSON parsing does.
    pub fn household_from_deserializer<'de, D>(&self, reader: impl Fn() -> D) -> Result<ValidHousehold, InputError>
    where
        D: serde::Deserializer<'de, Error = serde_json::Error>,
    {
        match Household::deserialize(reader()) {
            Ok(hh) => self.validate(hh),
            Err(_) => Err(match serde_path_to_error::deserialize::<_, Household>(reader()) {
                Err(e) => InputError::from_serde(e.path(), e.inner()),
                Ok(_) => InputError::new(ErrorCode::InvalidValue, "", "the household could not be read"),
            }),
        }
    }

    /// Check what types alone cannot — ids, references (each application's scheme and claimant),
    /// required dates, signs and order — and give the household the rules read.
    ///
    /// ```
    /// use kodomo_rules::{Engine, Household};
    /// let engine = Engine::new().expect("embedded rulesets");
    /// let hh: Household = serde_json::from_str(r#"{"persons": [{"id": "a", "role": "parent"},
    ///   {"id": "a", "role": "child", "birth_date": "2023-05-10"}]}"#).expect("well-typed");
    /// let e = engine.validate(hh).expect_err("two persons with one id");
    /// assert_eq!(e.path, "/persons/1/id");
    /// ```
    pub fn validate(&self, hh: Household) -> Result<ValidHousehold, InputError> {
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
        let mut claimants = Vec::with_capacity(hh.applications.len());
        for (i, a) in hh.applications.iter().enumerate() {
            let scheme = self.scheme(a.scheme.as_str(), &format!("/applications/{i}/scheme"))?;
            let Some(c) = hh.persons.iter().position(|p| p.id == a.claimant) else {
                return err(
                    ErrorCode::UnknownReference,
                    format!("/applications/{i}/claimant"),
                    &format!("no person with id {:?}", a.claimant),
                );
            };
            let roles = &scheme.meta().claimants;
            if !roles.contains(&hh.persons[c].role) {
                let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
                return err(
                    ErrorCode::InvalidValue,
                    format!("/applications/{i}/claimant"),
                    &format!("the claimant of {} must be a person with role {}", a.scheme, names.join(" or ")),
                );
            }
            claimants.push(c);
            check_date(&format!("/applications/{i}/date"), Some(a.date))?;
            if hh.persons.iter().any(|p| p.id == a.claimant && p.birth_date.is_some_and(|b| a.date < b)) {
                return err(
                    ErrorCode::InvalidValue,
                    format!("/applications/{i}/date"),
                    "is before the claimant's birth",
                );
            }
            if let Some(part) = &a.part {
                if !scheme.meta().labels.get("part").is_some_and(|l| l.contains_key(part)) {
                    return err(
                        ErrorCode::InvalidValue,
                        format!("/applications/{i}/part"),
                        &format!("{} has no part {part:?} (its labels list the parts)", a.scheme),
                    );
                }
            }
            if let Some(id) = &a.pregnancy {
                if !hh.pregnancies.iter().any(|g| g.id.as_ref() == Some(id)) {
                    return err(
                        ErrorCode::UnknownReference,
                        format!("/applications/{i}/pregnancy"),
                        &format!("no pregnancy with id {id:?}"),
                    );
                }
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
        if hh.householder.as_ref().is_some_and(|h| !hh.persons.iter().any(|p| &p.id == h)) {
            return err(ErrorCode::UnknownReference, "/householder".into(), "no person has this id");
        }
        crate::household::validate_pregnancies(&hh)?;
        Ok(ValidHousehold::new(hh, claimants))
    }

    fn receipt(&self, evaluated: String, used: Vec<&RulesetInfo>) -> Receipt {
        Receipt {
            engine: format!("kodomo-rules {}", env!("CARGO_PKG_VERSION")),
            rulesets_version: env!("CARGO_PKG_VERSION").to_owned(),
            rulesets_hash: self.inner.bundle_hash.clone(),
            rulesets: used.into_iter().map(|r| RulesetRef { id: r.id.clone(), hash: r.hash.clone() }).collect(),
            evaluated,
            overrides_hash: self.inner.overrides_hash.clone(),
        }
    }

    /// The rulesets the months of `schemes` use (the shared income ruleset first, when an income
    /// test may read it).
    fn used_for<'a>(
        &'a self,
        schemes: &[&'a dyn Scheme],
        months: impl Iterator<Item = YearMonth> + Clone,
    ) -> Vec<&'a RulesetInfo> {
        let mut used: Vec<&RulesetInfo> = vec![];
        let mut income = false;
        for scheme in schemes {
            for m in months.clone() {
                income |= scheme.reads_income(m);
                for r in scheme.rulesets_for(m) {
                    if !used.iter().any(|u| u.id == r.id) {
                        used.push(r);
                    }
                }
            }
        }
        if income {
            if let Some(r) = self.inner.rulesets.iter().find(|r| r.id == EMPLOYMENT_INCOME) {
                used.insert(0, r);
            }
        }
        used
    }

    /// One monthly scheme (by id) for one month of a validated household.
    ///
    /// ```
    /// let engine = kodomo_rules::Engine::new().expect("embedded rulesets");
    /// let hh = engine.parse_household(r#"{"persons": [{"id": "m", "role": "parent"},
    ///   {"id": "c", "role": "child", "birth_date": "2023-05-10"}]}"#).expect("valid");
    /// let june = "2025-06".parse().expect("a month");
    /// let r = engine.evaluate_scheme(&hh, "child_allowance", june, kodomo_rules::Options::trace(true)).expect("id");
    /// // 3歳未満 15,000円 (児童手当法第6条, from 2024-10); the trace cites each rule applied.
    /// assert_eq!((r.amount, r.status), (15_000, kodomo_rules::Status::Eligible));
    /// assert!(r.trace.is_some_and(|t| !t.is_empty()));
    /// assert!(engine.evaluate_scheme(&hh, "no_such_scheme", june, Default::default()).is_err());
    /// // A grant has no month line: its outcome is in `evaluate` / `query`.
    /// let schemes = engine.schemes();
    /// let grant = schemes.iter().find(|s| s.meta.kind == kodomo_rules::BenefitKind::Grant).expect("a grant");
    /// assert!(engine.evaluate_scheme(&hh, grant.meta.id.as_str(), june, Default::default()).is_err());
    /// ```
    pub fn evaluate_scheme(
        &self,
        hh: &ValidHousehold,
        scheme: &str,
        month: YearMonth,
        options: Options,
    ) -> Result<MonthResult, InputError> {
        let s = self.monthly_scheme(scheme, "/scheme")?;
        Ok(Self::one(s, hh, month, options))
    }

    fn one(s: &dyn Scheme, hh: &ValidHousehold, month: YearMonth, options: Options) -> MonthResult {
        let mut result = s.months(hh, &mut std::iter::once(month), options.trace);
        result.pop().unwrap_or_else(|| MonthResult::empty(s.meta().id.clone(), month, crate::schemes::Status::NotKnown))
    }

    /// Every scheme for one month of a validated household (see [`Engine::parse_household`]).
    ///
    /// ```
    /// let engine = kodomo_rules::Engine::new().expect("embedded rulesets");
    /// let hh = engine.parse_household(r#"{"persons": [{"id": "m", "role": "parent"},
    ///   {"id": "c", "role": "child", "birth_date": "2023-05-10"}]}"#).expect("valid");
    /// let r = engine.evaluate(&hh, "2025-06".parse().expect("a month"), kodomo_rules::Options::default());
    /// // Every scheme answers; the totals never add different kinds of benefit.
    /// assert_eq!(r.schemes.len(), engine.schemes().len());
    /// assert_eq!(r.totals.get(&kodomo_rules::BenefitKind::Monthly), Some(&15_000));
    /// ```
    pub fn evaluate(&self, hh: &ValidHousehold, month: YearMonth, options: Options) -> Evaluation {
        let (schemes, totals, receipt) = self.ask_all(hh, &Query::Month(month), month.to_string(), options);
        Evaluation { schema_version: SCHEMA_VERSION, month, schemes, totals, receipt }
    }

    /// Every scheme's outcomes for `query`, their totals per kind, and the receipt (`label`: what
    /// was asked).
    fn ask_all(
        &self,
        hh: &ValidHousehold,
        query: &Query,
        label: String,
        options: Options,
    ) -> (Vec<Outcome>, crate::Totals, Receipt) {
        let all: Vec<&dyn Scheme> = self.all_schemes().collect();
        let schemes: Vec<Outcome> = all.iter().flat_map(|s| s.evaluate(hh, query, options.trace)).collect();
        let totals = crate::schemes::outcome_totals(&schemes);
        (schemes, totals, self.receipt(label, self.used_for(&all, query.months())))
    }

    /// Every scheme's answer to `query` (a month, a span of months, a day or a life event) for a
    /// validated household.
    ///
    /// ```
    /// use kodomo_rules::{Engine, Options, Query};
    /// let engine = Engine::new().expect("embedded rulesets");
    /// let hh = engine.parse_household(r#"{"persons": [{"id": "m", "role": "parent"},
    ///   {"id": "c", "role": "child", "birth_date": "2023-05-10"}]}"#).expect("valid");
    /// let span = Query::Span { from: "2025-04".parse().expect("m"), to: "2025-06".parse().expect("m") };
    /// let answer = engine.query(&hh, &span, Options::default()).expect("a valid span");
    /// // 3歳未満 15,000円 a month (児童手当法第6条, 2024-10 reform), three months.
    /// assert_eq!(answer.totals.get(&kodomo_rules::BenefitKind::Monthly), Some(&45_000));
    /// ```
    pub fn query(&self, hh: &ValidHousehold, query: &Query, options: Options) -> Result<Answer, InputError> {
        let label = match query {
            Query::Month(m) => m.to_string(),
            Query::Span { from, to } => {
                Self::check_span(*from, *to)?;
                format!("{from}..{to}")
            }
            Query::On(d) => d.to_string(),
            Query::Event(e) => {
                let kind = serde_json::to_value(e.kind).ok().and_then(|v| v.as_str().map(str::to_owned));
                format!("{} {}", kind.unwrap_or_default(), e.date)
            }
        };
        let (schemes, totals, receipt) = self.ask_all(hh, query, label.clone(), options);
        Ok(Answer { schema_version: SCHEMA_VERSION, query: label, schemes, totals, receipt })
    }

    /// The procedures `event` calls for, scheme by scheme.
    ///
    /// ```
    /// let engine = kodomo_rules::Engine::new().expect("embedded rulesets");
    /// let hh = engine.parse_household(r#"{"persons": [{"id": "m", "role": "parent"},
    ///   {"id": "c", "role": "child", "birth_date": "2023-05-10"}]}"#).expect("valid");
    /// let birth: kodomo_rules::LifeEvent =
    ///     serde_json::from_str(r#"{"kind": "birth", "date": "2025-06-10", "person": "c"}"#).expect("an event");
    /// // No scheme declares procedures yet (the life-event work adds them).
    /// assert!(engine.procedures(&hh, &birth).is_empty());
    /// ```
    pub fn procedures(&self, hh: &ValidHousehold, event: &LifeEvent) -> Vec<Procedure> {
        self.all_schemes().flat_map(|s| s.procedures(hh, event)).collect()
    }

    fn check_span(from: YearMonth, to: YearMonth) -> Result<(), InputError> {
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
        Ok(())
    }

    /// A scheme (by id) month by month from `from` to `to` (both included), with its payments.
    ///
    /// ```
    /// let engine = kodomo_rules::Engine::new().expect("embedded rulesets");
    /// let hh = engine.parse_household(r#"{"persons": [{"id": "m", "role": "parent"},
    ///   {"id": "c", "role": "child", "birth_date": "2023-05-10"}]}"#).expect("valid");
    /// let (from, to) = ("2025-04".parse().expect("m"), "2025-07".parse().expect("m"));
    /// let t = engine.timeline(&hh, "child_allowance", from, to, kodomo_rules::Options::default()).expect("a span");
    /// // From 2024-10 each even month pays the two months before it (児童手当法第8条第4項):
    /// // 4・5月分 in June, 6・7月分 in August.
    /// let paid: Vec<(String, i64)> = t.payments.iter().map(|p| (p.payment_month.to_string(), p.amount)).collect();
    /// assert_eq!(paid, [("2025-06".to_owned(), 30_000), ("2025-08".to_owned(), 30_000)]);
    /// ```
    pub fn timeline(
        &self,
        hh: &ValidHousehold,
        scheme: &str,
        from: YearMonth,
        to: YearMonth,
        options: Options,
    ) -> Result<Timeline, InputError> {
        let s = self.monthly_scheme(scheme, "/scheme")?;
        Self::check_span(from, to)?;
        let months = s.months(hh, &mut from.through(to), options.trace);
        let payments = s.payments(&months);
        let total = months.iter().map(|r| r.amount).sum();
        Ok(Timeline {
            schema_version: SCHEMA_VERSION,
            scheme: s.meta().id.clone(),
            kind: s.meta().kind,
            from,
            to,
            months,
            payments,
            total,
            receipt: self.receipt(format!("{from}..{to}"), self.used_for(&[s], from.through(to))),
        })
    }

    /// The calendar year whose income a month of scheme `scheme` reads (`None`: no income test
    /// that month, or before the scheme as encoded).
    ///
    /// ```
    /// let engine = kodomo_rules::Engine::new().expect("embedded rulesets");
    /// let y = |m: &str| engine.income_year_of("child_allowance", m.parse().expect("m")).expect("id");
    /// // 2012 regime: from June the previous year's income (児童手当法施行令第1条); no test from 2024-10.
    /// assert_eq!((y("2024-05"), y("2024-06"), y("2024-10")), (Some(2022), Some(2023), None));
    /// ```
    pub fn income_year_of(&self, scheme: &str, month: YearMonth) -> Result<Option<i32>, InputError> {
        Ok(self.scheme(scheme, "/scheme")?.income_year(month))
    }
}

/// The first of the errors a build found (a build always reports at least one).
fn first(errors: Vec<RulesetError>) -> RulesetError {
    errors.into_iter().next().unwrap_or_else(|| RulesetError {
        ruleset: String::new(),
        path: String::new(),
        message: "invalid rulesets".into(),
    })
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
