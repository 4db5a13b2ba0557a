//! Properties of the leave benefits (雇用保険法第61条の8): the benefit never exceeds the rate ×
//! 賃金日額 × days, pay during the leave never takes pay + benefit above 80 % of 賃金日額 × days
//! (unless the pay alone does), and more pay never gives a larger benefit.

use kodomo_rules::{Engine, Options};
use proptest::prelude::*;
use serde_json::{json, Value};

/// The 出生時育児休業給付金 unit of a father earning `wages` a month, on leave for `days` days
/// from 2025-09-01 (the child born that day) with `pay` paid during it.
fn unit(engine: &Engine, wages: i64, days: i64, pay: i64) -> Value {
    let months: serde_json::Map<String, Value> = (1..=12)
        .map(|m| (format!("2025-{m:02}"), json!({"wages": wages, "paid_days": 20})))
        .chain((1..=12).map(|m| (format!("2024-{m:02}"), json!({"wages": wages, "paid_days": 20}))))
        .collect();
    let to = chrono::NaiveDate::from_ymd_opt(2025, 9, 1).expect("day") + chrono::Days::new(days as u64 - 1);
    let hh = json!({"persons": [
        {"id": "f", "role": "parent", "wage_months": months,
         "childcare_leave": [{"from": "2025-09-01", "to": to.to_string(), "kind": "postnatal", "child": "c", "pay": pay}]},
        {"id": "c", "role": "child", "birth_date": "2025-09-01"}]});
    let hh = engine.household_from_value(hh).expect("a valid household");
    let r = engine.evaluate(&hh, "2025-12".parse().expect("month"), Options::default());
    let o = r.schemes.iter().find(|o| o.scheme() == "postnatal_leave_benefit").expect("scheme");
    serde_json::to_value(o).expect("json")["units"][0].clone()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_benefit_stays_within_the_rate_and_the_80_percent_rule(
        wages in 0i64..1_500_000, days in 1i64..=28, pay in 0i64..2_000_000, more in 0i64..500_000,
    ) {
        let engine = Engine::new().expect("rulesets");
        let u = unit(&engine, wages, days, pay);
        let (dw, d, amount) = (u["daily_wage"].as_i64().unwrap_or(0), u["days"].as_i64().unwrap_or(0), u["amount"].as_i64().unwrap_or(-1));
        prop_assert_eq!(d, days);
        prop_assert!(amount >= 0 && amount <= dw * d * 67 / 100, "{}", u);
        prop_assert!(amount == 0 || pay + amount <= dw * d * 80 / 100, "{}", u);
        let later = unit(&engine, wages, days, pay + more);
        prop_assert!(later["amount"].as_i64().unwrap_or(-1) <= amount, "more pay gave more: {} vs {}", later, u);
    }
}
