//! Unit tests and proptest invariants of 児童扶養手当, 特別児童扶養手当 and 障害児福祉手当.
//! Expected values cite FACTS.md; invariants state rules that hold for every household.

use super::*;
use crate::household::{ChildRearingReason, Person, SpecialChildGrade};
use crate::schemes::child_rearing_allowance::{ChildRearingAllowance, Coefficient, Part};
use crate::schemes::disabled_child_welfare_allowance::DisabledChildWelfareAllowance;
use crate::schemes::special_child_allowance::SpecialChildAllowance;
use crate::schemes::PayMonth;
use crate::{Engine, Options, Status};
use proptest::prelude::*;

fn ym(s: &str) -> YearMonth {
    s.parse().expect("test month")
}

#[test]
fn coefficients_are_exact_decimals() {
    let c: Coefficient = "0.0243007".parse().expect("decimal");
    assert_eq!(c.0, crate::money::Rate { numerator: 243_007, denominator: 10_000_000 });
    assert_eq!(c.to_string(), "0.0243007");
    assert_eq!("0.025".parse::<Coefficient>().map(|c| c.to_string()), Ok("0.025".to_owned()));
    for bad in ["", ".5", "0,02", "-0.1", "1e-3", "0.0000000000001"] {
        assert!(bad.parse::<Coefficient>().is_err(), "{bad}");
    }
    // FACTS.md §2.2 check arithmetic: 45,490 − round10(1,430,000 × 0.0243007) = 10,740.
    let part = Part { full: 45_500, partial_max: 45_490, partial_min: 10_740, coefficient: c };
    assert_eq!(part.partial(1_430_000), 10_740);
    assert_eq!(part.partial(0), 45_490);
}

#[test]
fn payment_months_follow_the_schedules() {
    let old =
        [PayMonth { month: 4, through: 3 }, PayMonth { month: 8, through: 7 }, PayMonth { month: 12, through: 11 }];
    let odd: Vec<PayMonth> =
        [1, 3, 5, 7, 9, 11].iter().map(|&m| PayMonth { month: m, through: if m == 1 { 12 } else { m - 1 } }).collect();
    // FACTS.md §2.5: to 2019-10 4月 (12〜3月分), 8月 (4〜7月分), 12月 (8〜11月分); the 2019-11
    // payment is 8〜10月分; from 2020-01 odd months pay the previous two.
    let schedule = |p: YearMonth| -> &[PayMonth] {
        if p < ym("2019-11") {
            &old
        } else {
            &odd
        }
    };
    for (m, p) in [
        ("2019-04", "2019-08"),
        ("2019-07", "2019-08"),
        ("2019-08", "2019-11"),
        ("2019-10", "2019-11"),
        ("2019-11", "2020-01"),
        ("2019-12", "2020-01"),
        ("2020-01", "2020-03"),
        ("2025-03", "2025-05"),
        ("2025-04", "2025-05"),
    ] {
        assert_eq!(crate::schemes::payment_month(ym(m), schedule), Some(ym(p)), "{m}");
    }
    // 特別児童扶養手当 (FACTS.md §3.4): 11月 pays 8〜11月分, itself included.
    let special =
        [PayMonth { month: 4, through: 3 }, PayMonth { month: 8, through: 7 }, PayMonth { month: 11, through: 11 }];
    for (m, p) in [("2024-08", "2024-11"), ("2024-11", "2024-11"), ("2024-12", "2025-04"), ("2025-07", "2025-08")] {
        assert_eq!(crate::schemes::payment_month(ym(m), |_| &special[..]), Some(ym(p)), "{m}");
    }
}

#[test]
fn income_year_switch() {
    // FACTS.md §2.4 'Which year' and docs/research/issue-5-open-questions.md §3.
    let e = Engine::new().expect("rulesets");
    let y = |m: &str| e.income_year_of("child_rearing_allowance", ym(m)).expect("scheme");
    assert_eq!(
        [y("2019-07"), y("2019-08"), y("2019-11"), y("2020-10"), y("2020-11")],
        [Some(2017), Some(2018), Some(2018), Some(2018), Some(2019)]
    );
    let s = |m: &str| e.income_year_of("special_child_allowance", ym(m)).expect("scheme");
    assert_eq!([s("2024-07"), s("2024-08")], [Some(2022), Some(2023)]);
}

fn person(id: &str, role: Role) -> Person {
    Person::new(id, role)
}

prop_compose! {
    /// A single mother (離婚) with 1–4 children and a known 所得額 for every year.
    fn rearing_household()(
        births in prop::collection::vec(0i64..9000, 1..5),
        employment in 0i64..5_000_000,
        support in 0i64..2_000_000,
        deps in prop::option::of(0u32..7),
        elderly in 0u32..2,
        specified in 0u32..2,
    ) -> (Household, Yen) {
        let mut mother = person("mother", Role::Parent);
        mother.child_rearing_reason = Some(ChildRearingReason::Divorce);
        for year in 2016..2026 {
            mother.income.insert(IncomeYearKey(year), IncomeYear {
                employment_income: Some(employment),
                child_support: support,
                dependants: deps,
                elderly_dependants: elderly.min(deps.unwrap_or(0)),
                specified_dependants: specified.min(deps.unwrap_or(0) - elderly.min(deps.unwrap_or(0))),
                ..IncomeYear::default()
            });
        }
        let base = NaiveDate::from_ymd_opt(2001, 1, 1).expect("date");
        let mut persons = vec![mother];
        for (i, d) in births.into_iter().enumerate() {
            let mut c = person(&format!("c{i}"), Role::Child);
            c.birth_date = Some(base + chrono::Duration::days(d));
            persons.push(c);
        }
        (Household { persons, ..Household::default() }, employment)
    }
}

/// Months with known amounts (FY2021 and FY2026 are not known).
fn known_month(offset: i32) -> YearMonth {
    let m = ym("2019-04").plus(offset % 84);
    if (ym("2021-04")..=ym("2022-03")).contains(&m) {
        m.plus(12)
    } else {
        m
    }
}

fn set_employment(hh: &mut Household, value: Yen) {
    for iy in hh.persons[0].income.values_mut() {
        iy.employment_income = Some(value);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    /// 児童扶養手当 never rises when the claimant's income rises, and a paid amount lies between
    /// the sum of the 一部支給最低額 and the sum of the 全部支給 amounts of the children paid
    /// (FACTS.md §2.2, §2.3).
    #[test]
    fn rearing_amount_falls_with_income_within_bounds((hh, employment) in rearing_household(), more in 0i64..3_000_000, offset in 0i32..84) {
        let engine = Engine::new().expect("rulesets");
        let m = known_month(offset);
        let mut richer = hh.clone();
        let hh = engine.validate(hh).expect("valid");
        let r = engine.evaluate_scheme(&hh, "child_rearing_allowance", m, Options::default()).expect("scheme");
        set_employment(&mut richer, employment + more);
        let richer = engine.validate(richer).expect("valid");
        let r2 = engine.evaluate_scheme(&richer, "child_rearing_allowance", m, Options::default()).expect("scheme");
        let hi = |r: &MonthResult| r.range.map_or(r.amount, |x| x.max);
        let lo = |r: &MonthResult| r.range.map_or(r.amount, |x| x.min);
        prop_assert!(hi(&r2) <= hi(&r), "{m}: {} then {}", hi(&r), hi(&r2));
        prop_assert!(lo(&r2) <= lo(&r), "{m}: {} then {}", lo(&r), lo(&r2));
        let a = at(&engine.scheme_impl::<ChildRearingAllowance>().expect("scheme").file.parameters.amounts, m).expect("known amounts");
        let paid = r.children.iter().filter(|c| c.rank.is_some()).count();
        let parts = |f: fn(&Part) -> Yen| -> Yen {
            (1..=paid).map(|k| match k { 1 => f(&a.first), 2 => f(&a.second), _ => f(&a.third_or_later) }).sum()
        };
        if r.status == Status::Eligible {
            prop_assert!(r.amount >= parts(|p| p.partial_min) && r.amount <= parts(|p| p.full), "{m}: {}", r.amount);
            prop_assert!(r.amount % 10 == 0);
            prop_assert_eq!(r.amount, r.children.iter().filter_map(|c| c.amount).sum::<Yen>());
        }
        if r.status == Status::Undetermined {
            prop_assert!(!r.missing.is_empty());
        }
    }

    /// 特別児童扶養手当 and 障害児福祉手当 pay only their legal amounts per child, and nothing
    /// when the claimant's income rises past the limit.
    #[test]
    fn disability_allowances_pay_legal_amounts(grade in 0u8..4, severe in prop::option::of(any::<bool>()), birth in 0i64..9000,
            income in 0i64..9_000_000, offset in 0i32..84) {
        let engine = Engine::new().expect("rulesets");
        let mut mother = person("mother", Role::Parent);
        for year in 2016..2026 {
            mother.income.insert(IncomeYearKey(year), IncomeYear { employment_income: Some(income), dependants: Some(1), ..IncomeYear::default() });
        }
        let mut c = person("c", Role::Child);
        c.birth_date = Some(NaiveDate::from_ymd_opt(2001, 1, 1).expect("date") + chrono::Duration::days(birth));
        c.disability = Some(Disability {
            special_child_grade: match grade { 0 => None, 1 => Some(SpecialChildGrade::Grade1), 2 => Some(SpecialChildGrade::Grade2), _ => Some(SpecialChildGrade::None) },
            severe,
            child_rearing: None,
        });
        for year in 2016..2026 {
            c.income.insert(IncomeYearKey(year), IncomeYear { dependants: Some(0), ..IncomeYear::default() });
        }
        let hh = Household { persons: vec![mother, c], ..Household::default() };
        let hh = engine.validate(hh).expect("valid");
        let m = known_month(offset);
        let s = engine.evaluate_scheme(&hh, "special_child_allowance", m, Options::trace(true)).expect("scheme");
        let special = engine.scheme_impl::<SpecialChildAllowance>().expect("scheme");
        let p = &special.file.parameters;
        let legal = [0, at(&p.amount_grade_1, m).unwrap_or(-1), at(&p.amount_grade_2, m).unwrap_or(-1)];
        if s.status == Status::Eligible {
            prop_assert!(legal.contains(&s.amount), "{m}: {}", s.amount);
        }
        // 4,596,000 (0) → 4,976,000 for 1 dependant (FACTS.md §3.3); 所得額 = income − 10万 − 8万 from 2020 income.
        if income >= 4_976_000 + 180_000 {
            prop_assert!(s.amount == 0 && s.range.is_none_or(|r| r.max == 0), "{m}: {:?}", s);
        }
        let w = engine.evaluate_scheme(&hh, "disabled_child_welfare_allowance", m, Options::trace(true)).expect("scheme");
        if w.status == Status::Eligible {
            prop_assert_eq!(Some(w.amount), at(&engine.scheme_impl::<DisabledChildWelfareAllowance>().expect("scheme").file.parameters.amount, m));
        }
        prop_assert!(!s.explain(&engine, crate::Lang::En).is_empty() && !w.explain(&engine, crate::Lang::Ja).is_empty());
    }
}
