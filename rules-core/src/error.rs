//! Typed errors. Every input error names the field (a JSON pointer) and the reason.

use serde::Serialize;

/// What kind of input error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// The bytes are not JSON.
    InvalidJson,
    /// A field the model does not have.
    UnknownField,
    /// A required field is absent.
    MissingField,
    /// A value of the wrong JSON type.
    InvalidType,
    /// A date that does not exist or is not `YYYY-MM-DD`.
    InvalidDate,
    /// A month that is not `YYYY-MM`.
    InvalidMonth,
    /// A value of the right type that the rules cannot accept (negative income, …).
    InvalidValue,
    /// Two persons with the same id.
    DuplicateId,
    /// A reference (e.g. an application's claimant) to no such person.
    UnknownReference,
}

impl ErrorCode {
    /// The stable snake_case name (as in JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::UnknownField => "unknown_field",
            ErrorCode::MissingField => "missing_field",
            ErrorCode::InvalidType => "invalid_type",
            ErrorCode::InvalidDate => "invalid_date",
            ErrorCode::InvalidMonth => "invalid_month",
            ErrorCode::InvalidValue => "invalid_value",
            ErrorCode::DuplicateId => "duplicate_id",
            ErrorCode::UnknownReference => "unknown_reference",
        }
    }
}

/// Bad input: which field (JSON pointer, `""` for the whole document) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}: {message} [{}]", if path.is_empty() { "(document)" } else { path }, code.as_str())]
pub struct InputError {
    /// The kind of error.
    pub code: ErrorCode,
    /// JSON pointer to the offending field.
    pub path: String,
    /// Human-readable reason.
    pub message: String,
}

impl InputError {
    /// A new error.
    pub fn new(code: ErrorCode, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self { code, path: path.into(), message: message.into() }
    }

    /// Convert a serde_json error found at `path` (from `serde_path_to_error`).
    pub(crate) fn from_serde(path: &serde_path_to_error::Path, err: &serde_json::Error) -> Self {
        use serde_path_to_error::Segment;
        let mut pointer = String::new();
        for segment in path.iter() {
            let part = match segment {
                Segment::Seq { index } => index.to_string(),
                Segment::Map { key } => key.replace('~', "~0").replace('/', "~1"),
                Segment::Enum { .. } | Segment::Unknown => continue,
            };
            pointer.push('/');
            pointer.push_str(&part);
        }
        // serde's messages carry a " at line L column C" suffix; the pointer is more useful.
        let text = err.to_string();
        let message = match text.rfind(" at line ") {
            Some(i) => text[..i].to_owned(),
            None => text,
        };
        let code = if err.is_syntax() || err.is_eof() {
            ErrorCode::InvalidJson
        } else if message.starts_with("unknown field") || message.starts_with("unknown variant") {
            if message.starts_with("unknown variant") {
                ErrorCode::InvalidValue
            } else {
                ErrorCode::UnknownField
            }
        } else if let Some(field) = message.strip_prefix("missing field `") {
            pointer.push('/');
            pointer.push_str(field.trim_end_matches('`'));
            ErrorCode::MissingField
        } else if message.starts_with("invalid type") {
            ErrorCode::InvalidType
        } else if message.contains("YYYY-MM") {
            ErrorCode::InvalidMonth
        } else if [
            "input is out of range",
            "input contains invalid characters",
            "premature end of input",
            "trailing input",
            "input is not enough",
        ]
        .iter()
        .any(|m| message.contains(m))
        {
            return Self::new(
                ErrorCode::InvalidDate,
                pointer,
                format!("expected an existing date as YYYY-MM-DD ({message})"),
            );
        } else {
            ErrorCode::InvalidValue
        };
        Self::new(code, pointer, message)
    }
}

/// A ruleset file that fails validation (found when the engine is built, tested in `cargo test`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("ruleset {ruleset}: {path}: {message}")]
pub struct RulesetError {
    /// Ruleset id or file name.
    pub ruleset: String,
    /// Where in the file.
    pub path: String,
    /// Why.
    pub message: String,
}

/// Any error of the engine's API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Bad input.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A bad ruleset (including a bad override).
    #[error(transparent)]
    Ruleset(#[from] RulesetError),
}
