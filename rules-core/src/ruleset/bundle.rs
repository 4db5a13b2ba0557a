//! Ruleset bundles: files given at run time (a municipality's schemes, next April's amounts),
//! laid out as under `rulesets/` and validated exactly like the embedded ones.

use super::{Source, SourcesFile, SOURCE_IDS};
use crate::error::RulesetError;

/// Ruleset files given at run time, each by its path as under `rulesets/` (e.g.
/// `municipal/382060/child_medical_subsidy/scheme.json`). A path the engine already has replaces
/// that file; a new path adds one. A `sources.json` at the top adds the documents it cites.
///
/// ```
/// use kodomo_rules::{Bundle, Engine};
/// let engine = Engine::new().expect("embedded rulesets");
/// // A bundle whose one file is not valid JSON: rejected, naming the file.
/// let mut bundle = Bundle::new();
/// bundle.add("national/child_allowance/2024.json", b"{").expect("a relative .json path");
/// let errors = engine.with_bundle(&bundle).expect_err("invalid");
/// assert_eq!(errors.0[0].ruleset, "national/child_allowance/2024.json");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bundle {
    files: Vec<(String, String)>,
}

/// Every error a bundle has, each naming its file (`ruleset`) and JSON pointer (`path`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct BundleErrors(pub Vec<RulesetError>);

impl Bundle {
    /// An empty bundle.
    pub fn new() -> Self {
        Bundle::default()
    }

    /// Add the file at `path` (relative, `/`-separated, ending in `.json`, no `..`) with its bytes
    /// (UTF-8 JSON).
    pub fn add(&mut self, path: &str, bytes: &[u8]) -> Result<(), RulesetError> {
        let bad =
            |message: &str| RulesetError { ruleset: path.to_owned(), path: String::new(), message: message.into() };
        let parts: Vec<&str> = path.split('/').collect();
        if !path.ends_with(".json")
            || parts.iter().any(|p| p.is_empty() || *p == "." || *p == "..")
            || path.contains('\\')
        {
            return Err(bad("a bundle path is relative, /-separated, ends in .json and has no . or .. parts"));
        }
        if self.files.iter().any(|(p, _)| p == path) {
            return Err(bad("the bundle has this path twice"));
        }
        let text = std::str::from_utf8(bytes).map_err(|e| bad(&format!("not UTF-8 text: {e}")))?;
        self.files.push((path.to_owned(), text.to_owned()));
        Ok(())
    }

    /// A bundle from one JSON document `{"files": {"<path>": <the file's JSON>, ...}}` (what
    /// `kodomo validate` and the bindings read when given a single file).
    pub fn from_json(bytes: &[u8]) -> Result<Bundle, RulesetError> {
        let bad = |path: &str, message: String| RulesetError { ruleset: "bundle".into(), path: path.into(), message };
        let text = std::str::from_utf8(bytes).map_err(|e| bad("", format!("not UTF-8 text: {e}")))?;
        let value = crate::json::parse(text).map_err(|e| bad(&e.path, e.message))?;
        let files = value
            .as_object()
            .filter(|o| o.len() == 1)
            .and_then(|o| o.get("files"))
            .and_then(|f| f.as_object())
            .ok_or_else(|| bad("", "expected {\"files\": {\"<path>\": <JSON>, ...}}".into()))?;
        let mut bundle = Bundle::new();
        for (path, file) in files {
            bundle
                .add(path, file.to_string().as_bytes())
                .map_err(|e| bad(&format!("/files/{}", pointer_key(path)), e.message))?;
        }
        Ok(bundle)
    }

    /// The files: path and text.
    pub fn files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().map(|(p, t)| (p.as_str(), t.as_str()))
    }

    /// Merge the bundle into the engine's files and sources; check what the engine build does
    /// not (one JSON document per file with no key twice, every cited source resolvable).
    pub(crate) fn merge(
        &self,
        texts: &mut Vec<(String, super::Doc)>,
        extra: &mut Vec<(String, Source)>,
    ) -> Vec<RulesetError> {
        let embedded = |id: &str| SOURCE_IDS.binary_search(&id).is_ok();
        let mut errors = Vec::new();
        for (path, text) in &self.files {
            if let Err(e) = crate::json::parse(text) {
                errors.push(RulesetError { ruleset: path.clone(), path: e.path, message: e.message });
            }
        }
        if let Some((path, text)) = self.files.iter().find(|(p, _)| p == "sources.json") {
            match super::Doc::Text(text.clone()).read::<SourcesFile>() {
                Err((pointer, message)) => errors.push(RulesetError { ruleset: path.clone(), path: pointer, message }),
                Ok(file) => {
                    for (id, s) in file.sources {
                        let before = extra.iter().find(|(i, _)| *i == id).map(|(_, s)| s);
                        if embedded(&id) || before.is_some_and(|b| *b != s) {
                            errors.push(RulesetError {
                                ruleset: path.clone(),
                                path: format!("/sources/{}", pointer_key(&id)),
                                message: "this id is already a document of the engine's sources".into(),
                            });
                        } else if before.is_none() {
                            extra.push((id, s));
                        }
                    }
                }
            }
        }
        let known = |id: &str| embedded(id) || extra.iter().any(|(i, _)| i == id);
        for (path, text) in self.files.iter().filter(|(p, _)| p != "sources.json" && !p.ends_with("/scheme.json")) {
            // A file that is not JSON is reported above.
            if let Ok(list) = super::unresolved(text, &known) {
                errors.extend(list.into_iter().map(|(pointer, s)| RulesetError {
                    ruleset: path.clone(),
                    path: pointer,
                    message: format!("source {s:?} is neither an id of sources.json nor an http(s) URL"),
                }));
            }
            match texts.iter_mut().find(|(p, _)| p == path) {
                Some(slot) => slot.1 = super::Doc::Text(text.clone()),
                None => texts.push((path.clone(), super::Doc::Text(text.clone()))),
            }
        }
        for (path, text) in self.files.iter().filter(|(p, _)| p.ends_with("/scheme.json")) {
            match texts.iter_mut().find(|(p, _)| p == path) {
                Some(slot) => slot.1 = super::Doc::Text(text.clone()),
                None => texts.push((path.clone(), super::Doc::Text(text.clone()))),
            }
        }
        errors
    }
}

/// A key as a JSON pointer segment.
fn pointer_key(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
