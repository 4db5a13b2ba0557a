//! The scheme-platform proof (issue 16): a scheme added as its own folder (`tests/toy/`: the
//! implementation, its ruleset folder, its conformance cases) and one registry line, behind the
//! test-only feature `toy`, is loaded from a bundle and evaluated by the engine like any other.
//! The CLI and both bindings run the same cases (cli/tests, bindings-*/tests).

use kodomo_rules::{BenefitKind, Bundle, Engine, Options, Query};
use serde_json::Value;
use std::path::Path;

fn toy_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/toy")
}

/// The toy's ruleset folder as a bundle (paths under it, as `kodomo --rules DIR` reads them).
fn bundle() -> Bundle {
    bundle_with(|_, text| text)
}

/// The bundle with each file's text passed through `edit(path, text)`.
fn bundle_with(edit: impl Fn(&str, String) -> String) -> Bundle {
    fn walk(root: &Path, dir: &Path, out: &mut Bundle, edit: &dyn Fn(&str, String) -> String) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).expect("dir").map(|e| e.expect("entry").path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(root, &p, out, edit);
            } else {
                let rel = p.strip_prefix(root).expect("under root").to_string_lossy().replace('\\', "/");
                let text = edit(&rel, std::fs::read_to_string(&p).expect("read"));
                out.add(&rel, text.as_bytes()).expect("a bundle file");
            }
        }
    }
    let root = toy_dir().join("rulesets");
    let mut b = Bundle::new();
    walk(&root, &root, &mut b, &edit);
    b
}

#[test]
fn the_toy_scheme_is_discovered_and_listed() {
    let engine = Engine::new().expect("rulesets").with_bundle(&bundle()).expect("the toy bundle is valid");
    let toy = engine.schemes().into_iter().find(|s| s.meta.id.as_str() == "toy_allowance").expect("listed");
    assert_eq!(toy.meta.kind, BenefitKind::Monthly);
    assert_eq!(toy.rulesets, vec!["toy_allowance/2026".to_owned()]);
    // The embedded engine has no such scheme: it comes from the bundle alone.
    assert!(Engine::new().expect("rulesets").scheme_meta("toy_allowance").is_none());
}

#[test]
fn the_toy_cases_pass_through_the_engine() {
    let engine = Engine::new().expect("rulesets").with_bundle(&bundle()).expect("bundle");
    let text = std::fs::read_to_string(toy_dir().join("conformance/toy_allowance.json")).expect("cases");
    let doc: Value = serde_json::from_str(&text).expect("json");
    let cases = doc["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 5);
    let month = |v: &Value| v.as_str().and_then(|s| s.parse().ok()).expect("month");
    for case in cases {
        let id = case["id"].as_str().expect("id");
        let hh = engine.parse_household(&case["household"].to_string()).expect("valid household");
        let expect = &case["expect"];
        if let Some(m) = case.get("month") {
            let r = serde_json::to_value(
                engine.evaluate_scheme(&hh, "toy_allowance", month(m), Options::default()).expect("id"),
            )
            .expect("json");
            for (k, v) in expect.as_object().expect("expect") {
                assert_eq!(&r[k], v, "{id}: {k}");
            }
        } else {
            let (from, to) = (month(&case["span"]["from"]), month(&case["span"]["to"]));
            let t = engine.timeline(&hh, "toy_allowance", from, to, Options::default()).expect("span");
            let t = serde_json::to_value(&t).expect("json");
            for line in t["months"].as_array().expect("months") {
                let want = &expect["months"][line["month"].as_str().expect("month")];
                for (k, v) in want.as_object().expect("expected month") {
                    assert_eq!(&line[k], v, "{id}: {} {k}", line["month"]);
                }
            }
            assert_eq!(t["payments"], expect["payments"], "{id}");
            assert_eq!(t["total"], expect["total"], "{id}");
            // The same span as a query: one monthly outcome per month, totals per kind.
            let answer = engine.query(&hh, &Query::Span { from, to }, Options::default()).expect("query");
            let toy: Vec<_> = answer.schemes.iter().filter(|o| o.scheme().as_str() == "toy_allowance").collect();
            assert_eq!(toy.len(), 3, "{id}");
        }
    }
}

#[test]
fn an_engine_without_the_toy_logic_names_the_known_ones() {
    // The toy's bundle with its logic id changed: no implementation reads it, and the error says
    // which ones exist.
    let b = bundle_with(|path, text| {
        if path.ends_with("2026.json") {
            text.replace("\"logic\": \"toy_allowance/2026\"", "\"logic\": \"toy_allowance/2099\"")
        } else {
            text
        }
    });
    let errs = Engine::new().expect("rulesets").with_bundle(&b).expect_err("unknown logic");
    let e = errs.0.iter().find(|e| e.path == "/versions").expect("a /versions error");
    assert!(e.message.contains("toy_allowance/2099") && e.message.contains("child_allowance/2012"), "{e}");
}
