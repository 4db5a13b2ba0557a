//! Rulesets: the versioned data files under `rulesets/` (amounts, limits, dates, citations),
//! embedded in the library, parsed into typed parameters, validated, and identified by a content
//! hash.
//!
//! A ruleset file covers one logic version of one scheme over a span of months. Each parameter is a
//! dated list of values, each with its source and status; a value may be `null` with status
//! `unknown` (the engine then reports "not known" for months that need it) or `not_in_force`.

mod bundle;
mod compiled;
mod embedded;
mod encode;

pub use bundle::{Bundle, BundleErrors};

pub(crate) use embedded::{Embedded, BUNDLE_HASH, EMBEDDED, SOURCES, SOURCE_IDS};
#[cfg(test)]
pub(crate) use embedded::{SOURCES_TEXT, TEXTS};

use crate::calendar::YearMonth;
use crate::error::RulesetError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Bilingual text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Japanese.
    pub ja: String,
    /// English.
    pub en: String,
}

/// The months a ruleset covers (`to` absent: open-ended).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Validity {
    /// First month covered.
    pub from: YearMonth,
    /// Last month covered, if closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<YearMonth>,
}

impl Validity {
    /// Whether `month` is covered.
    pub fn contains(&self, month: YearMonth) -> bool {
        self.from <= month && self.to.is_none_or(|to| month <= to)
    }
}

/// How sure a value is (FACTS.md status marks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ValueStatus {
    /// Confirmed by an official or municipal source (✅).
    Confirmed,
    /// Derived by arithmetic or reading from confirmed facts (◐).
    Derived,
    /// Only secondary sources (◐).
    Secondary,
    /// The value is not known (e.g. a future fiscal year): `value` is null.
    Unknown,
    /// The rule does not apply in this period: `value` is null.
    NotInForce,
    /// Supplied by an override (a reform scenario), not by the law.
    Override,
}

/// The sources of a value: ids of `rulesets/sources.json` or URLs, main source first. Written
/// as one string or a list; an override's source is free text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sources(pub Vec<String>);

impl Serialize for Sources {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.as_slice() {
            [one] => s.serialize_str(one),
            list => list.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Sources {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A visitor rather than an untagged enum: no buffering, and much less code in the .wasm.
        struct OneOrMany;
        impl<'de> serde::de::Visitor<'de> for OneOrMany {
            type Value = Sources;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a source id or URL, or a list of them")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Sources, E> {
                Ok(Sources(vec![v.to_owned()]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Sources, A::Error> {
                let mut list = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    list.push(s);
                }
                Ok(Sources(list))
            }
        }
        d.deserialize_any(OneOrMany)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Sources {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Sources".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Ids of rulesets/sources.json or http(s) URLs, main source first: one string or a list.",
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]
        })
    }
}

impl std::fmt::Display for Sources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join(", "))
    }
}

/// A document cited by the rulesets (an entry of `rulesets/sources.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Title (Japanese, with an English gloss where useful).
    pub title: String,
    /// Where to read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The statute and article, when it is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statute: Option<String>,
    /// A document of this repository (e.g. a research note).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// What kind of document.
    pub kind: SourceKind,
    /// When it was read (`YYYY-MM-DD` or `YYYY-MM`), where recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seen: Option<String>,
    /// Remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The kind of a cited document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// Government: laws, 通知, official pages.
    Official,
    /// A municipality's page.
    Municipal,
    /// A health or employment insurer.
    Insurer,
    /// Private sites, newspapers, law mirrors.
    Secondary,
    /// Public code repositories.
    Code,
    /// This repository's research notes.
    Research,
}

/// `rulesets/sources.json`: every document the rulesets cite, by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SourcesFile {
    /// What the file is.
    #[serde(rename = "$comment", default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The documents by id.
    pub sources: std::collections::BTreeMap<String, Source>,
}

impl SourcesFile {
    /// Every cited source of ruleset text `text` that is neither an id of this file nor an
    /// http(s) URL, as (JSON pointer, source); overrides (status `override`) cite free text.
    pub fn unresolved(&self, text: &str) -> Result<Vec<(String, String)>, String> {
        unresolved(text, &|id| self.sources.contains_key(id))
    }
}

/// The sources of ruleset text `text` that are neither `known` ids nor http(s) URLs.
pub(crate) fn unresolved(text: &str, known: &dyn Fn(&str) -> bool) -> Result<Vec<(String, String)>, String> {
    {
        let file: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        for (name, p) in file["parameters"].as_object().into_iter().flatten() {
            for (i, v) in p["values"].as_array().into_iter().flatten().enumerate() {
                if v["status"] == "override" {
                    continue;
                }
                let list: Vec<&str> = match &v["source"] {
                    serde_json::Value::String(s) => vec![s.as_str()],
                    serde_json::Value::Array(a) => a.iter().filter_map(|x| x.as_str()).collect(),
                    _ => vec![],
                };
                for (j, s) in list.iter().enumerate() {
                    let url = s.starts_with("https://") || s.starts_with("http://");
                    if !url && !known(s) {
                        let at = if v["source"].is_array() { format!("/{j}") } else { String::new() };
                        out.push((format!("/parameters/{name}/values/{i}/source{at}"), (*s).to_owned()));
                    }
                }
            }
        }
        Ok(out)
    }
}

/// A remark of a ruleset file: part of the file and its schema, checked to be a string, not kept
/// in memory (no output shows it, and not allocating it makes start-up faster).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Remark;

impl<'de> Deserialize<'de> for Remark {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = Remark;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Remark, E> {
                Ok(Remark)
            }
            fn visit_bytes<E: serde::de::Error>(self, _: &[u8]) -> Result<Remark, E> {
                Ok(Remark)
            }
        }
        // The compiled reader gives a string's bytes without reading them as text.
        d.deserialize_bytes(Text)
    }
}

/// One dated value of a parameter, in force from `from` until the next value's `from`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Dated<T> {
    /// First month (支給対象月, or January of an income year) this value applies to.
    pub from: YearMonth,
    /// The value; null when `status` is `unknown` or `not_in_force`.
    pub value: Option<T>,
    /// Where the value comes from: ids of `rulesets/sources.json` or URLs, main source first
    /// (one string or a list).
    pub source: Sources,
    /// How sure the value is.
    pub status: ValueStatus,
    /// Optional remark.
    // Read as a string but not kept: no output shows it.
    #[serde(default, skip_serializing)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub note: Option<Remark>,
}

/// A parameter: a legal citation and its dated values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Param<T> {
    /// The provision that sets this parameter.
    pub citation: String,
    /// Dated values, in increasing order of `from`; the first starts with the ruleset.
    pub values: Vec<Dated<T>>,
}

impl<T> Param<T> {
    /// The dated value in force in `month` (the last whose `from` ≤ month).
    pub fn at(&self, month: YearMonth) -> Option<&Dated<T>> {
        let i = self.values.partition_point(|v| v.from <= month);
        i.checked_sub(1).map(|i| &self.values[i])
    }

    /// Validate ordering, coverage and null/status consistency against the file's validity.
    pub(crate) fn validate(&self, name: &str, validity: &Validity, errors: &mut Vec<(String, String)>) {
        let path = |i: usize, field: &str| format!("/parameters/{name}/values/{i}/{field}");
        if self.citation.trim().is_empty() {
            errors.push((format!("/parameters/{name}/citation"), "missing citation".into()));
        }
        match self.values.first() {
            None => errors.push((format!("/parameters/{name}/values"), "no values".into())),
            Some(first) if first.from != validity.from => errors.push((
                path(0, "from"),
                format!("first value starts {} but the ruleset starts {} (gap)", first.from, validity.from),
            )),
            Some(_) => {}
        }
        for (i, v) in self.values.iter().enumerate() {
            if i > 0 && v.from <= self.values[i - 1].from {
                errors.push((
                    path(i, "from"),
                    format!("{} does not follow {} (overlap or disorder)", v.from, self.values[i - 1].from),
                ));
            }
            if !validity.contains(v.from) {
                errors.push((path(i, "from"), format!("{} is outside the ruleset's months", v.from)));
            }
            if v.source.0.is_empty() || v.source.0.iter().any(|s| s.trim().is_empty()) {
                errors.push((path(i, "source"), "missing source".into()));
            }
            let null_status = matches!(v.status, ValueStatus::Unknown | ValueStatus::NotInForce);
            if v.value.is_none() != null_status {
                errors.push((
                    path(i, "value"),
                    "value must be null exactly when status is unknown or not_in_force".into(),
                ));
            }
        }
    }
}

/// Amounts a parameter may take: 0 to 10^12 yen (so sums of amounts cannot overflow i64).
pub(crate) const MAX_YEN: i64 = 1_000_000_000_000;

/// Validate count parameters (days, months, percentages) that must be at least 1, by name.
pub(crate) fn check_counts(counts: &[(&str, &Param<u32>)], validity: &Validity, errors: &mut Vec<(String, String)>) {
    for (name, p) in counts {
        p.validate(name, validity, errors);
        for (i, v) in p.values.iter().enumerate() {
            if v.value == Some(0) {
                errors.push((format!("/parameters/{name}/values/{i}/value"), "must be at least 1".into()));
            }
        }
    }
}

/// Check that every yen figure of every dated value lies in `0..=max` (overrides included).
pub(crate) fn check_yen<T>(
    name: &str,
    p: &Param<T>,
    max: i64,
    figures: impl Fn(&T) -> Vec<i64>,
    errors: &mut Vec<(String, String)>,
) {
    for (i, v) in p.values.iter().enumerate() {
        if let Some(value) = &v.value {
            if figures(value).into_iter().any(|y| !(0..=max).contains(&y)) {
                errors.push((
                    format!("/parameters/{name}/values/{i}/value"),
                    format!("yen figures must be between 0 and {max}"),
                ));
            }
        }
    }
}

/// Check that every value of `p` lies in `range` (`what`: "an age", "a month", "days"): bounds for
/// the data and for overrides alike, so no date arithmetic sees an absurd value.
pub(crate) fn check_range(
    name: &str,
    p: &Param<u32>,
    range: std::ops::RangeInclusive<u32>,
    what: &str,
    errors: &mut Vec<(String, String)>,
) {
    for (i, v) in p.values.iter().enumerate() {
        if v.value.is_some_and(|x| !range.contains(&x)) {
            errors.push((
                format!("/parameters/{name}/values/{i}/value"),
                format!("must be {what} {}–{}", range.start(), range.end()),
            ));
        }
    }
}

/// Typed parameters of one logic version, validated beyond the generic [`Param`] checks.
pub(crate) trait Parameters: DeserializeOwned {
    /// Validate each parameter (`Param::validate`) and any cross-parameter constraints.
    fn validate(&self, validity: &Validity, errors: &mut Vec<(String, String)>);
}

/// A parsed ruleset file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RulesetFile<P> {
    /// Stable id, e.g. `child_allowance/2012`.
    pub id: String,
    /// The scheme (`child_allowance`) or shared rule (`income`) this file is for.
    pub scheme: String,
    /// The logic version in the engine that reads this file.
    pub logic: String,
    /// Title.
    pub title: Text,
    /// The governing law.
    pub law: Text,
    /// Months covered.
    pub valid: Validity,
    /// Typed parameters.
    pub parameters: P,
}

/// An engine's rulesets with the hash of the whole bundle: what `kodomo rulesets`, the service's
/// `GET /v1/rulesets` and Python's `Engine.rulesets_json` write.
#[derive(Debug, Clone, Copy, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RulesetList<'a> {
    /// `sha256:` over every ruleset file loaded (its path and content hash, in order).
    pub rulesets_hash: &'a str,
    /// Every ruleset file: id, scheme, logic version, months covered, content hash.
    pub rulesets: &'a [RulesetInfo],
}

/// What the engine reports about an embedded ruleset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RulesetInfo {
    /// Stable id.
    pub id: String,
    /// Scheme or shared rule.
    pub scheme: String,
    /// Logic version.
    pub logic: String,
    /// Title.
    pub title: Text,
    /// Months covered: first.
    pub valid_from: YearMonth,
    /// Months covered: last (absent: open-ended).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<YearMonth>,
    /// `sha256:` + hex digest of the file's bytes.
    pub hash: String,
    /// Path of the file under `rulesets/` (or in the bundle it was loaded from).
    pub file: String,
}

/// A ruleset file as loaded: compiled at build time (embedded), or JSON text (a bundle's file, or
/// one an override rewrote).
#[derive(Debug, Clone)]
pub(crate) enum Doc {
    /// An embedded file.
    Embedded(&'static Embedded),
    /// JSON text.
    Text(String),
}

impl Doc {
    /// The embedded file at `path`, if any.
    #[cfg(test)]
    pub(crate) fn embedded(path: &str) -> Option<Doc> {
        EMBEDDED.iter().find(|e| e.path == path).map(Doc::Embedded)
    }

    /// `sha256:` of the file's bytes.
    pub(crate) fn hash(&self) -> String {
        match self {
            Doc::Embedded(e) => e.hash.to_owned(),
            Doc::Text(t) => content_hash(t.as_bytes()),
        }
    }

    /// The file's `logic` id (the first `"logic": "…"` of a text; the file as read is checked
    /// against it).
    pub(crate) fn logic(&self) -> Option<&str> {
        match self {
            Doc::Embedded(e) => e.logic,
            Doc::Text(t) => {
                let rest = &t[t.find("\"logic\"")? + 7..];
                let rest = rest.trim_start().strip_prefix(':')?.trim_start().strip_prefix('"')?;
                rest.find('"').map(|end| &rest[..end]).filter(|l| !l.contains('\\'))
            }
        }
    }

    /// Read the file as `T`; an error gives (JSON pointer, message).
    pub(crate) fn read<T: DeserializeOwned>(&self) -> Result<T, (String, String)> {
        match self {
            Doc::Embedded(e) => compiled::from_bytes(e.data),
            Doc::Text(t) => compiled::from_value(&crate::json::parse(t).map_err(|e| (e.path, e.message))?),
        }
    }
}

/// Read compiled `rulesets/sources.json`.
pub(crate) fn embedded_sources() -> Result<SourcesFile, (String, String)> {
    compiled::from_bytes(SOURCES)
}

/// Parse and validate one ruleset file into typed parameters. Errors name their JSON pointer.
pub(crate) fn load<P: Parameters>(file: &str, doc: &Doc) -> Result<(RulesetFile<P>, RulesetInfo), RulesetError> {
    let err = |path: String, message: String| RulesetError { ruleset: file.to_owned(), path, message };
    let parsed: RulesetFile<P> = doc.read().map_err(|(path, message)| err(path, message))?;
    let mut errors = Vec::new();
    if parsed.valid.to.is_some_and(|to| to < parsed.valid.from) {
        errors.push(("/valid".to_owned(), "to is before from".to_owned()));
    }
    parsed.parameters.validate(&parsed.valid, &mut errors);
    if let Some((path, message)) = errors.into_iter().next() {
        return Err(err(path, message));
    }
    let info = RulesetInfo {
        id: parsed.id.clone(),
        scheme: parsed.scheme.clone(),
        logic: parsed.logic.clone(),
        title: parsed.title.clone(),
        valid_from: parsed.valid.from,
        valid_to: parsed.valid.to,
        hash: doc.hash(),
        file: file.to_owned(),
    };
    Ok((parsed, info))
}

/// `sha256:` + lowercase hex of the SHA-256 of `bytes`.
pub(crate) fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(7 + 64);
    s.push_str("sha256:");
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Validate each listed parameter field of a parameters struct (avoids repeating the call per field).
macro_rules! validate_params {
    ($self:ident, $validity:ident, $errors:ident: $($field:ident),+ $(,)?) => {
        $( $self.$field.validate(stringify!($field), $validity, $errors); )+
    };
}
pub(crate) use validate_params;

#[cfg(test)]
mod tests;

#[cfg(feature = "schema")]
/// JSON Schemas of the ruleset files, by file name under `rulesets/schema/`.
pub fn schemas() -> Vec<(&'static str, serde_json::Value)> {
    crate::schemes::registry::ruleset_schemas()
}
