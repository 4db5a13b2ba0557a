//! The ruleset files compiled into the library at build time (see build.rs): no file system, JSON
//! parsing or hashing is needed at run time.

/// One embedded ruleset file.
#[derive(Debug)]
pub(crate) struct Embedded {
    /// Path under `rulesets/`.
    pub(crate) path: &'static str,
    /// `sha256:` of the file's bytes.
    pub(crate) hash: &'static str,
    /// Its `logic` id (`None` for a `scheme.json`).
    pub(crate) logic: Option<&'static str>,
    /// The compiled form (`encode.rs`).
    pub(crate) data: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
