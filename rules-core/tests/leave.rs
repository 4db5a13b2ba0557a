//! Properties of the leave benefits (雇用保険法第61条の7・第61条の8・第61条の12): the benefit never
//! exceeds the rate × 賃金日額 × days, pay during the leave never takes pay + benefit above 80 % of
//! 賃金日額 × days (unless the pay alone does), and more pay never gives a larger benefit; the 時短
//! benefit never takes wage + benefit above the 支給限度額 nor above the wage before the reduction.

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

/// Wages of the 24 months of `first` and the year after, each with 20 paid days.
fn wage_months(wages: i64, first: i32) -> serde_json::Map<String, Value> {
    (first..=first + 1)
        .flat_map(|y| (1..=12).map(move |m| (format!("{y}-{m:02}"), json!({"wages": wages, "paid_days": 20}))))
        .collect()
}

/// The 育児休業給付金 units of a father earning `wages` a month, on a 育児休業 from 2025-01-01
/// to 2025-08-31 (the child born on 2024-12-20), with `pay` paid in unit `k` (0-based) only.
fn childcare_units(engine: &Engine, wages: i64, k: usize, pay: i64) -> Vec<Value> {
    let mut units = vec![json!({}); 8];
    units[k] = json!({"pay": pay});
    let hh = json!({"persons": [
        {"id": "f", "role": "parent", "wage_months": wage_months(wages, 2023),
         "childcare_leave": [{"from": "2025-01-01", "to": "2025-08-31", "child": "c", "units": units}]},
        {"id": "c", "role": "child", "birth_date": "2024-12-20"}]});
    let hh = engine.household_from_value(hh).expect("a valid household");
    let r = engine.evaluate(&hh, "2025-09".parse().expect("month"), Options::default());
    let o = r.schemes.iter().find(|o| o.scheme() == "childcare_leave_benefit").expect("scheme");
    serde_json::to_value(o).expect("json")["units"].as_array().cloned().unwrap_or_default()
}

/// The 育児時短就業給付金 month of 2025-10 for a parent earning `before` a month before a
/// 時短 from 2025-10-01 and `wage` in it.
fn reduced_hours_month(engine: &Engine, before: i64, wage: i64) -> Value {
    let mut months = wage_months(before, 2024);
    months.retain(|m, _| m.as_str() < "2025-10");
    months.insert("2025-10".into(), json!({"wages": wage, "paid_days": 20}));
    let hh = json!({"persons": [
        {"id": "p", "role": "parent", "wage_months": months,
         "reduced_hours": [{"from": "2025-10-01", "to": "2025-10-31", "child": "c"}]},
        {"id": "c", "role": "child", "birth_date": "2024-12-20"}]});
    let hh = engine.household_from_value(hh).expect("a valid household");
    let r = engine.evaluate(&hh, "2025-11".parse().expect("month"), Options::default());
    let o = r.schemes.iter().find(|o| o.scheme() == "reduced_hours_benefit").expect("scheme");
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

    #[test]
    fn a_childcare_unit_stays_within_its_rate_and_the_80_percent_rule(
        wages in 0i64..1_500_000, k in 0usize..8, pay in 0i64..2_000_000, more in 0i64..500_000,
    ) {
        let engine = Engine::new().expect("rulesets");
        let units = childcare_units(&engine, wages, k, pay);
        prop_assert_eq!(units.len(), 8);
        for u in &units {
            let (dw, d, rate, amount) = (
                u["daily_wage"].as_i64().unwrap_or(0), u["days"].as_i64().unwrap_or(0),
                u["rate_percent"].as_i64().unwrap_or(0), u["amount"].as_i64().unwrap_or(-1),
            );
            // 67 % for the first 180 days (6 units of 30), 50 % after (第61条の7第6項).
            prop_assert!(rate == 67 || rate == 50, "{}", u);
            prop_assert!(amount >= 0 && amount <= dw * d * rate / 100, "{}", u);
            let paid = u["pay"].as_i64().unwrap_or(0);
            prop_assert!(amount == 0 || paid + amount <= dw * d * 80 / 100, "{}", u);
        }
        let later = childcare_units(&engine, wages, k, pay + more);
        prop_assert!(later[k]["amount"].as_i64().unwrap_or(-1) <= units[k]["amount"].as_i64().unwrap_or(0));
    }

    #[test]
    fn the_reduced_hours_benefit_never_takes_wage_and_benefit_past_the_wage_before_or_the_limit(
        before in 100_000i64..800_000, wage in 0i64..900_000,
    ) {
        let engine = Engine::new().expect("rulesets");
        let u = reduced_hours_month(&engine, before, wage);
        let (dw, amount) = (u["daily_wage"].as_i64().unwrap_or(0), u["amount"].as_i64().unwrap_or(-1));
        // 第61条の12第6項: 10 % at most; wage + benefit ≤ 支給限度額 (2025-08: 471,393, secondary)
        // and ≤ the wage before (賃金日額 × 30).
        prop_assert!(amount >= 0 && amount <= wage / 10, "{}", u);
        prop_assert!(amount == 0 || wage + amount <= 471_393, "{}", u);
        prop_assert!(amount == 0 || wage + amount <= dw * 30, "{}", u);
    }
}
