//! The endpoints: each reads its JSON request, asks the engine and answers with the same JSON the
//! CLI writes (`kodomo eval`, `kodomo timeline`, `kodomo schemes`, `kodomo rulesets`, `kodomo
//! schema`), or a problem naming the field at fault.

use crate::problem::Problem;
use crate::App;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use kodomo_rules::{Engine, Options, ValidHousehold, YearMonth};
use serde_json::Value;
use std::sync::Arc;

/// `200 OK` with `text` as `content_type`.
fn ok(text: String, content_type: &'static str) -> Response {
    let mut r = (StatusCode::OK, text).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

/// `v` as the CLI writes it: pretty JSON and a newline.
pub(crate) fn json<T: serde::Serialize>(v: &T) -> Response {
    match serde_json::to_string_pretty(v) {
        Ok(text) => ok(text + "\n", "application/json"),
        Err(e) => Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()).into_response(),
    }
}

/// The request body, at most the configured size (`413` beyond it).
async fn body(app: &App, req: Request) -> Result<Bytes, Problem> {
    let limit = app.limits.max_body_bytes;
    let too_large = || {
        Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", format!("the body is larger than {limit} bytes"))
    };
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    axum::body::to_bytes(req.into_body(), limit).await.map_err(|e| {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        while let Some(s) = source {
            if s.is::<http_body_util::LengthLimitError>() {
                return too_large();
            }
            source = s.source();
        }
        Problem::new(StatusCode::BAD_REQUEST, "invalid_body", format!("the body could not be read: {e}"))
    })
}

/// The body of `POST /v1/evaluate`, and each line of `POST /v1/screen`.
#[derive(serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "EvaluateRequest")]
pub(crate) struct EvaluateRequest {
    /// The household (the engine's input; its errors are under `/household`).
    #[schemars(with = "kodomo_rules::Household")]
    household: Value,
    /// The month, `YYYY-MM`.
    month: YearMonth,
    /// Add each result's trace (the rules applied, with their citations).
    #[serde(default)]
    trace: bool,
}

/// The body of `POST /v1/timeline`.
#[derive(serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "TimelineRequest")]
pub(crate) struct TimelineRequest {
    /// The household.
    #[schemars(with = "kodomo_rules::Household")]
    household: Value,
    /// A monthly scheme's id (`GET /v1/schemes`).
    scheme: String,
    /// The first month, `YYYY-MM`.
    from: YearMonth,
    /// The last month.
    to: YearMonth,
    /// Add each month's trace.
    #[serde(default)]
    trace: bool,
}

/// The answer of `GET /healthz`.
#[derive(serde::Serialize, schemars::JsonSchema)]
#[schemars(title = "Health")]
pub(crate) struct Health {
    /// `ok`.
    status: &'static str,
}

/// The JSON Schemas of the service's own requests and answers, by component name (requests as
/// read, answers as written).
pub(crate) fn envelope_schemas() -> Vec<(&'static str, Value)> {
    fn to(s: schemars::Schema) -> Value {
        serde_json::to_value(s).unwrap_or_default()
    }
    fn output<T: schemars::JsonSchema>() -> Value {
        to(schemars::generate::SchemaSettings::default().for_serialize().into_generator().into_root_schema_for::<T>())
    }
    vec![
        ("EvaluateRequest", to(schemars::schema_for!(EvaluateRequest))),
        ("TimelineRequest", to(schemars::schema_for!(TimelineRequest))),
        ("Problem", output::<crate::problem::ProblemBody>()),
        ("RulesetsResponse", output::<kodomo_rules::RulesetList>()),
        ("Health", output::<Health>()),
    ]
}

/// The body as text (`400` when it is not UTF-8).
fn utf8(bytes: &[u8]) -> Result<&str, Problem> {
    std::str::from_utf8(bytes)
        .map_err(|e| Problem::at(StatusCode::BAD_REQUEST, "invalid_json", "", format!("the body is not UTF-8 ({e})")))
}

/// A request body as `T`: UTF-8, one JSON document, no key twice, its fields as `T` has them.
fn request<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    let value = kodomo_rules::parse_json(utf8(bytes)?).map_err(|e| Problem::input(&e, ""))?;
    kodomo_rules::from_json_value(value).map_err(|e| Problem::input(&e, ""))
}

/// One of the service's permits for an evaluation (`503` when none is free).
fn permit(app: &App) -> Result<tokio::sync::OwnedSemaphorePermit, Problem> {
    app.permits
        .clone()
        .try_acquire_owned()
        .map_err(|_| Problem::new(StatusCode::SERVICE_UNAVAILABLE, "busy", "too many evaluations at once; retry"))
}

/// `work`, a panic in it — a bug, never input — a `500`.
fn guarded<T>(work: impl FnOnce() -> T) -> Result<T, Problem> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|_| {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the engine failed on this request (a bug: please report it)",
        )
    })
}

/// Run `work` (a long evaluation: a timeline, a batch) off the request threads while holding a
/// permit.
async fn compute<T: Send + 'static>(app: &Arc<App>, work: impl FnOnce() -> T + Send + 'static) -> Result<T, Problem> {
    let permit = permit(app)?;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        guarded(work)
    })
    .await
    .map_err(|_| Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the evaluation was cancelled"))?
}

/// The household of a request, validated, within the configured number of persons.
fn household(app: &App, v: Value, prefix: &str) -> Result<ValidHousehold, Problem> {
    let n = v.get("persons").and_then(Value::as_array).map_or(0, Vec::len);
    let max = app.limits.max_persons;
    if n > max {
        return Err(Problem::at(
            StatusCode::UNPROCESSABLE_ENTITY,
            "limit_exceeded",
            format!("{prefix}/persons"),
            format!("{n} persons; this service accepts at most {max}"),
        ));
    }
    app.engine.household_from_value(v).map_err(|e| Problem::input(&e, prefix))
}

/// `POST /v1/evaluate` `{"household", "month", "trace"?}`: every scheme for the month.
pub(crate) async fn evaluate(State(app): State<Arc<App>>, req: Request) -> Result<Response, Problem> {
    let r: EvaluateRequest = request(&body(&app, req).await?)?;
    let hh = household(&app, r.household, "/household")?;
    // One household and one month: microseconds, computed in place (a permit held).
    let _permit = permit(&app)?;
    Ok(json(&guarded(|| app.engine.evaluate(&hh, r.month, Options::trace(r.trace)))?))
}

/// `POST /v1/timeline` `{"household", "scheme", "from", "to", "trace"?}`: one monthly scheme.
pub(crate) async fn timeline(State(app): State<Arc<App>>, req: Request) -> Result<Response, Problem> {
    let r: TimelineRequest = request(&body(&app, req).await?)?;
    let max = app.limits.max_months;
    if r.to >= r.from && r.from.months_until(r.to) >= i32::try_from(max).unwrap_or(i32::MAX) {
        return Err(Problem::at(
            StatusCode::UNPROCESSABLE_ENTITY,
            "limit_exceeded",
            "/to",
            format!("this service gives at most {max} months per timeline"),
        ));
    }
    if app.engine.scheme_meta(&r.scheme).is_none() {
        let ids: Vec<String> = app.engine.schemes().iter().map(|s| s.meta.id.to_string()).collect();
        return Err(Problem::at(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_reference",
            "/scheme",
            format!("unknown scheme {:?} (schemes: {})", r.scheme, ids.join(", ")),
        ));
    }
    let hh = household(&app, r.household, "/household")?;
    let engine = app.engine.clone();
    let t = compute(&app, move || engine.timeline(&hh, &r.scheme, r.from, r.to, Options::trace(r.trace))).await?;
    Ok(json(&t.map_err(|e| Problem::input(&e, ""))?))
}

/// `POST /v1/screen`: NDJSON in (one `{"household", "month"}` per line), NDJSON out (per
/// non-blank line its evaluation, or `{"error": problem}` with its pointer under `/<line index>`,
/// counting every line from 0). Evaluated off the request threads; it stops at the request's
/// timeout.
pub(crate) async fn screen(State(app): State<Arc<App>>, req: Request) -> Result<Response, Problem> {
    let bytes = body(&app, req).await?;
    let count = utf8(&bytes)?.lines().filter(|l| !l.trim().is_empty()).count();
    if count == 0 {
        return Err(Problem::at(
            StatusCode::UNPROCESSABLE_ENTITY,
            "missing_field",
            "",
            "no household: one {\"household\", \"month\"} object per line",
        ));
    }
    let max = app.limits.max_households;
    if count > max {
        return Err(Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "limit_exceeded",
            format!("{count} households; this service screens at most {max} per request"),
        ));
    }
    let deadline = std::time::Instant::now() + app.limits.timeout;
    let app2 = app.clone();
    let out = compute(&app, move || {
        let text = std::str::from_utf8(&bytes).unwrap_or_default();
        let mut out = String::new();
        for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            // The answer is a 408 by now: stop computing.
            if std::time::Instant::now() > deadline {
                break;
            }
            let one = (|| {
                let r: EvaluateRequest = request(line.as_bytes())?;
                let hh = household(&app2, r.household, "/household")?;
                serde_json::to_string(&app2.engine.evaluate(&hh, r.month, Options::trace(r.trace)))
                    .map_err(|e| Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))
            })();
            match one {
                Ok(text) => out.push_str(&text),
                Err(mut p) => {
                    p.pointer = Some(format!("/{i}{}", p.pointer.unwrap_or_default()));
                    out.push_str(&serde_json::json!({ "error": p.body() }).to_string());
                }
            }
            out.push('\n');
        }
        out
    })
    .await?;
    Ok(ok(out, "application/x-ndjson"))
}

/// `GET /v1/schemes`: as `kodomo schemes`.
pub(crate) async fn schemes(State(app): State<Arc<App>>) -> Response {
    json(&app.engine.schemes())
}

/// `GET /v1/rulesets`: as `kodomo rulesets`.
pub(crate) async fn rulesets(State(app): State<Arc<App>>) -> Response {
    json(&app.engine.ruleset_list())
}

/// The JSON Schemas served by `GET /v1/schema/{name}`: the API's (household, evaluation,
/// timeline, rulesets, schemes) and every ruleset file's, by file name without `.schema.json`.
pub(crate) fn schemas() -> Vec<(String, Value)> {
    let mut all = Engine::api_schemas();
    all.extend(kodomo_rules::ruleset_schemas());
    all.into_iter().map(|(n, s)| (n.trim_end_matches(".schema.json").to_owned(), s)).collect()
}

/// `GET /v1/schema/{name}` (`household`: as `kodomo schema`).
pub(crate) async fn schema(State(app): State<Arc<App>>, Path(name): Path<String>) -> Result<Response, Problem> {
    let found = app.schemas.iter().find(|(n, _)| *n == name);
    let (_, s) = found.ok_or_else(|| {
        let names: Vec<&str> = app.schemas.iter().map(|(n, _)| n.as_str()).collect();
        Problem::new(StatusCode::NOT_FOUND, "not_found", format!("no schema {name:?} (schemas: {})", names.join(", ")))
    })?;
    Ok(json(s))
}

/// `GET /healthz`.
pub(crate) async fn healthz() -> Response {
    json(&Health { status: "ok" })
}

/// `GET /openapi.json`.
pub(crate) async fn openapi(State(app): State<Arc<App>>) -> Response {
    ok(app.openapi.clone(), "application/json")
}

/// Any other path.
pub(crate) async fn not_found(req: Request<Body>) -> Problem {
    Problem::new(StatusCode::NOT_FOUND, "not_found", format!("no endpoint {} (see /openapi.json)", req.uri().path()))
}

/// A known path with another method.
pub(crate) async fn method_not_allowed(req: Request<Body>) -> Problem {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{} does not take {} (see /openapi.json)", req.uri().path(), req.method()),
    )
}
