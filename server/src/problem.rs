//! Errors as `application/problem+json` (RFC 9457) with the engine's error code and the JSON
//! pointer of the input at fault.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use kodomo_rules::InputError;

/// One problem: HTTP status, a stable snake_case code, what went wrong and where.
#[derive(Debug, Clone)]
pub struct Problem {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable code: the engine's (`invalid_date`, `unknown_field` …) or the service's
    /// (`body_too_large`, `limit_exceeded`, `timeout`, `busy`, `not_found`, `method_not_allowed`).
    pub code: &'static str,
    /// What went wrong.
    pub detail: String,
    /// The JSON pointer of the request's field at fault (`""`: the whole body).
    pub pointer: Option<String>,
}

impl Problem {
    /// A problem with no pointer.
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        Problem { status, code, detail: detail.into(), pointer: None }
    }

    /// A problem at `pointer` in the request body.
    pub fn at(status: StatusCode, code: &'static str, pointer: impl Into<String>, detail: impl Into<String>) -> Self {
        Problem { status, code, detail: detail.into(), pointer: Some(pointer.into()) }
    }

    /// An engine input error under `prefix` of the request (`/household`), as a 422 — or a 400
    /// when the bytes are not JSON.
    pub fn input(e: &InputError, prefix: &str) -> Self {
        let status =
            if e.code.as_str() == "invalid_json" { StatusCode::BAD_REQUEST } else { StatusCode::UNPROCESSABLE_ENTITY };
        Problem {
            status,
            code: e.code.as_str(),
            detail: e.message.clone(),
            pointer: Some(format!("{prefix}{}", e.path)),
        }
    }

    /// The JSON body.
    pub fn body(&self) -> ProblemBody {
        ProblemBody {
            kind: "about:blank",
            title: self.status.canonical_reason().unwrap_or("Error"),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            code: self.code,
            pointer: self.pointer.clone(),
        }
    }
}

/// An error as `application/problem+json` (RFC 9457), with the error's code and the JSON pointer
/// of the field at fault.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
#[schemars(title = "Problem")]
pub struct ProblemBody {
    /// Always `about:blank`: the `code` says what happened.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The HTTP status's reason phrase.
    pub title: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong.
    pub detail: String,
    /// A stable code: the engine's (`invalid_date` …) or the service's (`body_too_large` …).
    pub code: &'static str,
    /// The JSON pointer of the request's field at fault (`""`: the whole body).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let text = serde_json::to_string_pretty(&self.body()).unwrap_or_default() + "\n";
        let mut r = (self.status, text).into_response();
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if matches!(self.status, StatusCode::SERVICE_UNAVAILABLE) {
            r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        r
    }
}
