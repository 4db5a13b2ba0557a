//! Criterion benchmarks of the engine; the results table is in benches/README.md.
//!
//! Run: `cargo bench -p kodomo-rules` (smoke test in CI: `cargo bench -p kodomo-rules -- --test`).

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use kodomo_rules::{BatchChild, DependantsInput, Engine, IncomeInput, Options, Population, Scheme, YearMonth};
use std::hint::black_box;

const THREE_CHILDREN: &str = r#"{"persons": [
  {"id": "mother", "role": "parent", "income": {"2023": {"salary": 6500000, "other_dependants": 0}}},
  {"id": "father", "role": "parent", "income": {"2023": {"salary": 4000000, "other_dependants": 0}}},
  {"id": "c1", "role": "child", "birth_date": "2009-05-20"},
  {"id": "c2", "role": "child", "birth_date": "2014-11-02"},
  {"id": "c3", "role": "child", "birth_date": "2022-08-01"}]}"#;

/// A deterministic synthetic population (xorshift): 0–4 children born 2000–2025, incomes 0–12M.
fn population(households: usize) -> Population {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
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
    let hh = Engine::parse_household(THREE_CHILDREN).expect("household");
    let old: YearMonth = "2024-06".parse().expect("month");
    let new: YearMonth = "2025-06".parse().expect("month");

    let mut g = c.benchmark_group("one_household_3_children");
    g.bench_function("month_2024_06_income_test", |b| {
        b.iter(|| engine.evaluate_scheme(black_box(&hh), Scheme::ChildAllowance, black_box(old), Options::default()))
    });
    g.bench_function("month_2025_06", |b| {
        b.iter(|| engine.evaluate_scheme(black_box(&hh), Scheme::ChildAllowance, black_box(new), Options::default()))
    });
    g.bench_function("month_2024_06_with_trace", |b| {
        b.iter(|| {
            engine.evaluate_scheme(black_box(&hh), Scheme::ChildAllowance, black_box(old), Options { trace: true })
        })
    });
    g.bench_function("all_schemes_with_receipt", |b| {
        b.iter(|| engine.evaluate(black_box(&hh), black_box(old), Options::default()))
    });
    g.bench_function("timeline_12_months_2024_04_to_2025_03", |b| {
        let (from, to) = ("2024-04".parse().expect("m"), "2025-03".parse().expect("m"));
        b.iter(|| engine.timeline(black_box(&hh), Scheme::ChildAllowance, from, to, Options::default()))
    });
    g.bench_function("parse_and_validate_json", |b| b.iter(|| Engine::parse_household(black_box(THREE_CHILDREN))));
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
