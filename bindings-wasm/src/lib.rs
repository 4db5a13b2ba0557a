//! WebAssembly bindings of `kodomo-rules`: JSON in, JSON out, JS `Error`s with `path` and `code`.
//! Type and error conversion only; every rule is in the core.

use js_sys::{Error as JsError, Reflect, JSON};
use kodomo_rules::{Engine as CoreEngine, InputError, Options, Scheme, YearMonth};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_IMPORTS: &str = r#"import type { Household, Evaluation, Timeline, RulesetInfo, EvaluateOptions, Scheme } from "../../types/index";"#;

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

/// The household as JSON text: a string is taken as it is; an object is `JSON.stringify`'d after
/// checking that it holds no value JSON would silently change (NaN and ±Infinity become null,
/// functions and symbols vanish).
fn household_text(value: &JsValue) -> Result<String, JsValue> {
    if let Some(s) = value.as_string() {
        return Ok(s);
    }
    if !value.is_object() || value.is_function() {
        return Err(error("invalid_type", "", "expected a household object or JSON text"));
    }
    check_json_safe(value)?;
    JSON::stringify(value)
        .map(String::from)
        .map_err(|_| error("invalid_type", "", "the household cannot be converted to JSON (it threw an exception)"))
}

/// Parse and validate a household argument (object or JSON text).
fn household_from(value: &JsValue) -> Result<kodomo_rules::Household, JsValue> {
    CoreEngine::parse_household(&household_text(value)?).map_err(|e| input_error(&e))
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

/// `{trace?: boolean}`; anything else is an error naming the option.
/// Evaluation options; `scheme` only where a single scheme is evaluated (timelines).
fn options(value: Option<js_sys::Object>, with_scheme: bool) -> Result<(Options, Scheme), JsValue> {
    let Some(value) = value.map(JsValue::from).filter(|v| !v.is_undefined() && !v.is_null()) else {
        return Ok((Options::default(), Scheme::ChildAllowance));
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
    Ok((Options { trace }, scheme_of(&Reflect::get(value, &"scheme".into())?, "/options/scheme")?))
}

/// A scheme id (`undefined`: 児童手当).
fn scheme_of(value: &JsValue, path: &str) -> Result<Scheme, JsValue> {
    if value.is_undefined() {
        return Ok(Scheme::ChildAllowance);
    }
    let id = value.as_string().ok_or_else(|| error("invalid_type", path, "expected a scheme id string"))?;
    Scheme::parse_at(&id, path).map_err(|e| input_error(&e))
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
        let hh = household_from(&household)?;
        let (opts, _) = self::options(options, false)?;
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
        let hh = household_from(&household)?;
        let lang = lang
            .as_string()
            .ok_or_else(|| error("invalid_type", "/lang", "expected \"ja\" or \"en\""))?
            .parse()
            .map_err(|e: String| error("invalid_value", "/lang", &e))?;
        Ok(self.inner.evaluate(&hh, self::month("month", &month)?, Options { trace: true }).explain(lang))
    }

    /// One scheme (`options.scheme`, default `child_allowance`) month by month from `from` to `to`
    /// (both included), with payments.
    #[wasm_bindgen(unchecked_return_type = "Timeline")]
    pub fn timeline(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Household | string")] household: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] from: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] to: JsValue,
        options: Option<js_sys::Object>,
    ) -> Result<JsValue, JsValue> {
        let hh = household_from(&household)?;
        let (opts, scheme) = self::options(options, true)?;
        let (from, to) = (self::month("from", &from)?, self::month("to", &to)?);
        let t = self.inner.timeline(&hh, scheme, from, to, opts).map_err(|e| input_error(&e))?;
        to_js(&t)
    }

    /// The calendar year whose income the income test of `scheme` (default 児童手当) in `month`
    /// reads, or `undefined` when no income test applies (児童手当: 2012-04, 2012-05 and from
    /// 2024-10) — so a form asks for income only when it matters.
    #[wasm_bindgen(js_name = incomeYearFor)]
    pub fn income_year_for(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] month: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Scheme | undefined")] scheme: JsValue,
    ) -> Result<Option<i32>, JsValue> {
        let scheme = scheme_of(&scheme, "/scheme")?;
        Ok(self.inner.income_year_of(scheme, self::month("month", &month)?))
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
