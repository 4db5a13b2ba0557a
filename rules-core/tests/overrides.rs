//! Parameter overrides (reform scenarios): dated replacement values, validated like rulesets.

use kodomo_rules::{Engine, ErrorCode, Options};
use serde_json::json;

fn three_children() -> kodomo_rules::ValidHousehold {
    Engine::new()
        .expect("rulesets")
        .parse_household(
            r#"{"persons":[{"id":"m","role":"parent"},
        {"id":"a","role":"child","birth_date":"2012-05-05"},
        {"id":"b","role":"child","birth_date":"2015-05-05"},
        {"id":"c","role":"child","birth_date":"2019-05-05"}]}"#,
        )
        .expect("household")
}

#[test]
fn a_dated_override_changes_months_from_its_start_only() {
    let base = Engine::new().expect("rulesets");
    let reform = base
        .with_overrides(&json!({"child_allowance/2024.amount_third_or_later": [{"from": "2026-04", "value": 40000, "source": "reform A"}]}))
        .expect("valid override");
    let hh = three_children();
    let month = |s: &str| s.parse().expect("month");
    // Before the override's start the law applies: 10,000 + 10,000 + 30,000 (FACTS.md §1.3).
    let r = reform.evaluate_scheme(&hh, "child_allowance", month("2026-03"), Options::default()).expect("scheme");
    assert_eq!(r.amount, 50_000);
    // From 2026-04 the third child gets the overridden 40,000.
    let r = reform.evaluate_scheme(&hh, "child_allowance", month("2026-04"), Options::trace(true)).expect("scheme");
    assert_eq!(r.amount, 60_000);
    let trace = serde_json::to_string(&r.trace).expect("json");
    assert!(trace.contains("override: reform A") && trace.contains("\"status\":\"override\""), "{trace}");
    // The baseline engine is unchanged, and receipts tell them apart.
    assert_eq!(
        base.evaluate_scheme(&hh, "child_allowance", month("2026-04"), Options::default()).expect("scheme").amount,
        50_000
    );
    let receipt = reform.evaluate(&hh, month("2026-04"), Options::default()).receipt;
    assert!(receipt.overrides_hash.is_some_and(|h| h.starts_with("sha256:")));
    assert!(base.evaluate(&hh, month("2026-04"), Options::default()).receipt.overrides_hash.is_none());
    // Overrides compose: a second one on top of the first.
    let both = reform
        .with_overrides(&json!({"child_allowance/2024.amount_3_or_older": {"from": "2027-04", "value": 12000}}))
        .expect("valid");
    assert_eq!(
        both.evaluate_scheme(&hh, "child_allowance", month("2027-04"), Options::default()).expect("scheme").amount,
        12_000 + 12_000 + 40_000
    );
}

#[test]
fn bad_overrides_are_errors_naming_the_path() {
    let e = Engine::new().expect("rulesets");
    let check = |o: serde_json::Value, code: ErrorCode, path: &str| {
        let err = e.with_overrides(&o).expect_err("must be rejected");
        assert_eq!((err.code, err.path.as_str()), (code, path), "{err}");
    };
    check(
        json!({"child_allowance/2099.x": {"from": "2026-04", "value": 1}}),
        ErrorCode::UnknownReference,
        "/child_allowance~12099.x",
    );
    check(
        json!({"child_allowance/2024.amount_fifth": {"from": "2026-04", "value": 1}}),
        ErrorCode::UnknownReference,
        "/child_allowance~12024.amount_fifth",
    );
    check(
        json!({"child_allowance/2024.amount_under_3": {"from": "2026-13", "value": 1}}),
        ErrorCode::InvalidMonth,
        "/child_allowance~12024.amount_under_3/0/from",
    );
    check(
        json!({"child_allowance/2024.amount_under_3": {"from": "2026-04"}}),
        ErrorCode::MissingField,
        "/child_allowance~12024.amount_under_3/0/value",
    );
    check(
        json!({"child_allowance/2024.amount_under_3": {"from": "2026-04", "value": 1, "when": 2}}),
        ErrorCode::UnknownField,
        "/child_allowance~12024.amount_under_3/0/when",
    );
    check(
        json!({"child_allowance/2024.amount_under_3": 15000}),
        ErrorCode::InvalidType,
        "/child_allowance~12024.amount_under_3",
    );
    check(json!(["nope"]), ErrorCode::InvalidType, "");
    // A value of the wrong type, or a month outside the ruleset, makes the ruleset invalid.
    let err = e
        .with_overrides(&json!({"child_allowance/2024.amount_under_3": {"from": "2026-04", "value": "lots"}}))
        .expect_err("type");
    assert_eq!(err.code, ErrorCode::InvalidType, "{err}");
    let err = e
        .with_overrides(&json!({"child_allowance/2024.amount_under_3": {"from": "2023-04", "value": 1}}))
        .expect_err("range");
    assert!(err.message.contains("child_allowance/2024.json"), "{err}");
}

#[test]
fn overrides_outside_the_plausible_range_are_rejected() {
    let e = Engine::new().expect("rulesets");
    for value in [json!(-40000), json!(4_611_686_018_427_387_904_i64), json!(10_000_001)] {
        let err = e
            .with_overrides(&json!({"child_allowance/2024.amount_third_or_later": {"from": "2026-04", "value": value}}))
            .expect_err("out of range");
        assert!(err.message.contains("between 0 and"), "{err}");
    }
}

#[test]
fn absurd_ages_days_and_rates_are_typed_errors_not_panics() {
    // Issue 18 item 4: a 4,000,000,000-day grace period used to panic in date arithmetic, and ages
    // near i32::MAX overflowed. Every such parameter is bounded (ages 0–30, days 0–366, months 1–12,
    // percentages 0–100), for the data and for overrides alike.
    let e = Engine::new().expect("rulesets");
    let cases = [
        ("child_allowance/2024.confirmation_grace_days", "2024-10", json!(4_000_000_000_u32), "days 0–366"),
        ("child_allowance/2024.confirmation_grace_days", "2024-10", json!(367), "days 0–366"),
        ("child_allowance/2024.paid_age", "2024-10", json!(4_294_967_295_u32), "an age 0–30"),
        ("child_allowance/2012.young_child_age", "2012-04", json!(2_147_483_647), "an age 0–30"),
        ("child_allowance/2012.income_year_switch_month", "2012-04", json!(13), "a month 1–12"),
        ("child_rearing_allowance/2019.child_age", "2019-04", json!(31), "an age 1–30"),
        (
            "income/employment_income_deduction.adjustment",
            "2020-01",
            json!({"salary_over": 8_500_000, "salary_cap": 10_000_000, "percent": 200, "dependant_age_under": 23, "dependant_income_limit": 480_000}),
            "percent must be 0–100",
        ),
    ];
    for (key, from, value, expected) in cases {
        let err = e.with_overrides(&json!({key: {"from": from, "value": value}})).expect_err(key);
        assert!(err.message.contains(expected), "{key}: {err}");
    }
    // The largest grace period allowed still evaluates (no overflow).
    let ok = e
        .with_overrides(&json!({"child_allowance/2024.confirmation_grace_days": {"from": "2024-10", "value": 366}}))
        .expect("366 days is allowed");
    let hh = ok
        .parse_household(
            r#"{"persons":[{"id":"m","role":"parent"},{"id":"a","role":"child","birth_date":"2006-05-05",
        "extended_care":{"confirmed":true,"confirmed_on":"2026-01-10"}}]}"#,
        )
        .expect("household");
    let r = ok
        .evaluate_scheme(&hh, "child_allowance", "2025-06".parse().expect("month"), Options::default())
        .expect("scheme");
    assert_eq!(r.status, kodomo_rules::Status::NotEligible);
}
