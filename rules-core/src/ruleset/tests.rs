use super::*;
use crate::income::EmploymentIncomeParams;
use crate::schemes::allowances::{ChildRearingParams, SpecialChildParams, WelfareParams};
use crate::schemes::child_allowance::{Params2012, Params2024};

fn file(params: &str) -> String {
    format!(
        r#"{{"id":"t","scheme":"income","logic":"x","title":{{"ja":"t","en":"t"}},"law":{{"ja":"l","en":"l"}},
        "valid":{{"from":"2020-01"}},"parameters":{{"deduction":{params},
        "adjustment":{{"citation":"c","values":[{{"from":"2020-01","value":null,"source":"s","status":"not_in_force"}}]}}}}}}"#
    )
}

const RULE: &str = r#"{"minimum":1,"zero_below":0,"brackets":[],"table_below":0,"table_steps":[]}"#;

fn err(text: &str) -> RulesetError {
    load::<EmploymentIncomeParams, true>("t.json", text, None).expect_err("must be rejected")
}

#[test]
fn every_embedded_ruleset_is_valid() {
    for (path, text, hash) in EMBEDDED {
        // The build-time hash is the SHA-256 of the embedded text.
        assert_eq!(*hash, content_hash(text.as_bytes()), "{path}");
        let ok = if path.contains("child_allowance/2012") {
            load::<Params2012, true>(path, text, None).map(|_| ())
        } else if path.contains("child_allowance/2024") {
            load::<Params2024, true>(path, text, None).map(|_| ())
        } else if path.contains("child_rearing_allowance/") {
            load::<ChildRearingParams, true>(path, text, None).map(|_| ())
        } else if path.contains("special_child_allowance/") {
            load::<SpecialChildParams, true>(path, text, None).map(|_| ())
        } else if path.contains("disabled_child_welfare_allowance/") {
            load::<WelfareParams, true>(path, text, None).map(|_| ())
        } else {
            load::<EmploymentIncomeParams, true>(path, text, None).map(|_| ())
        };
        assert!(ok.is_ok(), "{path}: {ok:?}");
    }
}

#[test]
fn every_embedded_value_names_a_source_and_status() {
    for (path, text, _) in EMBEDDED {
        let v: serde_json::Value = serde_json::from_str(text).expect("json");
        for (name, p) in v["parameters"].as_object().expect("parameters") {
            assert!(p["citation"].as_str().is_some_and(|c| c.len() > 5), "{path} {name}: citation");
            for value in p["values"].as_array().expect("values") {
                assert!(value["source"].as_str().is_some_and(|s| s.len() > 5), "{path} {name}: source");
                assert!(value["status"].is_string(), "{path} {name}: status");
            }
        }
    }
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
    let ok = load::<EmploymentIncomeParams, true>(
        "t.json",
        &file(&format!(r#"{{"citation":"c","values":[{}]}}"#, v("2020-01"))),
        None,
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
    let (path, text, _) = EMBEDDED.iter().find(|(p, _, _)| p.contains("child_rearing_allowance/")).expect("embedded");
    assert!(load::<ChildRearingParams, true>(path, text, None).is_ok());
    let bad = text.replacen("\"0.0243007\"", "\"0.0234007\"", 1);
    assert_ne!(&bad, text);
    let e = load::<ChildRearingParams, true>(path, &bad, None).expect_err("must be rejected");
    assert!(e.message.contains("一部支給最低額 10740"), "{e:?}");
    let bad_month = text.replacen("\"through\": 3", "\"through\": 13", 1);
    assert!(load::<ChildRearingParams, true>(path, &bad_month, None).is_err());
}
