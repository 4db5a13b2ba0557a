//! Unit tests and proptest invariants of 児童手当. Expected values cite FACTS.md; invariants state
//! rules that hold for every household.

use super::*;
use crate::household::{ExtendedCare, Household, IncomeYear, IncomeYearKey, Person, Role};
use crate::{Engine, Options, Status};
use proptest::prelude::*;

fn ym(s: &str) -> YearMonth {
    s.parse().expect("test month")
}

#[test]
fn payment_months_follow_the_statute() {
    // FACTS.md §1.5 (J5): 2月 pays 10〜1月分, 6月 pays 2〜5月分, 10月 pays 6〜9月分.
    let pays_before = |m: u32| PayMonth { month: m, through: m - 1 };
    let old: Vec<PayMonth> = [2, 6, 10].map(pays_before).into();
    for (m, p) in [
        ("2023-10", "2024-02"),
        ("2024-01", "2024-02"),
        ("2024-02", "2024-06"),
        ("2024-05", "2024-06"),
        ("2024-06", "2024-10"),
        ("2024-09", "2024-10"),
    ] {
        assert_eq!(crate::schemes::payment_month(ym(m), |_| &old[..]), Some(ym(p)), "{m}");
    }
    // From 2024-10分: every even month pays the previous two months (J7, J9); 10・11月分 in 12月 (J8).
    let new: Vec<PayMonth> = [2, 4, 6, 8, 10, 12].map(pays_before).into();
    for (m, p) in [
        ("2024-10", "2024-12"),
        ("2024-11", "2024-12"),
        ("2024-12", "2025-02"),
        ("2025-01", "2025-02"),
        ("2025-03", "2025-04"),
    ] {
        assert_eq!(crate::schemes::payment_month(ym(m), |_| &new[..]), Some(ym(p)), "{m}");
    }
}

#[test]
fn limit_tables_add_per_dependant_and_elderly() {
    // FACTS.md §1.4: 6+ → +380,000 per person above 5; +60,000 per 老人 (J11).
    let t = LimitTable {
        by_dependants: vec![6_220_000, 6_600_000, 6_980_000, 7_360_000, 7_740_000, 8_120_000],
        per_additional_dependant: Some(380_000),
        per_elderly_dependant: Some(60_000),
        per_specified_dependant: Some(0),
        elderly_one_excluded_if_all: false,
        paid_at_limit: false,
    };
    assert_eq!(t.limit(5, 0, 0), Limit::Exact(8_120_000));
    assert_eq!(t.limit(7, 0, 0), Limit::Exact(8_880_000));
    assert_eq!(t.limit(2, 1, 0), Limit::Exact(7_040_000));
    let unknown_elderly = LimitTable { per_elderly_dependant: None, ..t };
    assert_eq!(unknown_elderly.limit(2, 1, 0), Limit::AtLeast(6_980_000));
}

// ---------------------------------------------------------------------------------------------
// Property tests over random households.

fn date(days: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(1985, 1, 1).expect("date") + Duration::days(days)
}

prop_compose! {
    fn child()(days in 0i64..15_500, care in prop::option::of(any::<bool>()), in_care in prop::bool::weighted(0.9),
               dies in prop::option::of(0i64..3000)) -> Person {
        let birth = date(days);
        Person {
            id: String::new(), role: Role::Child, birth_date: Some(birth), death_date: dies.map(|d| birth + Duration::days(d)),
            in_care, extended_care: care.map(|confirmed| ExtendedCare { confirmed, confirmed_on: None }), child_rearing_reason: None, disability: None, in_facility: false, disability_pension: false, income: Default::default(), health_insurance: vec![], pension: vec![], standard_monthly_remuneration: Default::default(), standard_bonus: Default::default(), childcare_leave: vec![], wage_months: None, lookback_extension_days: None, health_premium_rate: vec![], reduced_hours: vec![], spouse_exemption: None,
        }
    }
}

prop_compose! {
    fn parent()(incomes in prop::collection::vec(prop::option::of((0i64..16_000_000, prop::option::of(0u32..8), any::<bool>())), 14)) -> Person {
        let mut income = std::collections::BTreeMap::new();
        for (i, inc) in incomes.into_iter().enumerate() {
            if let Some((amount, deps, salary)) = inc {
                let year = 2010 + i as i32;
                let y = IncomeYear {
                    salary: salary.then_some(amount),
                    employment_income: (!salary).then_some(amount),
                    dependants: deps,
                    ..IncomeYear::default()
                };
                income.insert(IncomeYearKey(year), y);
            }
        }
        Person { id: String::new(), role: Role::Parent, birth_date: None, death_date: None, in_care: true, extended_care: None, child_rearing_reason: None, disability: None, in_facility: false, disability_pension: false, income, health_insurance: vec![], pension: vec![], standard_monthly_remuneration: Default::default(), standard_bonus: Default::default(), childcare_leave: vec![], wage_months: None, lookback_extension_days: None, health_premium_rate: vec![], reduced_hours: vec![], spouse_exemption: None }
    }
}

prop_compose! {
    fn household()(parents in prop::collection::vec(parent(), 0..3), children in prop::collection::vec(child(), 0..6)) -> Household {
        let mut persons: Vec<Person> = parents.into_iter().chain(children).collect();
        for (i, p) in persons.iter_mut().enumerate() {
            p.id = format!("p{i}");
        }
        Household { persons, ..Household::default() }
    }
}

fn engine() -> Engine {
    Engine::new().expect("embedded rulesets")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn every_month_result_obeys_the_invariants(hh in household(), offset in 0i32..300) {
        let engine = engine();
        let hh = engine.validate(hh).expect("valid");
        let m = ym("2005-01").plus(offset);
        let r = engine.evaluate_scheme(&hh, "child_allowance", m, Options::trace(true)).expect("scheme");
        // Months before 2012-04 are not in force (子ども手当 is out of scope).
        prop_assert_eq!(r.status == Status::NotInForce, m < ym("2012-04"));
        // Every per-child amount is one of the regime's legal amounts (FACTS.md §1.3).
        let legal: &[Yen] = if m <= ym("2024-09") { &[0, 5_000, 10_000, 15_000] } else { &[0, 10_000, 15_000, 30_000] };
        for c in &r.children {
            if let Some(a) = c.amount {
                prop_assert!(legal.contains(&a), "{} {:?}", m, c);
            }
        }
        match r.status {
            Status::Eligible => prop_assert_eq!(r.amount, r.children.iter().filter_map(|c| c.amount).sum::<Yen>()),
            Status::Undetermined => {
                let range = r.range.expect("range");
                prop_assert!(range.min < range.max && !r.missing.is_empty());
                prop_assert_eq!(r.amount, 0);
            }
            _ => prop_assert_eq!(r.amount, 0),
        }
        // Ranks are 1..n without gaps.
        let mut ranks: Vec<u32> = r.children.iter().filter_map(|c| c.rank).collect();
        ranks.sort_unstable();
        prop_assert!(ranks.iter().enumerate().all(|(i, &k)| k == i as u32 + 1));
        // The text explanation renders in both languages.
        prop_assert!(!r.explain(&engine, crate::Lang::Ja).is_empty() && !r.explain(&engine, crate::Lang::En).is_empty());
    }

    #[test]
    fn the_batch_path_equals_one_by_one(hhs in prop::collection::vec(household(), 1..20), offset in 0i32..300) {
        let engine = engine();
        let m = ym("2005-01").plus(offset);
        let pop = engine.population_from_households(&hhs, m).expect("population");
        let mut batch = Vec::new();
        let mut children = Vec::new();
        engine.evaluate_population_range(&pop, m, 0..pop.len(), &mut batch, Some(&mut children));
        for (h, (hh, b)) in hhs.iter().zip(&batch).enumerate() {
            let valid = engine.validate(hh.clone()).expect("valid");
            let r = engine.evaluate_scheme(&valid, "child_allowance", m, Options::default()).expect("scheme");
            // The per-child breakdown matches too (the single path lists children oldest first,
            // the batch path by their index among the household's children).
            let ids: Vec<&str> = hh.persons.iter().filter(|p| p.role == Role::Child).map(|p| p.id.as_str()).collect();
            let mut single: Vec<(&str, Band, Option<u32>, Option<Yen>)> = r.children.iter().map(|c| (c.id.as_str(), c.band, c.rank, c.amount)).collect();
            let mut from_batch: Vec<(&str, Band, Option<u32>, Option<Yen>)> = children.iter().filter(|c| c.household == h as u32).map(|c| (ids[c.child as usize], c.band, c.rank, c.amount)).collect();
            single.sort_by_key(|c| c.0);
            from_batch.sort_by_key(|c| c.0);
            prop_assert_eq!(single, from_batch);
            prop_assert_eq!(r.status, b.status, "{}", m);
            prop_assert_eq!(r.amount, b.amount);
            if let Some(range) = r.range {
                prop_assert_eq!((range.min, range.max), (b.min, b.max));
            }
        }
    }

    #[test]
    fn payments_pay_every_entitled_month_exactly_once(hh in household(), offset in 0i32..200, len in 0i32..60) {
        let engine = engine();
        let from = ym("2011-01").plus(offset);
        let hh = engine.validate(hh).expect("valid");
        let t = engine.timeline(&hh, "child_allowance", from, from.plus(len), Options::default()).expect("timeline");
        let monthly: Yen = t.months.iter().map(|r| r.amount).sum();
        prop_assert_eq!(t.total, monthly);
        prop_assert_eq!(t.payments.iter().map(|p| p.amount).sum::<Yen>(), monthly);
        for r in t.months.iter().filter(|r| r.amount > 0) {
            let paying: Vec<&Payment> = t.payments.iter().filter(|p| p.months.contains(&r.month)).collect();
            prop_assert_eq!(paying.len(), 1);
            prop_assert!(paying[0].payment_month > r.month);
            // No month waits more than four months for its payment (Feb/Jun/Oct, then even months).
            prop_assert!(r.month.months_until(paying[0].payment_month) <= 4);
        }
    }

    #[test]
    fn more_income_never_pays_more_under_the_2012_regime(income in 0i64..14_000_000, extra in 1i64..3_000_000, deps in 0u32..7, offset in 0i32..150) {
        let engine = engine();
        let m = ym("2012-04").plus(offset);
        let year = if m.month() >= 6 { m.year() - 1 } else { m.year() - 2 };
        let mk = |amount: Yen| {
            let mut p = Person { id: "mother".into(), role: Role::Parent, birth_date: None, death_date: None, in_care: true, extended_care: None, child_rearing_reason: None, disability: None, in_facility: false, disability_pension: false, income: Default::default(), health_insurance: vec![], pension: vec![], standard_monthly_remuneration: Default::default(), standard_bonus: Default::default(), childcare_leave: vec![], wage_months: None, lookback_extension_days: None, health_premium_rate: vec![], reduced_hours: vec![], spouse_exemption: None };
            p.income.insert(IncomeYearKey(year), IncomeYear { employment_income: Some(amount), dependants: Some(deps), ..IncomeYear::default() });
            let kid = |id: &str, d: &str| Person { id: id.into(), role: Role::Child, birth_date: d.parse().ok(), death_date: None, in_care: true, extended_care: None, child_rearing_reason: None, disability: None, in_facility: false, disability_pension: false, income: Default::default(), health_insurance: vec![], pension: vec![], standard_monthly_remuneration: Default::default(), standard_bonus: Default::default(), childcare_leave: vec![], wage_months: None, lookback_extension_days: None, health_premium_rate: vec![], reduced_hours: vec![], spouse_exemption: None };
            Household { persons: vec![p, kid("a", "2008-06-01"), kid("b", "2011-09-09")], ..Household::default() }
        };
        let valid = |h| engine.validate(h).expect("valid");
        let lo = engine.evaluate_scheme(&valid(mk(income)), "child_allowance", m, Options::default()).expect("scheme");
        let hi = engine.evaluate_scheme(&valid(mk(income + extra)), "child_allowance", m, Options::default()).expect("scheme");
        prop_assert!(hi.amount <= lo.amount, "{} {} {}", m, lo.amount, hi.amount);
    }
}
