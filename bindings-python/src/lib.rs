//! Python bindings of `kodomo-rules`: type and error conversion only; every rule is in the core.
//!
//! The Python package `kodomo_rules` wraps this module (`kodomo_rules._native`).

mod population;
mod pyde;

use kodomo_rules::{Engine as CoreEngine, Error as CoreError, InputError, Lang, Options, YearMonth};
use pyo3::prelude::*;
use std::sync::Arc;

// The Python default of `max_persons` (written as a literal so the signature shows it) is the core's.
const _: () = assert!(kodomo_rules::MAX_PERSONS == 200);

/// Raise `kodomo_rules.errors.<class>` for an input error (the hierarchy lives in Python).
pub(crate) fn input_error(py: Python<'_>, e: &InputError) -> PyErr {
    raise(py, "input", e.code.as_str(), &e.path, &e.message)
}

fn raise(py: Python<'_>, kind: &str, code: &str, path: &str, message: &str) -> PyErr {
    let made = py
        .import("kodomo_rules.errors")
        .and_then(|m| m.getattr("from_native"))
        .and_then(|f| f.call1((kind, code, path, message)));
    match made {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

fn core_error(py: Python<'_>, e: &CoreError) -> PyErr {
    match e {
        CoreError::Input(i) => input_error(py, i),
        CoreError::Ruleset(r) => raise(py, "ruleset", "invalid_ruleset", &r.path, &r.to_string()),
    }
}

pub(crate) fn month(py: Python<'_>, field: &str, s: &str) -> PyResult<YearMonth> {
    s.parse().map_err(|e: kodomo_rules::calendar::ParseYearMonthError| {
        raise(py, "input", "invalid_month", &format!("/{field}"), &e.to_string())
    })
}

fn lang(py: Python<'_>, s: &str) -> PyResult<Lang> {
    s.parse().map_err(|e: String| raise(py, "input", "invalid_value", "/lang", &e))
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// The rules engine with the embedded rulesets (and any overrides).
#[pyclass(frozen, module = "kodomo_rules._native")]
struct Engine {
    inner: Arc<CoreEngine>,
}

impl Engine {
    /// A household from JSON text (`str`) or read directly from a dict (no JSON round trip).
    fn household(&self, py: Python<'_>, household: &Bound<'_, PyAny>) -> PyResult<kodomo_rules::ValidHousehold> {
        let parsed = match household.cast::<pyo3::types::PyString>() {
            Ok(text) => self.inner.parse_household(&text.to_cow()?),
            Err(_) => self.inner.household_from_deserializer(|| pyde::PyDe(household)),
        };
        parsed.map_err(|e| input_error(py, &e))
    }
}

#[pymethods]
impl Engine {
    #[new]
    fn new(py: Python<'_>) -> PyResult<Self> {
        let inner = CoreEngine::new().map_err(|e| core_error(py, &CoreError::Ruleset(e)))?;
        Ok(Self { inner: Arc::new(inner) })
    }

    /// Evaluate every scheme for one month of a household given as JSON text or a dict.
    fn evaluate(&self, py: Python<'_>, household: &Bound<'_, PyAny>, month: &str, trace: bool) -> PyResult<Evaluation> {
        let hh = self.household(py, household)?;
        let m = self::month(py, "month", month)?;
        Ok(Evaluation { inner: self.inner.evaluate(&hh, m, Options::trace(trace)), engine: Arc::clone(&self.inner) })
    }

    /// A timeline of scheme `scheme` from `start` to `end` (both included).
    fn timeline(
        &self,
        py: Python<'_>,
        household: &Bound<'_, PyAny>,
        start: &str,
        end: &str,
        trace: bool,
        scheme: &str,
    ) -> PyResult<Timeline> {
        let hh = self.household(py, household)?;
        let (from, to) = (month(py, "start", start)?, month(py, "end", end)?);
        // A long timeline takes a while: other Python threads run meanwhile.
        let engine = &self.inner;
        let t = py
            .detach(|| engine.timeline(&hh, scheme, from, to, Options::trace(trace)))
            .map_err(|e| input_error(py, &e))?;
        Ok(Timeline { inner: t, engine: Arc::clone(&self.inner) })
    }

    /// The embedded rulesets as JSON.
    fn rulesets_json(&self) -> String {
        to_json(&self.inner.ruleset_list())
    }

    /// The schemes as JSON: id, names, law, level, kind, claimants, inputs, labels, rulesets.
    fn schemes_json(&self) -> String {
        to_json(&self.inner.schemes())
    }

    /// The documents the rulesets cite (`rulesets/sources.json`) as JSON.
    fn sources_json(&self) -> String {
        to_json(self.inner.sources())
    }

    /// JSON Schema of the household input.
    #[staticmethod]
    fn schema_json() -> String {
        to_json(&CoreEngine::household_schema())
    }

    /// A new engine with parameter overrides (JSON), see `Engine::with_overrides` in the core.
    fn with_overrides_json(&self, py: Python<'_>, overrides: &str) -> PyResult<Engine> {
        let inner = self
            .inner
            .with_overrides_text(overrides)
            .map_err(|e| raise(py, "override", e.code.as_str(), &e.path, &e.message))?;
        Ok(Engine { inner: Arc::new(inner) })
    }

    /// A new engine with a ruleset bundle (`{"files": {"<path>": <JSON>, ...}}`) added, validated
    /// like the embedded rulesets; every error in one `RulesetError`.
    fn with_bundle_json(&self, py: Python<'_>, bundle: &str) -> PyResult<Engine> {
        let fail = |errors: Vec<kodomo_rules::RulesetError>| {
            let lines: Vec<String> = errors
                .iter()
                .map(|e| {
                    format!("{}: {}: {}", e.ruleset, if e.path.is_empty() { "(document)" } else { &e.path }, e.message)
                })
                .collect();
            let first = errors.first().map_or(String::new(), |e| format!("{}:{}", e.ruleset, e.path));
            raise(py, "ruleset", "invalid_ruleset", &first, &lines.join("\n"))
        };
        let bundle = kodomo_rules::Bundle::from_json(bundle.as_bytes()).map_err(|e| fail(vec![e]))?;
        let inner = self.inner.with_bundle(&bundle).map_err(|e| fail(e.0))?;
        Ok(Engine { inner: Arc::new(inner) })
    }

    /// The calendar year whose income the income test of `scheme` in `month` reads, or None.
    fn income_year_for(&self, py: Python<'_>, month: &str, scheme: &str) -> PyResult<Option<i32>> {
        self.inner.income_year_of(scheme, self::month(py, "month", month)?).map_err(|e| input_error(py, &e))
    }

    /// The schemes the population path covers.
    fn population_schemes(&self) -> Vec<String> {
        vec![self.inner.population_scheme().to_string()]
    }

    /// The income year the population path reads at `month`.
    fn population_income_year(&self, py: Python<'_>, month: &str) -> PyResult<Option<i32>> {
        Ok(self.inner.population_income_year(self::month(py, "month", month)?))
    }

    /// 児童手当 for a long-format population (an Arrow table or stream) at one month; returns
    /// (households, children or None) as pyarrow RecordBatches. Releases the GIL.
    #[pyo3(signature = (table, month, per_child=false, threads=None, max_persons=200))]
    fn evaluate_population<'py>(
        &self,
        py: Python<'py>,
        table: pyo3_arrow::PyTable,
        month: &str,
        per_child: bool,
        threads: Option<usize>,
        max_persons: usize,
    ) -> PyResult<(Bound<'py, PyAny>, Option<Bound<'py, PyAny>>)> {
        let m = self::month(py, "month", month)?;
        let (batches, schema) = table.into_inner();
        let engine = Arc::clone(&self.inner);
        let threads = threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
        // Ctrl-C: the GIL is taken back briefly between chunks of rows to run Python's signal handlers.
        let signal: std::sync::Mutex<Option<PyErr>> = std::sync::Mutex::new(None);
        let interrupted = || {
            Python::attach(|py| match py.check_signals() {
                Ok(()) => false,
                Err(e) => {
                    if let Ok(mut s) = signal.lock() {
                        *s = Some(e);
                    }
                    true
                }
            })
        };
        let result = py.detach(|| {
            let settings = population::Settings { month: m, per_child, threads, max_persons };
            population::evaluate(&engine, &batches, &schema, settings, &interrupted)
        });
        let (households, children) = result.map_err(|stop| match stop {
            population::Stop::Input(e) => input_error(py, &e),
            population::Stop::Interrupted => signal
                .lock()
                .ok()
                .and_then(|mut s| s.take())
                .unwrap_or_else(|| pyo3::exceptions::PyKeyboardInterrupt::new_err("interrupted")),
        })?;
        let households = pyo3_arrow::PyRecordBatch::new(households).into_pyarrow(py)?;
        let children = children.map(|c| pyo3_arrow::PyRecordBatch::new(c).into_pyarrow(py)).transpose()?;
        Ok((households, children))
    }
}

/// Every scheme's result for one month.
#[pyclass(frozen, module = "kodomo_rules._native")]
struct Evaluation {
    inner: kodomo_rules::Evaluation,
    engine: Arc<CoreEngine>,
}

#[pymethods]
impl Evaluation {
    fn to_json(&self) -> String {
        to_json(&self.inner)
    }

    /// The totals per kind of benefit, without converting the whole result.
    fn totals(&self) -> Vec<(String, i64)> {
        self.inner
            .totals
            .iter()
            .map(|(k, v)| {
                (serde_json::to_value(k).ok().and_then(|k| k.as_str().map(str::to_owned)).unwrap_or_default(), *v)
            })
            .collect()
    }

    #[pyo3(signature = (lang="ja"))]
    fn explain(&self, py: Python<'_>, lang: &str) -> PyResult<String> {
        Ok(self.inner.explain(&self.engine, self::lang(py, lang)?))
    }
}

/// A timeline with payments.
#[pyclass(frozen, module = "kodomo_rules._native")]
struct Timeline {
    inner: kodomo_rules::Timeline,
    engine: Arc<CoreEngine>,
}

#[pymethods]
impl Timeline {
    fn to_json(&self) -> String {
        to_json(&self.inner)
    }

    #[pyo3(signature = (lang="ja"))]
    fn explain(&self, py: Python<'_>, lang: &str) -> PyResult<String> {
        Ok(self.inner.explain(&self.engine, self::lang(py, lang)?))
    }
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Engine>()?;
    m.add_class::<Evaluation>()?;
    m.add_class::<Timeline>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("POPULATION_COLUMNS", population::columns().collect::<Vec<_>>())?;
    Ok(())
}
