//! Criterion benchmarks of the engine; the results table is in benches/README.md.
//!
//! Run: `cargo bench -p kodomo-rules` (smoke test in CI: `cargo bench -p kodomo-rules -- --test`).

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use kodomo_rules::{
    BatchChild, DependantsInput, Disability, Engine, Household, IncomeYear, Options, Person, Population, Role,
    SpecialChildGrade, ValidHousehold, YearMonth,
};
use kodomo_rules::{ChildRearingReason, IncomeInput};
use std::hint::black_box;

/// A pregnancy and a birth (twins, 2025-10-10) of a mother insured with 協会けんぽ, on leave with
/// some pay, at a participating facility with the 直接支払制度, and an older child: every scheme,
/// the four grants doing work.
const PREGNANCY_AND_BIRTH: &str = include_str!("../examples/pregnancy_and_birth.json");

/// A self-employed family in 国保 in 西条市 (two 第1号被保険者, a 3-year-old, a birth in 2025-07):
/// the 国保 reductions (7割・5割・2割軽減 judged, 未就学児 for two children, 産前産後), the 国民年金
/// exemption and the birth grants doing work.
const NHI_FAMILY: &str = include_str!("../examples/nhi_family.json");
const LEAVE_FAMILY: &str = include_str!("../examples/leave_family.json");

const THREE_CHILDREN: &str = r#"{"persons": [
  {"id": "mother", "role": "parent", "income": {"2023": {"salary": 6500000, "other_dependants": 0}}},
  {"id": "father", "role": "parent", "income": {"2023": {"salary": 4000000, "other_dependants": 0}}},
  {"id": "c1", "role": "child", "birth_date": "2009-05-20"},
  {"id": "c2", "role": "child", "birth_date": "2014-11-02"},
  {"id": "c3", "role": "child", "birth_date": "2022-08-01"}]}"#;

/// A deterministic pseudo-random sequence (xorshift64) from `seed`.
fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

/// A single mother (離婚) living with her father, with a 1級 disabled child and a younger child:
/// every scheme has work to do (児童扶養手当 partial band, 扶養義務者 test, 特別児童扶養手当,
/// 障害児福祉手当).
const ALL_SCHEMES: &str = r#"{"persons": [
  {"id": "mother", "role": "parent", "child_rearing_reason": "divorce",
   "income": {"2023": {"salary": 2600000, "child_support": 300000, "dependants": 2}, "2024": {"salary": 2600000, "dependants": 2}}},
  {"id": "grandfather", "role": "relative", "income": {"2023": {"pension_income": 1500000, "dependants": 0}, "2024": {"pension_income": 1500000, "dependants": 0}}},
  {"id": "c1", "role": "child", "birth_date": "2012-05-20",
   "disability": {"special_child_grade": "grade_1", "severe": true, "child_rearing": true},
   "income": {"2023": {"dependants": 0}, "2024": {"dependants": 0}}},
  {"id": "c2", "role": "child", "birth_date": "2016-11-02"}]}"#;

/// `n` synthetic households for every scheme (xorshift): a single parent (離婚) or two parents,
/// sometimes a grandparent, 0–3 children born 2000–2025, one in five with a disability, incomes
/// 0–8M, 養育費 for some — the single path, which every scheme shares.
fn households(engine: &Engine, n: usize) -> Vec<ValidHousehold> {
    let mut next = xorshift(0x9e37_79b9_7f4a_7c15);
    let base = NaiveDate::from_ymd_opt(2000, 1, 1).expect("date");
    let year = |next: &mut dyn FnMut() -> u64, deps: u32| IncomeYear {
        salary: Some((next() % 8_000_000) as i64),
        child_support: if next() % 3 == 0 { (next() % 600_000) as i64 } else { 0 },
        dependants: Some(deps),
        ..IncomeYear::default()
    };
    (0..n)
        .map(|h| {
            let kids = (next() % 4) as usize;
            let mut persons = Vec::with_capacity(kids + 3);
            let mut mother = Person::new("mother", Role::Parent);
            let single = next() % 2 == 0;
            if single {
                mother.child_rearing_reason = Some(ChildRearingReason::Divorce);
            }
            mother.income.insert(kodomo_rules::household::IncomeYearKey(2024), year(&mut next, kids as u32));
            persons.push(mother);
            if !single {
                let mut father = Person::new("father", Role::Parent);
                father.income.insert(kodomo_rules::household::IncomeYearKey(2024), year(&mut next, 0));
                persons.push(father);
            }
            if next() % 4 == 0 {
                let mut g = Person::new("grandparent", Role::Relative);
                g.income.insert(kodomo_rules::household::IncomeYearKey(2024), year(&mut next, 1));
                persons.push(g);
            }
            for i in 0..kids {
                let mut c = Person::new(format!("c{i}"), Role::Child);
                c.birth_date = Some(base + chrono::Duration::days((next() % 9400) as i64));
                if next() % 5 == 0 {
                    c.disability = Some(Disability {
                        special_child_grade: Some(if next() % 2 == 0 {
                            SpecialChildGrade::Grade1
                        } else {
                            SpecialChildGrade::Grade2
                        }),
                        severe: Some(next() % 3 == 0),
                        child_rearing: Some(true),
                    });
                    c.income.insert(
                        kodomo_rules::household::IncomeYearKey(2024),
                        IncomeYear { dependants: Some(0), ..IncomeYear::default() },
                    );
                }
                persons.push(c);
            }
            let hh = Household { persons, ..Household::default() };
            engine.validate(hh).unwrap_or_else(|e| panic!("{h}: {e}"))
        })
        .collect()
}

/// A deterministic synthetic population (xorshift): 0–4 children born 2000–2025, incomes 0–12M.
fn population(households: usize) -> Population {
    let mut next = xorshift(0x2545_f491_4f6c_dd1d);
    let base = NaiveDate::from_ymd_opt(2000, 1, 1).expect("date");
    let mut pop = Population::with_capacity(households, households * 2);
    for _ in 0..households {
        let n = (next() % 5) as usize;
        let children: Vec<BatchChild> = (0..n)
            .map(|_| BatchChild {
                birth: base + chrono::Duration::days((next() % 9400) as i64),
                death: None,
                in_care: true,
                extended_care: None,
            })
            .collect();
        let income = IncomeInput::Known((next() % 12_000_000) as i64);
        pop.push(children, income, DependantsInput::Exact { count: n as u32, elderly: 0 });
    }
    pop
}

fn benches(c: &mut Criterion) {
    let engine = Engine::new().expect("rulesets");
    let hh = engine.parse_household(THREE_CHILDREN).expect("household");
    let old: YearMonth = "2024-06".parse().expect("month");
    let new: YearMonth = "2025-06".parse().expect("month");

    let mut g = c.benchmark_group("one_household_3_children");
    g.bench_function("month_2024_06_income_test", |b| {
        b.iter(|| engine.evaluate_scheme(black_box(&hh), "child_allowance", black_box(old), Options::default()))
    });
    g.bench_function("month_2025_06", |b| {
        b.iter(|| engine.evaluate_scheme(black_box(&hh), "child_allowance", black_box(new), Options::default()))
    });
    g.bench_function("month_2024_06_with_trace", |b| {
        b.iter(|| engine.evaluate_scheme(black_box(&hh), "child_allowance", black_box(old), Options::trace(true)))
    });
    g.bench_function("all_schemes_with_receipt", |b| {
        b.iter(|| engine.evaluate(black_box(&hh), black_box(old), Options::default()))
    });
    g.bench_function("timeline_12_months_2024_04_to_2025_03", |b| {
        let (from, to) = ("2024-04".parse().expect("m"), "2025-03".parse().expect("m"));
        b.iter(|| engine.timeline(black_box(&hh), "child_allowance", from, to, Options::default()))
    });
    g.bench_function("parse_and_validate_json", |b| b.iter(|| engine.parse_household(black_box(THREE_CHILDREN))));
    g.finish();

    // The engine of the embedded rulesets: `new` shares the one the first call built;
    // `build_embedded` reads the compiled rulesets, discovers and validates the schemes each time.
    let mut g = c.benchmark_group("engine");
    g.bench_function("new", |b| b.iter(|| Engine::new().map(|e| e.rulesets().len())));
    g.bench_function("build_embedded", |b| b.iter(|| Engine::build_embedded().map(|e| e.rulesets().len())));
    g.finish();

    // The largest household the limits allow for applications: 200 applications (one a month
    // from 2012-05), 100-year timeline (issue 18 item 3: coverage was checked again for every month,
    // quadratic in the span).
    let apps: Vec<String> = (0..200)
        .map(|i| {
            format!(r#"{{"scheme":"child_allowance","claimant":"m","date":"{}-{:02}-10"}}"#, 2012 + i / 12, 1 + i % 12)
        })
        .collect();
    let busy = engine.parse_household(&format!(
        r#"{{"persons":[{{"id":"m","role":"parent","income":{{}}}},{{"id":"c","role":"child","birth_date":"2011-06-01"}}],
        "applications":[{}]}}"#,
        apps.join(",")
    ))
    .expect("household");
    let mut g = c.benchmark_group("limits");
    g.sample_size(10);
    g.bench_function("timeline_1200_months_200_applications", |b| {
        let (from, to) = ("2012-04".parse().expect("m"), "2112-03".parse().expect("m"));
        b.iter(|| engine.timeline(black_box(&busy), "child_allowance", from, to, Options::default()))
    });
    g.finish();

    let all = engine.parse_household(ALL_SCHEMES).expect("household");
    let m: YearMonth = "2025-08".parse().expect("month");
    let mut g = c.benchmark_group("one_household_all_schemes");
    g.bench_function("evaluate_2025_08", |b| {
        b.iter(|| engine.evaluate(black_box(&all), black_box(m), Options::default()))
    });
    g.bench_function("evaluate_2025_08_with_trace", |b| {
        b.iter(|| engine.evaluate(black_box(&all), black_box(m), Options::trace(true)))
    });
    for s in ["child_rearing_allowance", "special_child_allowance", "disabled_child_welfare_allowance"] {
        g.bench_function(format!("{s}_timeline_12_months"), |b| {
            let (from, to) = ("2025-04".parse().expect("m"), "2026-03".parse().expect("m"));
            b.iter(|| engine.timeline(black_box(&all), s, from, to, Options::default()))
        });
    }
    g.finish();

    let birth = engine.parse_household(PREGNANCY_AND_BIRTH).expect("household");
    let m: YearMonth = "2026-01".parse().expect("month");
    let mut g = c.benchmark_group("one_household_pregnancy_and_birth");
    g.bench_function("evaluate_2026_01", |b| {
        b.iter(|| engine.evaluate(black_box(&birth), black_box(m), Options::default()))
    });
    g.bench_function("evaluate_2026_01_with_trace", |b| {
        b.iter(|| engine.evaluate(black_box(&birth), black_box(m), Options::trace(true)))
    });
    g.bench_function("parse_and_validate_json", |b| b.iter(|| engine.parse_household(black_box(PREGNANCY_AND_BIRTH))));
    g.finish();

    let nhi = engine.parse_household(NHI_FAMILY).expect("household");
    let m: YearMonth = "2025-12".parse().expect("month");
    let mut g = c.benchmark_group("one_household_nhi_family");
    g.bench_function("evaluate_2025_12", |b| {
        b.iter(|| engine.evaluate(black_box(&nhi), black_box(m), Options::default()))
    });
    g.bench_function("evaluate_2025_12_with_trace", |b| {
        b.iter(|| engine.evaluate(black_box(&nhi), black_box(m), Options::trace(true)))
    });
    g.finish();

    let leave = engine.parse_household(LEAVE_FAMILY).expect("household");
    let m: YearMonth = "2026-07".parse().expect("month");
    let mut g = c.benchmark_group("one_household_leave_family");
    g.bench_function("evaluate_2026_07", |b| {
        b.iter(|| engine.evaluate(black_box(&leave), black_box(m), Options::default()))
    });
    g.bench_function("evaluate_2026_07_with_trace", |b| {
        b.iter(|| engine.evaluate(black_box(&leave), black_box(m), Options::trace(true)))
    });
    g.finish();

    // Every scheme for 1,000,000 households (the single path on all cores; the columnar batch
    // path covers 児童手当 only).
    let n = 1_000_000;
    let hhs = households(&engine, n);
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    let mut g = c.benchmark_group("all_schemes_1m_households");
    g.sample_size(10);
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function(format!("evaluate_2025_08_{threads}_threads"), |b| {
        b.iter(|| {
            std::thread::scope(|scope| {
                let workers: Vec<_> = hhs
                    .chunks(n.div_ceil(threads))
                    .map(|chunk| {
                        let engine = &engine;
                        scope.spawn(move || {
                            chunk
                                .iter()
                                .map(|hh| engine.evaluate(hh, m, Options::default()).totals.values().sum::<i64>())
                                .sum::<i64>()
                        })
                    })
                    .collect();
                workers.into_iter().map(|w| w.join().unwrap_or(0)).sum::<i64>()
            })
        })
    });
    g.finish();

    let n = 1_000_000;
    let pop = population(n);
    let mut g = c.benchmark_group("batch_1m_households");
    g.sample_size(10);
    g.throughput(Throughput::Elements(n as u64));
    for (name, month) in [("2024_06_income_test", old), ("2025_06", new)] {
        g.bench_function(name, |b| {
            b.iter_batched_ref(
                || Vec::with_capacity(n),
                |out| engine.evaluate_population_into(black_box(&pop), month, out),
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

criterion_group!(engine_benches, benches);
criterion_main!(engine_benches);
