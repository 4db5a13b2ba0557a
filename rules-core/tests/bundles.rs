//! Ruleset bundles given at run time: validated like the embedded rulesets, every error reported
//! with its file and JSON pointer, and their files' hashes in the receipts.

use kodomo_rules::{Bundle, Engine, Options};

const EMBEDDED_2024: &str = include_str!("../../rulesets/national/child_allowance/2024.json");
const REARING: &str = include_str!("../../rulesets/national/child_rearing_allowance/2019.json");
const REARING_META: &str = include_str!("../../rulesets/national/child_rearing_allowance/scheme.json");

fn month(s: &str) -> kodomo_rules::YearMonth {
    s.parse().expect("month")
}

/// The 2024 ruleset with one more dated value of `amount_3_or_older` (a scenario, like an override).
fn next_april(value: i64, source: &str) -> String {
    let mut file: serde_json::Value = serde_json::from_str(EMBEDDED_2024).expect("json");
    let values = file["parameters"]["amount_3_or_older"]["values"].as_array_mut().expect("values");
    values.push(serde_json::json!({"from": "2027-04", "value": value, "source": source, "status": "secondary"}));
    serde_json::to_string_pretty(&file).expect("json")
}

#[test]
fn a_bundle_replaces_a_file_and_its_hash_is_in_the_receipt() {
    let base = Engine::new().expect("embedded");
    let mut bundle = Bundle::new();
    bundle
        .add("national/child_allowance/2024.json", next_april(12_000, "https://example.org/reform").as_bytes())
        .expect("path");
    let engine = base.with_bundle(&bundle).expect("valid bundle");
    let hh = engine
        .parse_household(
            r#"{"persons":[{"id":"m","role":"parent"},{"id":"c","role":"child","birth_date":"2019-05-05"}]}"#,
        )
        .expect("household");
    // 3歳以上 10,000 under the law (FACTS.md §1.3); the bundle's value from 2027-04.
    let r = |e: &Engine, m: &str| e.evaluate(&hh, month(m), Options::default());
    let monthly = |e: &Engine, m: &str| r(e, m).totals.get(&kodomo_rules::BenefitKind::Monthly).copied();
    assert_eq!(
        (monthly(&base, "2027-04"), monthly(&engine, "2027-03"), monthly(&engine, "2027-04")),
        (Some(10_000), Some(10_000), Some(12_000))
    );
    let receipt = r(&engine, "2027-04").receipt;
    let hash = |e: &Engine| e.rulesets().iter().find(|x| x.id == "child_allowance/2024").map(|x| x.hash.clone());
    assert_ne!(hash(&base), hash(&engine));
    assert!(receipt.rulesets.iter().any(|x| Some(&x.hash) == hash(&engine).as_ref()));
    assert_ne!(receipt.rulesets_hash, base.rulesets_hash());
}

#[test]
fn a_bundle_adds_a_scheme_and_applications_for_it_are_accepted() {
    // The same logic under a new id (a municipality's copy, say): discovered from its folder.
    let base = Engine::new().expect("embedded");
    let mut bundle = Bundle::new();
    let meta = REARING_META.replace("\"id\": \"child_rearing_allowance\"", "\"id\": \"municipal/999999/rearing_copy\"");
    bundle.add("municipal/999999/rearing_copy/scheme.json", meta.as_bytes()).expect("path");
    bundle.add("municipal/999999/rearing_copy/2019.json", REARING.as_bytes()).expect("path");
    let hh = r#"{"persons":[{"id":"mother","role":"parent","child_rearing_reason":"divorce",
        "income":{"2023":{"employment_income":1000000,"dependants":1}}},{"id":"c1","role":"child","birth_date":"2018-06-01"}],
        "applications":[{"scheme":"municipal/999999/rearing_copy","claimant":"mother","date":"2025-03-10"}]}"#;
    // The embedded engine does not know the scheme.
    let e = base.parse_household(hh).expect_err("unknown scheme");
    assert_eq!(e.path, "/applications/0/scheme");
    let engine = base.with_bundle(&bundle).expect("valid bundle");
    assert!(engine.schemes().iter().any(|s| s.meta.id.as_str() == "municipal/999999/rearing_copy"));
    let hh = engine.parse_household(hh).expect("the application is accepted");
    // 児童扶養手当 FY2025 全部支給 46,690 for one child (FACTS.md §2.2; 2025-06 reads 2023 income,
    // 820,000 below the 1,070,000 limit for 1 dependant, §2.4), from the month after the application.
    let r =
        engine.evaluate_scheme(&hh, "municipal/999999/rearing_copy", month("2025-06"), Options::default()).expect("id");
    assert_eq!(r.amount, 46_690);
    let r =
        engine.evaluate_scheme(&hh, "municipal/999999/rearing_copy", month("2025-03"), Options::default()).expect("id");
    assert_eq!(r.reason.as_ref().map(|c| c.as_str()), Some("before_start"));
}

#[test]
fn every_error_of_a_bundle_names_its_file_and_pointer() {
    let base = Engine::new().expect("embedded");
    let mut bundle = Bundle::new();
    // Not JSON; a source that is neither an id nor a URL; a scheme whose logic no implementation reads.
    bundle.add("municipal/382060/a/scheme.json", b"{\"id\": ").expect("path");
    bundle.add("national/child_allowance/2024.json", next_april(12_000, "my notes").as_bytes()).expect("path");
    let meta = REARING_META.replace("\"id\": \"child_rearing_allowance\"", "\"id\": \"municipal/382060/b\"");
    let rearing = REARING.replace("\"logic\": \"child_rearing_allowance/2019\"", "\"logic\": \"template/unknown@1\"");
    bundle.add("municipal/382060/b/scheme.json", meta.as_bytes()).expect("path");
    bundle.add("municipal/382060/b/2019.json", rearing.as_bytes()).expect("path");
    let errors = base.with_bundle(&bundle).expect_err("invalid bundle").0;
    let found: Vec<(&str, &str)> = errors.iter().map(|e| (e.ruleset.as_str(), e.path.as_str())).collect();
    // Each error once; the truncated file fails where its value ends.
    assert!(found.contains(&("municipal/382060/a/scheme.json", "/id")), "{errors:?}");
    assert_eq!(errors.len(), 3, "{errors:?}");
    let source = errors.iter().find(|e| e.ruleset == "national/child_allowance/2024.json").expect("source error");
    assert!(
        source.path.starts_with("/parameters/amount_3_or_older/values/") && source.message.contains("my notes"),
        "{source}"
    );
    let logic = errors.iter().find(|e| e.ruleset == "municipal/382060/b").expect("logic error");
    assert!(logic.message.contains("template/unknown@1") && logic.message.contains("child_allowance/2012"), "{logic}");
    // Paths are checked when added.
    assert!(Bundle::new().add("../national/x.json", b"{}").is_err());
    assert!(Bundle::new().add("national/x.txt", b"{}").is_err());
}

#[test]
fn a_bundle_from_one_json_document() {
    let doc = serde_json::json!({"files": {"national/child_allowance/2024.json":
        serde_json::from_str::<serde_json::Value>(&next_april(11_000, "J2")).expect("json")}});
    let bundle = Bundle::from_json(doc.to_string().as_bytes()).expect("bundle");
    assert_eq!(bundle.files().count(), 1);
    assert!(Engine::new().expect("embedded").with_bundle(&bundle).is_ok());
    assert!(Bundle::from_json(br#"{"files": [], "x": 1}"#).is_err());
}

#[test]
fn the_engine_is_cheap_to_clone_and_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Engine>();
    let engine = Engine::new().expect("embedded");
    let copy = engine.clone();
    assert_eq!(copy.rulesets_hash(), engine.rulesets_hash());
}
