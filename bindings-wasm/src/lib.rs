//! WebAssembly bindings of `kodomo-rules`: JSON in, JSON out, JS `Error`s with `path` and `code`.
//! Type and error conversion only; every rule is in the core.

use js_sys::{Error as JsError, Reflect, JSON};
use kodomo_rules::{Engine as CoreEngine, InputError, Options, ValidHousehold, YearMonth};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_IMPORTS: &str = r#"import type { Household, Evaluation, Timeline, RulesetInfo, EvaluateOptions, TimelineOptions, SchemeInfo } from "../../types/index";"#;

/// A JS `Error` carrying the JSON pointer (`path`) and the stable `code` of an input error.
fn error(code: &str, path: &str, message: &str) -> JsValue {
    let e = JsError::new(&format!("{}: {message} [{code}]", if path.is_empty() { "(document)" } else { path }));
    let _ = Reflect::set(&e, &"code".into(), &code.into());
    let _ = Reflect::set(&e, &"path".into(), &path.into());
    e.into()
}

fn input_error(e: &InputError) -> JsValue {
    error(e.code.as_str(), &e.path, &e.message)
}

/// An argument as JSON text: a string is taken as it is; an object is `JSON.stringify`'d after
/// checking that it holds no value JSON would silently change (NaN and ±Infinity become null,
/// functions and symbols vanish). `what` names the argument in errors.
fn json_text(value: &JsValue, what: &str) -> Result<String, JsValue> {
    if let Some(s) = value.as_string() {
        return Ok(s);
    }
    if !value.is_object() || value.is_function() {
        return Err(error("invalid_type", "", &format!("expected {what} object or JSON text")));
    }
    check_json_safe(value)?;
    JSON::stringify(value)
        .map(String::from)
        .map_err(|_| error("invalid_type", "", &format!("{what} cannot be converted to JSON (it threw an exception)")))
}

/// Parse and validate a household argument (object or JSON text).
fn household_from(engine: &CoreEngine, value: &JsValue) -> Result<ValidHousehold, JsValue> {
    engine.parse_household(&json_text(value, "a household")?).map_err(|e| input_error(&e))
}

// JS calls that may throw (a getter, a Proxy trap, a revoked Proxy), imported with `catch` so a JS
// exception comes back as an `Err` instead of unwinding through wasm frames (which leaves the
// module's stack pointer wrong and every later call failing).
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Object, js_name = entries)]
    fn try_entries(value: &JsValue) -> Result<js_sys::Array, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Object, js_name = getPrototypeOf)]
    fn try_prototype(value: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn try_keys(value: &JsValue) -> Result<js_sys::Array, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn try_is_array(value: &JsValue) -> Result<bool, JsValue>;
}

/// How deep a household object may nest: the same limit as the JSON text reader (serde_json's 128).
const MAX_DEPTH: usize = 128;

/// Walk plain objects and arrays without recursion (depth at most [`MAX_DEPTH`]); reject numbers
/// that are not finite, functions, symbols, bigints, and objects whose properties throw. Paths are
/// built only for the error (each node keeps its parent and key).
fn check_json_safe(value: &JsValue) -> Result<(), JsValue> {
    struct Node {
        value: JsValue,
        parent: usize,
        key: String,
        depth: usize,
    }
    let path = |nodes: &[Node], mut i: usize| {
        let mut keys = Vec::new();
        while i != 0 {
            keys.push(nodes[i].key.replace('~', "~0").replace('/', "~1"));
            i = nodes[i].parent;
        }
        keys.iter().rev().fold(String::new(), |p, k| p + "/" + k)
    };
    let date = try_prototype(&js_sys::Date::new_0()).ok();
    let mut nodes = vec![Node { value: value.clone(), parent: 0, key: String::new(), depth: 0 }];
    let mut todo = vec![0];
    while let Some(i) = todo.pop() {
        let value = &nodes[i].value;
        if let Some(n) = value.as_f64() {
            if !n.is_finite() {
                let message = "expected a finite number (NaN and Infinity are not amounts)";
                return Err(error("invalid_value", &path(&nodes, i), message));
            }
            continue;
        }
        if value.is_function() || value.is_symbol() || value.is_bigint() {
            let message = "expected JSON data (no functions, symbols or BigInt)";
            return Err(error("invalid_type", &path(&nodes, i), message));
        }
        if !value.is_object() {
            continue;
        }
        let thrown =
            |_| error("invalid_type", &path(&nodes, i), "reading this object threw an exception (a getter or Proxy?)");
        if try_prototype(value).map_err(thrown)?.eq(date.as_ref().unwrap_or(&JsValue::UNDEFINED)) {
            continue; // a Date becomes its ISO string in JSON
        }
        if nodes[i].depth >= MAX_DEPTH {
            return Err(error("invalid_json", &path(&nodes, i), &format!("nested more than {MAX_DEPTH} levels deep")));
        }
        let entries = try_entries(value).map_err(thrown)?;
        let depth = nodes[i].depth + 1;
        // Pushed last to first, so the first problem in document order is the one reported.
        for e in (0..entries.length()).rev() {
            let pair: js_sys::Array = entries.get(e).unchecked_into();
            let key = pair.get(0).as_string().unwrap_or_default();
            todo.push(nodes.len());
            nodes.push(Node { value: pair.get(1), parent: i, key, depth });
        }
    }
    Ok(())
}

/// A month argument: a `YYYY-MM` string (anything else is an error naming the argument).
fn month(field: &str, value: &JsValue) -> Result<YearMonth, JsValue> {
    let s = value
        .as_string()
        .ok_or_else(|| error("invalid_type", &format!("/{field}"), "expected a month as a \"YYYY-MM\" string"))?;
    s.parse().map_err(|e: kodomo_rules::calendar::ParseYearMonthError| {
        error("invalid_month", &format!("/{field}"), &e.to_string())
    })
}

fn to_js<T: serde::Serialize>(v: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(v).map_err(|e| error("internal", "", &e.to_string()))?;
    JSON::parse(&text)
}

/// `{trace?: boolean}`, with `scheme` where a single scheme is evaluated (timelines, where it is
/// required); anything else is an error naming the option.
fn options(
    engine: &CoreEngine,
    value: Option<js_sys::Object>,
    with_scheme: bool,
) -> Result<(Options, Option<String>), JsValue> {
    let Some(value) = value.map(JsValue::from).filter(|v| !v.is_undefined() && !v.is_null()) else {
        return Ok((Options::default(), None));
    };
    let value = &value;
    let thrown = |_| error("invalid_type", "/options", "reading the options threw an exception");
    if !value.is_object() || try_is_array(value).map_err(thrown)? || value.is_function() {
        return Err(error("invalid_type", "/options", "expected an object {trace?: boolean, scheme?: string}"));
    }
    let keys = try_keys(value).map_err(thrown)?;
    if let Some(k) = keys.iter().filter_map(|k| k.as_string()).find(|k| k != "trace" && !(with_scheme && k == "scheme"))
    {
        return Err(error(
            "unknown_field",
            &format!("/options/{k}"),
            &format!("unknown option `{k}`, expected {}", if with_scheme { "trace or scheme" } else { "trace" }),
        ));
    }
    let trace = Reflect::get(value, &"trace".into())?;
    let trace = match trace.as_bool() {
        Some(b) => b,
        None if trace.is_undefined() => false,
        None => return Err(error("invalid_type", "/options/trace", "expected a boolean")),
    };
    let scheme = Reflect::get(value, &"scheme".into())?;
    let scheme = if scheme.is_undefined() { None } else { Some(scheme_of(engine, &scheme, "/options/scheme")?) };
    Ok((Options::trace(trace), scheme))
}

/// A scheme id, which must be one of the engine's (an error at `path` lists them).
fn scheme_of(engine: &CoreEngine, value: &JsValue, path: &str) -> Result<String, JsValue> {
    let id = value
        .as_string()
        .ok_or_else(|| error("invalid_type", path, "expected a scheme id string (see engine.schemes())"))?;
    if engine.scheme_meta(&id).is_none() {
        let ids: Vec<String> = engine.schemes().iter().map(|s| s.meta.id.to_string()).collect();
        return Err(error("unknown_reference", path, &format!("unknown scheme {id:?} (schemes: {})", ids.join(", "))));
    }
    Ok(id)
}

/// The rules engine with the embedded rulesets.
#[wasm_bindgen]
pub struct Engine {
    inner: CoreEngine,
}

#[wasm_bindgen]
impl Engine {
    /// Load the embedded rulesets.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<Engine, JsValue> {
        CoreEngine::new().map(|inner| Engine { inner }).map_err(|e| error("invalid_ruleset", &e.path, &e.to_string()))
    }

    /// Every scheme for one month (`YYYY-MM`). Options (`EvaluateOptions`): `{trace?: boolean}`.
    #[wasm_bindgen(unchecked_return_type = "Evaluation")]
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Household | string")] household: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] month: JsValue,
        options: Option<js_sys::Object>,
    ) -> Result<JsValue, JsValue> {
        let hh = household_from(&self.inner, &household)?;
        let (opts, _) = self::options(&self.inner, options, false)?;
        to_js(&self.inner.evaluate(&hh, self::month("month", &month)?, opts))
    }

    /// A readable explanation of one month, in Japanese (`"ja"`) or English (`"en"`), with the
    /// trace (rules, articles, parameter values with their dates).
    pub fn explain(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Household | string")] household: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] month: JsValue,
        #[wasm_bindgen(unchecked_param_type = "\"ja\" | \"en\"")] lang: JsValue,
    ) -> Result<String, JsValue> {
        let hh = household_from(&self.inner, &household)?;
        let lang = lang
            .as_string()
            .ok_or_else(|| error("invalid_type", "/lang", "expected \"ja\" or \"en\""))?
            .parse()
            .map_err(|e: String| error("invalid_value", "/lang", &e))?;
        Ok(self.inner.evaluate(&hh, self::month("month", &month)?, Options::trace(true)).explain(&self.inner, lang))
    }

    /// One scheme (`options.scheme`, an id of `schemes()`) month by month from `from` to `to`
    /// (both included), with payments. Options (`TimelineOptions`): `{scheme: string, trace?: boolean}`.
    #[wasm_bindgen(unchecked_return_type = "Timeline")]
    pub fn timeline(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Household | string")] household: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] from: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] to: JsValue,
        #[wasm_bindgen(unchecked_param_type = "TimelineOptions")] options: Option<js_sys::Object>,
    ) -> Result<JsValue, JsValue> {
        let hh = household_from(&self.inner, &household)?;
        let (opts, scheme) = self::options(&self.inner, options, true)?;
        let scheme = scheme.ok_or_else(|| {
            error("missing_field", "/options/scheme", "a timeline needs options.scheme (see engine.schemes())")
        })?;
        let (from, to) = (self::month("from", &from)?, self::month("to", &to)?);
        let t = self.inner.timeline(&hh, &scheme, from, to, opts).map_err(|e| input_error(&e))?;
        to_js(&t)
    }

    /// The calendar year whose income the income test of `scheme` in `month` reads, or
    /// `undefined` when no income test applies (児童手当: 2012-04, 2012-05 and from 2024-10) — so
    /// a form asks for income only when it matters.
    #[wasm_bindgen(js_name = incomeYearFor)]
    pub fn income_year_for(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] month: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] scheme: JsValue,
    ) -> Result<Option<i32>, JsValue> {
        let scheme = scheme_of(&self.inner, &scheme, "/scheme")?;
        self.inner.income_year_of(&scheme, self::month("month", &month)?).map_err(|e| input_error(&e))
    }

    /// The schemes: id, names (ja/en), law, level, kind, who may apply, the inputs each reads,
    /// the labels of its codes (reasons, bands, …) and its rulesets — what a form shows.
    #[wasm_bindgen(unchecked_return_type = "SchemeInfo[]")]
    pub fn schemes(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.schemes())
    }

    /// A new engine with a ruleset bundle added — `{files: {"<path>": <file JSON>, ...}}` as an
    /// object or JSON text, paths as under `rulesets/` (e.g. `municipal/382060/<scheme>/scheme.json`)
    /// — validated like the embedded rulesets. On failure the Error's `errors` lists every one
    /// (`{file, path, message}`).
    #[wasm_bindgen(js_name = withRules)]
    pub fn with_rules(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ files: Record<string, unknown> } | string")] bundle: JsValue,
    ) -> Result<Engine, JsValue> {
        let fail = |errors: Vec<kodomo_rules::RulesetError>| {
            let first = errors.first().map_or(String::new(), |e| format!("{}:{}", e.ruleset, e.path));
            let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
            let e = error("invalid_ruleset", &first, &text.join("\n"));
            let list = js_sys::Array::new();
            for r in &errors {
                let o = js_sys::Object::new();
                let _ = Reflect::set(&o, &"file".into(), &r.ruleset.as_str().into());
                let _ = Reflect::set(&o, &"path".into(), &r.path.as_str().into());
                let _ = Reflect::set(&o, &"message".into(), &r.message.as_str().into());
                list.push(&o);
            }
            let _ = Reflect::set(&e, &"errors".into(), &list);
            e
        };
        let text = json_text(&bundle, "a bundle")?;
        let bundle = kodomo_rules::Bundle::from_json(text.as_bytes()).map_err(|e| fail(vec![e]))?;
        self.inner.with_bundle(&bundle).map(|inner| Engine { inner }).map_err(|e| fail(e.0))
    }

    /// The embedded rulesets (id, months covered, content hash).
    #[wasm_bindgen(unchecked_return_type = "RulesetInfo[]")]
    pub fn rulesets(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.rulesets())
    }

    /// JSON Schema of the household input (the committed schema, which `cargo test` keeps equal
    /// to the one the core generates; embedding it keeps schemars out of the .wasm).
    pub fn schema(&self) -> Result<JsValue, JsValue> {
        JSON::parse(include_str!("../../rulesets/schema/household.schema.json"))
    }

    /// The engine and ruleset versions.
    pub fn version(&self) -> String {
        format!("kodomo-rules {} ({})", env!("CARGO_PKG_VERSION"), self.inner.rulesets_hash())
    }
}
