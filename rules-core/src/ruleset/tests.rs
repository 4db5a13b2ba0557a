use super::*;
use crate::income::EmploymentIncomeParams;
use crate::schemes::child_rearing_allowance::ChildRearingParams;

fn file(params: &str) -> String {
    format!(
        r#"{{"id":"t","scheme":"income","logic":"x","title":{{"ja":"t","en":"t"}},"law":{{"ja":"l","en":"l"}},
        "valid":{{"from":"2020-01"}},"parameters":{{"deduction":{params},
        "adjustment":{{"citation":"c","values":[{{"from":"2020-01","value":null,"source":"s","status":"not_in_force"}}]}}}}}}"#
    )
}

const RULE: &str = r#"{"minimum":1,"zero_below":0,"brackets":[],"table_below":0,"table_steps":[]}"#;

fn err(text: &str) -> RulesetError {
    load::<EmploymentIncomeParams>("t.json", &Doc::Text(text.to_owned())).expect_err("must be rejected")
}

#[test]
fn every_embedded_ruleset_is_valid() {
    assert_eq!(EMBEDDED.len(), TEXTS.len());
    for (e, (path, text)) in EMBEDDED.iter().zip(TEXTS) {
        assert_eq!(e.path, *path);
        // The build-time hash is the SHA-256 of the file, and the compiled form reads as the
        // strictly parsed text does (one document, no key twice).
        assert_eq!(e.hash, content_hash(text.as_bytes()), "{path}");
        let parsed = crate::json::parse(text).expect("strict JSON");
        assert_eq!(Doc::Embedded(e).read::<serde_json::Value>().expect("compiled"), parsed, "{path}");
        assert_eq!(e.logic, Doc::Text((*text).to_owned()).logic(), "{path}");
    }
    // The run-time path (files given as text, as bundles are) accepts every embedded file.
    let texts = TEXTS.iter().map(|(p, t)| ((*p).to_owned(), Doc::Text((*t).to_owned()))).collect();
    let engine = crate::Engine::from_texts(texts, vec![], vec![]);
    assert!(engine.is_ok(), "{:?}", engine.err());
}

#[test]
fn every_embedded_value_names_a_source_that_resolves() {
    let sources: SourcesFile = serde_json::from_str(SOURCES_TEXT).expect("sources.json parses");
    assert_eq!(embedded_sources().expect("compiled sources.json"), sources);
    // The build-time list of ids (bundles are checked against it) is the file's, sorted.
    assert!(SOURCE_IDS.iter().copied().eq(sources.sources.keys().map(String::as_str)));
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for (id, s) in &sources.sources {
        assert!(s.url.is_some() || s.path.is_some() || s.statute.is_some(), "{id}: nothing to open");
        if let Some(p) = &s.path {
            assert!(root.join(p).exists(), "{id}: {p} is not in the repository");
        }
        assert!(s.url.as_ref().is_none_or(|u| u.starts_with("https://") || u.starts_with("http://")), "{id}");
    }
    for (path, text) in TEXTS.iter().filter(|(p, _)| !p.ends_with("/scheme.json")) {
        let v: serde_json::Value = serde_json::from_str(text).expect("json");
        for (name, p) in v["parameters"].as_object().expect("parameters") {
            assert!(p["citation"].as_str().is_some_and(|c| c.len() > 5), "{path} {name}: citation");
            for value in p["values"].as_array().expect("values") {
                assert!(value["status"].is_string(), "{path} {name}: status");
            }
        }
        assert_eq!(sources.unresolved(text), Ok(vec![]), "{path}");
    }
    // An unknown id and a bare text are reported with their pointers; an override is free text.
    let bad = r#"{"parameters":{"a":{"values":[{"source":["J10","nope"],"status":"confirmed"},
        {"source":"FACTS.md §1","status":"derived"},{"source":"reform A","status":"override"}]}}}"#;
    assert_eq!(
        sources.unresolved(bad),
        Ok(vec![
            ("/parameters/a/values/0/source/1".to_owned(), "nope".to_owned()),
            ("/parameters/a/values/1/source".to_owned(), "FACTS.md §1".to_owned())
        ])
    );
}

#[test]
fn gaps_overlaps_unknown_keys_and_missing_citations_are_errors() {
    let v = |from: &str| format!(r#"{{"from":"{from}","value":{RULE},"source":"s","status":"confirmed"}}"#);
    // gap at the start
    let e = err(&file(&format!(r#"{{"citation":"c","values":[{}]}}"#, v("2020-02"))));
    assert!(e.message.contains("gap"), "{e}");
    // overlap / disorder
    let e = err(&file(&format!(r#"{{"citation":"c","values":[{},{}]}}"#, v("2020-01"), v("2020-01"))));
    assert!(e.message.contains("overlap"), "{e}");
    // a remark is a string (kept out of memory, still checked), wherever it is in the table
    let noted = |note: &str| {
        file(&format!(
            r#"{{"citation":"c","values":[{{"from":"2020-01","value":{RULE},"source":"s","status":"confirmed","note":{note}}}]}}"#
        ))
    };
    assert!(load::<EmploymentIncomeParams>("t.json", &Doc::Text(noted(r#""令和2年分""#))).is_ok());
    assert!(
        load::<EmploymentIncomeParams>("t.json", &Doc::Text(noted(r#""s""#))).is_ok(),
        "a note equal to a kept string"
    );
    let e = err(&noted("5"));
    assert_eq!(e.path, "/parameters/deduction/values/0/note", "{e}");
    // missing citation
    let e = err(&file(&format!(r#"{{"citation":" ","values":[{}]}}"#, v("2020-01"))));
    assert!(e.message.contains("citation"), "{e}");
    // missing source
    let e = err(&file(r#"{"citation":"c","values":[{"from":"2020-01","value":null,"source":"","status":"unknown"}]}"#));
    assert!(e.message.contains("source"), "{e}");
    // unknown key
    let e = err(&file(&format!(r#"{{"citation":"c","values":[{}],"extra":1}}"#, v("2020-01"))));
    assert!(e.message.contains("unknown field"), "{e}");
    assert_eq!(e.path, "/parameters/deduction/extra");
    // null value with a confirmed status
    let e =
        err(&file(r#"{"citation":"c","values":[{"from":"2020-01","value":null,"source":"s","status":"confirmed"}]}"#));
    assert!(e.message.contains("null"), "{e}");
    // a value outside the ruleset's months
    let ok = load::<EmploymentIncomeParams>(
        "t.json",
        &Doc::Text(file(&format!(r#"{{"citation":"c","values":[{}]}}"#, v("2020-01")))),
    );
    assert!(ok.is_ok(), "{ok:?}");
}

#[test]
fn hash_is_sha256_of_the_bytes() {
    // SHA-256("abc") from FIPS 180-2, Appendix B.1.
    assert_eq!(content_hash(b"abc"), "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

#[test]
fn a_rearing_coefficient_that_misses_its_published_minimum_is_rejected() {
    // FACTS.md §2.2 check arithmetic: 45,490 − round10(1,430,000 × 0.0243007) = 10,740; a typo in
    // the 係数 (0.0234007) gives 12,030 and must fail validation.
    let (path, text) = TEXTS.iter().find(|(p, _)| p.contains("child_rearing_allowance/2")).expect("embedded");
    assert!(load::<ChildRearingParams>(path, &Doc::Text((*text).to_owned())).is_ok());
    let bad = text.replacen("\"0.0243007\"", "\"0.0234007\"", 1);
    assert_ne!(&bad, text);
    let e = load::<ChildRearingParams>(path, &Doc::Text(bad)).expect_err("must be rejected");
    assert!(e.message.contains("一部支給最低額 10740"), "{e:?}");
    let bad_month = text.replacen("\"through\": 3", "\"through\": 13", 1);
    assert!(load::<ChildRearingParams>(path, &Doc::Text(bad_month)).is_err());
}
