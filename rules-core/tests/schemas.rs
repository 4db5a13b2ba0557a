//! The committed JSON Schemas (`rulesets/schema/`) match the Rust types they are generated from.
//! Regenerate with `UPDATE_SCHEMAS=1 cargo test -p kodomo-rules --test schemas`.

use kodomo_rules::{ruleset_schemas, Engine};
use std::path::Path;

#[test]
fn committed_schemas_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rulesets/schema");
    let mut all = ruleset_schemas();
    all.extend(Engine::api_schemas());
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
    for (name, schema) in all {
        let text = serde_json::to_string_pretty(&schema).expect("json") + "\n";
        let path = dir.join(name);
        if update {
            std::fs::create_dir_all(&dir).expect("mkdir");
            std::fs::write(&path, &text).expect("write");
        } else {
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                committed == text,
                "{} is stale: run UPDATE_SCHEMAS=1 cargo test -p kodomo-rules --test schemas",
                path.display()
            );
        }
    }
}

#[test]
fn every_ruleset_file_declares_its_logic_version() {
    let engine = Engine::new().expect("rulesets");
    for r in engine.rulesets() {
        assert!(!r.logic.is_empty() && r.hash.starts_with("sha256:") && r.hash.len() == 71, "{r:?}");
    }
}
