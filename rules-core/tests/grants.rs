//! Properties of the pregnancy and birth grants over generated households (issue 10): a grant
//! never depends on the order of the persons, and more fetuses never pay less (出産・子育て応援給付金
//! 子育て応援 per child, 妊婦のための支援給付 (胎児の数 + 1) × 5万円, 出産育児一時金 per baby,
//! 出産手当金 98 days before a 多胎 birth instead of 42).

use chrono::{Duration, NaiveDate};
use kodomo_rules::{BenefitKind, Engine, Options};
use proptest::prelude::*;
use serde_json::{json, Value};

fn day(base: &str, plus: i64) -> String {
    let d = NaiveDate::parse_from_str(base, "%Y-%m-%d").expect("date") + Duration::days(plus);
    d.to_string()
}

/// A household: a mother, a father and `n` live-born children of one pregnancy born `offset`
/// days after 2022-01-01, with the mother's insurance, pay and leave; persons in `order`.
fn household(n: u32, offset: i64, participating: bool, order: &[usize]) -> Value {
    let birth = day("2022-01-01", offset);
    let mut remuneration = serde_json::Map::new();
    let first = NaiveDate::parse_from_str(&birth, "%Y-%m-%d").expect("date") - Duration::days(120);
    for k in 0..14 {
        let m = first - Duration::days(30 * k);
        remuneration.insert(m.format("%Y-%m").to_string(), json!(280_000 + 10_000 * (k % 3)));
    }
    let mut persons = vec![
        json!({"id": "m", "role": "parent", "standard_monthly_remuneration": remuneration,
               "health_insurance": [{"since": "2010-04-01", "kind": "kyokai", "status": "insured"}]}),
        json!({"id": "f", "role": "parent"}),
    ];
    let children: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
    for c in &children {
        persons.push(json!({"id": c, "role": "child", "birth_date": birth}));
    }
    let persons: Vec<Value> = order.iter().filter_map(|&i| persons.get(i).cloned()).collect();
    json!({
        "persons": persons,
        "residence": [{"municipality": "382060", "since": "2010-01-01"}],
        "pregnancies": [{
            "person": "m",
            "heartbeat_confirmed": day(&birth, -230),
            "notified": day(&birth, -220),
            "due_date": day(&birth, 3),
            "fetuses": n,
            "outcome": {"kind": "birth", "date": birth, "gestation_days": 270, "children": children,
                        "facility": {"obstetric_compensation": participating}},
            "maternity_leave": {"from": day(&birth, -100)}
        }]
    })
}

/// Each grant scheme's amount, as of three years after 2022-01-01 + `offset`.
fn amounts(engine: &Engine, hh: &Value, offset: i64) -> Vec<(String, i64)> {
    let hh = engine.household_from_value(hh.clone()).expect("a valid household");
    let month = day("2025-01-01", offset)[..7].parse().expect("month");
    let r = engine.evaluate(&hh, month, Options::default());
    r.schemes
        .iter()
        .filter(|o| o.kind() == BenefitKind::Grant)
        .map(|o| (o.scheme().to_string(), o.amount().unwrap_or(0)))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn grants_do_not_depend_on_the_order_of_persons(n in 1u32..4, offset in 0i64..1500, participating in any::<bool>(),
                                                     seed in any::<u64>()) {
        let engine = Engine::new().expect("rulesets");
        let count = 2 + n as usize;
        let forward: Vec<usize> = (0..count).collect();
        let mut shuffled = forward.clone();
        // A permutation from the seed (Fisher–Yates with a small LCG).
        let mut s = seed;
        for i in (1..count).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        let a = amounts(&engine, &household(n, offset, participating, &forward), offset);
        let b = amounts(&engine, &household(n, offset, participating, &shuffled), offset);
        // 出産育児一時金 is due for every birth generated: the comparison is of real amounts.
        prop_assert!(a.iter().any(|(s, x)| s == "childbirth_lump_sum" && *x > 0), "{:?}", a);
        prop_assert_eq!(a, b);
    }

    #[test]
    fn more_fetuses_never_pay_less(n in 1u32..4, offset in 0i64..1500, participating in any::<bool>()) {
        let engine = Engine::new().expect("rulesets");
        let order = |n: u32| (0..2 + n as usize).collect::<Vec<_>>();
        let fewer = amounts(&engine, &household(n, offset, participating, &order(n)), offset);
        let more = amounts(&engine, &household(n + 1, offset, participating, &order(n + 1)), offset);
        for ((scheme, a), (_, b)) in fewer.iter().zip(&more) {
            prop_assert!(b >= a, "{}: {} fetuses {} > {} fetuses {}", scheme, n, a, n + 1, b);
        }
    }
}

/// The months `scheme` exempts for a 第1号被保険者 in 国保 throughout, due on `due`.
fn exempt_months(engine: &Engine, scheme: &str, due: &str, fetuses: u32) -> Vec<String> {
    let hh = json!({
        "householder": "m",
        "persons": [{"id": "m", "role": "parent", "pension": [{"since": "2000-04-01", "category": "first"}],
                     "health_insurance": [{"since": "2000-04-01", "kind": "national_health", "status": "insured"}]}],
        "pregnancies": [{"person": "m", "due_date": due, "fetuses": fetuses}]
    });
    let hh = engine.household_from_value(hh).expect("a valid household");
    let month = day(due, 200)[..7].parse().expect("month");
    let r = engine.evaluate(&hh, month, Options::default());
    let o = r.schemes.iter().find(|o| o.scheme() == scheme).expect("scheme");
    let v = serde_json::to_value(o).expect("json");
    v["months"].as_array().into_iter().flatten().filter_map(|m| m.as_str().map(str::to_owned)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// 国民年金法第88条の2 and 国民健康保険法施行令第29条の7第5項第9号: the exempt months are
    /// contiguous, inside the window (the month before the due month, three months before for a
    /// 多胎妊娠, to the second month after), never before the rule's first month (2019-04;
    /// 2024-01), and the whole window once it lies after it.
    #[test]
    fn exempt_months_are_contiguous_and_within_the_window(offset in 0i64..3000, fetuses in 1u32..4, nhi in any::<bool>()) {
        let engine = Engine::new().expect("rulesets");
        let (scheme, first, from) = if nhi {
            ("nhi_maternity_reduction", "2024-01", "2023-06-01")
        } else {
            ("pension_maternity_exemption", "2019-04", "2018-10-01")
        };
        let due = day(from, offset);
        let months = exempt_months(&engine, scheme, &due, fetuses);
        let ym = |s: &str| -> i32 { s[..4].parse::<i32>().unwrap_or(0) * 12 + s[5..7].parse::<i32>().unwrap_or(0) };
        let base = ym(&due);
        let before = if fetuses >= 2 { 3 } else { 1 };
        let all: Vec<i32> = months.iter().map(|m| ym(m)).collect();
        for w in all.windows(2) {
            prop_assert_eq!(w[1], w[0] + 1, "not contiguous: {:?}", months);
        }
        let start = ym(first);
        let expected: Vec<i32> = (base - before..=base + 2).filter(|m| *m >= start).collect();
        prop_assert_eq!(all, expected, "{} due {}", scheme, due);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// 健康保険法第159条 / 厚生年金保険法第81条の2: one 育休 exempts contiguous months, from the
    /// month it starts, never past the month it ends, and every month before the month of the day
    /// after its end.
    #[test]
    fn one_leave_exempts_contiguous_months_within_it(offset in 0i64..4000, days in 1i64..500) {
        let engine = Engine::new().expect("rulesets");
        let (from, to) = (day("2014-04-01", offset), day("2014-04-01", offset + days - 1));
        let hh = json!({"persons": [{"id": "m", "role": "parent",
            "health_insurance": [{"since": "2010-04-01", "kind": "kyokai", "status": "insured"}],
            "childcare_leave": [{"from": from, "to": to}]}]});
        let hh = engine.household_from_value(hh).expect("a valid household");
        let month = day(&to, 40)[..7].parse().expect("month");
        let r = engine.evaluate(&hh, month, Options::default());
        let o = r.schemes.iter().find(|o| o.scheme() == "social_insurance_premium_exemption").expect("scheme");
        let v = serde_json::to_value(o).expect("json");
        let ym = |s: &str| -> i32 { s[..4].parse::<i32>().unwrap_or(0) * 12 + s[5..7].parse::<i32>().unwrap_or(0) };
        let months: Vec<i32> = v["months"].as_array().into_iter().flatten().filter_map(|m| m.as_str().map(ym)).collect();
        for w in months.windows(2) {
            prop_assert_eq!(w[1], w[0] + 1);
        }
        let after = ym(&day(&to, 1));
        let by_month_rule: Vec<i32> = (ym(&from)..after).collect();
        // The month rule's months are always exempt; at most the start month is added (14 days).
        prop_assert!(months.starts_with(&by_month_rule) || months == vec![ym(&from)], "{} to {}: {:?}", from, to, months);
        prop_assert!(months.iter().all(|m| *m >= ym(&from) && *m <= ym(&to)));
    }
}
