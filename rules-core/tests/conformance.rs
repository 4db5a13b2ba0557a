//! Runs every case under `conformance/` through the native engine (see conformance/README.md).

use kodomo_rules::{Engine, Options, YearMonth};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn case_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> =
        std::fs::read_dir(dir).expect("conformance dir").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            case_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

/// Partial match of `expected` against `actual`; differences are appended to `errs`.
fn matches(path: &str, expected: &Value, actual: &Value, errs: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let av = a.get(k).unwrap_or(&Value::Null);
                let p = format!("{path}/{k}");
                match k.as_str() {
                    "children" => match_by_id(&p, ev, av, errs),
                    "missing" => {
                        let mut es: Vec<String> = ev.as_array().into_iter().flatten().map(|v| v.to_string()).collect();
                        let mut acts: Vec<String> =
                            av.as_array().into_iter().flatten().map(|v| v.to_string()).collect();
                        es.sort();
                        acts.sort();
                        if es != acts {
                            errs.push(format!("{p}: expected {es:?}, got {acts:?}"));
                        }
                    }
                    _ => matches(&p, ev, av, errs),
                }
            }
        }
        (Value::Object(_), _) => errs.push(format!("{path}: expected an object, got {actual}")),
        (Value::Array(e), Value::Array(a)) if e.iter().all(Value::is_object) && !e.is_empty() => {
            if e.len() != a.len() {
                errs.push(format!("{path}: expected {} entries, got {}: {actual}", e.len(), a.len()));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                matches(&format!("{path}/{i}"), ev, av, errs);
            }
        }
        _ => {
            if expected != actual {
                errs.push(format!("{path}: expected {expected}, got {actual}"));
            }
        }
    }
}

fn match_by_id(path: &str, expected: &Value, actual: &Value, errs: &mut Vec<String>) {
    for ec in expected.as_array().into_iter().flatten() {
        let id = &ec["id"];
        match actual.as_array().into_iter().flatten().find(|ac| &ac["id"] == id) {
            Some(ac) => matches(&format!("{path}[{id}]"), ec, ac, errs),
            None => errs.push(format!("{path}: no child {id} in {actual}")),
        }
    }
}

fn run_case(engine: &Engine, case: &Value) -> Vec<String> {
    let mut errs = Vec::new();
    let household = serde_json::to_string(&case["household"]).expect("serialise");
    let parsed = engine.parse_household(&household);
    if let Some(expect_error) = case.get("expect_error") {
        match parsed {
            Ok(_) => errs.push("expected an input error, got none".into()),
            Err(e) => matches("error", expect_error, &serde_json::to_value(&e).expect("json"), &mut errs),
        }
        return errs;
    }
    let hh = match parsed {
        Ok(hh) => hh,
        Err(e) => return vec![format!("input rejected: {e}")],
    };
    let month = |v: &Value| v.as_str().and_then(|s| s.parse::<YearMonth>().ok()).expect("case month");
    let scheme = case["scheme"].as_str().expect("case scheme");
    let actual = if let Some(m) = case.get("month") {
        // Every scheme for the month, as the bindings ask it; the case's scheme is matched.
        let r = engine.evaluate(&hh, month(m), Options::trace(true));
        // A scheme answering person by person is matched by the expected beneficiary.
        let beneficiary = case["expect"].get("beneficiary");
        let outcome = (r.schemes.iter().filter(|o| o.scheme() == scheme))
            .map(|o| serde_json::to_value(o).expect("json"))
            .find(|o| beneficiary.is_none_or(|b| o.get("beneficiary") == Some(b)));
        outcome.expect("the case's scheme (and beneficiary)")
    } else {
        let span = &case["span"];
        let t =
            engine.timeline(&hh, scheme, month(&span["from"]), month(&span["to"]), Options::default()).expect("span");
        let mut v = serde_json::to_value(&t).expect("json");
        let by_month: serde_json::Map<String, Value> = v["months"]
            .as_array()
            .expect("months")
            .iter()
            .map(|r| (r["month"].as_str().unwrap_or_default().to_owned(), r.clone()))
            .collect();
        v["months"] = Value::Object(by_month);
        v
    };
    matches("", &case["expect"], &actual, &mut errs);
    errs
}

#[test]
fn conformance_cases_pass_natively() {
    let engine = Engine::new().expect("rulesets");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../conformance");
    let mut files = Vec::new();
    case_files(&root, &mut files);
    let (mut total, mut failed) = (0, Vec::new());
    let mut ids = std::collections::HashSet::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read");
        let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for case in doc["cases"].as_array().expect("cases") {
            total += 1;
            let id = case["id"].as_str().expect("id").to_owned();
            assert!(ids.insert(id.clone()), "duplicate case id {id}");
            assert!(case["source"].as_str().is_some_and(|s| !s.is_empty()), "{id}: no source");
            let errs = run_case(&engine, case);
            if !errs.is_empty() {
                failed.push(format!(
                    "{id} ({}):\n    {}",
                    f.file_name().and_then(|n| n.to_str()).unwrap_or(""),
                    errs.join("\n    ")
                ));
            }
        }
    }
    assert!(total >= 60, "only {total} conformance cases");
    assert!(failed.is_empty(), "{} of {total} conformance cases failed:\n{}", failed.len(), failed.join("\n"));
    println!("{total} conformance cases passed");
}
