//! WebAssembly bindings of `kodomo-rules`: JSON in, JSON out, JS `Error`s with `path` and `code`.
//! Type and error conversion only; every rule is in the core.

use js_sys::{Error as JsError, Reflect, JSON};
use kodomo_rules::{Engine as CoreEngine, InputError, Options, Scheme, YearMonth};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_IMPORTS: &str =
    r#"import type { Household, Evaluation, Timeline, RulesetInfo, EvaluateOptions } from "../../types/index";"#;

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

/// The household as JSON text: a string is taken as it is, anything else is `JSON.stringify`'d.
fn household_text(value: &JsValue) -> Result<String, JsValue> {
    if let Some(s) = value.as_string() {
        return Ok(s);
    }
    if value.is_undefined() || value.is_null() {
        return Err(error("invalid_type", "", "expected a household object or JSON text"));
    }
    JSON::stringify(value)
        .map(String::from)
        .map_err(|_| error("invalid_type", "", "the household cannot be converted to JSON"))
}

fn month(field: &str, s: &str) -> Result<YearMonth, JsValue> {
    s.parse().map_err(|e: kodomo_rules::calendar::ParseYearMonthError| {
        error("invalid_month", &format!("/{field}"), &e.to_string())
    })
}

fn to_js<T: serde::Serialize>(v: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(v).map_err(|e| error("internal", "", &e.to_string()))?;
    JSON::parse(&text)
}

/// `{trace?: boolean}`; anything else is an error naming the option.
fn options(value: Option<js_sys::Object>) -> Result<Options, JsValue> {
    let Some(value) = value.map(JsValue::from).filter(|v| !v.is_undefined() && !v.is_null()) else {
        return Ok(Options::default());
    };
    let value = &value;
    if !value.is_object() {
        return Err(error("invalid_type", "/options", "expected an object {trace?: boolean}"));
    }
    let keys = js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>());
    if let Some(k) = keys.iter().filter_map(|k| k.as_string()).find(|k| k != "trace") {
        return Err(error("unknown_field", &format!("/options/{k}"), &format!("unknown option `{k}`, expected trace")));
    }
    let trace = Reflect::get(value, &"trace".into())?;
    let trace = match trace.as_bool() {
        Some(b) => b,
        None if trace.is_undefined() => false,
        None => return Err(error("invalid_type", "/options/trace", "expected a boolean")),
    };
    Ok(Options { trace })
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
        month: &str,
        options: Option<js_sys::Object>,
    ) -> Result<JsValue, JsValue> {
        let hh = CoreEngine::parse_household(&household_text(&household)?).map_err(|e| input_error(&e))?;
        let opts = self::options(options)?;
        to_js(&self.inner.evaluate(&hh, self::month("month", month)?, opts))
    }

    /// A readable explanation of one month, in Japanese (`"ja"`) or English (`"en"`), with the
    /// trace (rules, articles, parameter values with their dates).
    pub fn explain(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Household | string")] household: JsValue,
        month: &str,
        lang: &str,
    ) -> Result<String, JsValue> {
        let hh = CoreEngine::parse_household(&household_text(&household)?).map_err(|e| input_error(&e))?;
        let lang = lang.parse().map_err(|e: String| error("invalid_value", "/lang", &e))?;
        Ok(self.inner.evaluate(&hh, self::month("month", month)?, Options { trace: true }).explain(lang))
    }

    /// 児童手当 month by month from `from` to `to` (both included), with payments.
    #[wasm_bindgen(unchecked_return_type = "Timeline")]
    pub fn timeline(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Household | string")] household: JsValue,
        from: &str,
        to: &str,
        options: Option<js_sys::Object>,
    ) -> Result<JsValue, JsValue> {
        let hh = CoreEngine::parse_household(&household_text(&household)?).map_err(|e| input_error(&e))?;
        let opts = self::options(options)?;
        let t = self
            .inner
            .timeline(&hh, Scheme::ChildAllowance, self::month("from", from)?, self::month("to", to)?, opts)
            .map_err(|e| input_error(&e))?;
        to_js(&t)
    }

    /// The calendar year whose income the income test of `month` reads, or `undefined` when no
    /// income test applies (2012-04, 2012-05 and from 2024-10) — so a form asks for income only
    /// when it matters.
    #[wasm_bindgen(js_name = incomeYearFor)]
    pub fn income_year_for(&self, month: &str) -> Result<Option<i32>, JsValue> {
        Ok(self.inner.income_year_for(self::month("month", month)?))
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
