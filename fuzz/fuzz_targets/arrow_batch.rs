//! The Arrow population reader of the Python package (`bindings-python/src/population.rs`, shared
//! here unchanged) over tables whose columns have fuzzed types and values → evaluate_population.
//! Any table may be rejected; none may panic.
#![no_main]

#[allow(dead_code)] // the Python module's own helpers (column list) are not called here
#[path = "../../bindings-python/src/population.rs"]
mod population;

use arbitrary::Arbitrary;
use arrow_array::{ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_array::{TimestampMicrosecondArray, UInt64Array};
use arrow_schema::{Field, Schema};
use kodomo_rules::Engine;
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, LazyLock};

static ENGINE: LazyLock<Engine> = LazyLock::new(|| Engine::new().expect("the embedded rulesets load"));

#[derive(Debug, Arbitrary)]
struct Row {
    household: u8,
    role: u8,
    birth: Option<i32>,
    death: Option<i32>,
    salary: Option<i64>,
    dependants: Option<i64>,
    in_care: Option<bool>,
    fraction: f64,
}

#[derive(Debug, Arbitrary)]
struct Input {
    rows: Vec<Row>,
    year: u16,
    month: u8,
    /// Which Arrow type each column gets (integers, floats, text, timestamps …).
    id_kind: u8,
    date_kind: u8,
    money_kind: u8,
    per_child: bool,
    max_persons: u8,
}

fuzz_target!(|input: Input| {
    let n = input.rows.len().min(4096);
    let rows = &input.rows[..n];
    let ids: ArrayRef = match input.id_kind % 3 {
        0 => Arc::new(Int64Array::from_iter(rows.iter().map(|r| Some(i64::from(r.household))))),
        1 => Arc::new(StringArray::from_iter(rows.iter().map(|r| Some(format!("h{}", r.household))))),
        _ => Arc::new(Float64Array::from_iter(rows.iter().map(|r| Some(f64::from(r.household) + r.fraction)))),
    };
    let role: ArrayRef = Arc::new(StringArray::from_iter(rows.iter().map(|r| match r.role % 4 {
        0 => Some("parent"),
        1 | 2 => Some("child"),
        _ => None,
    })));
    let dates =
        |f: fn(&Row) -> Option<i32>| -> ArrayRef {
            match input.date_kind % 4 {
                0 => Arc::new(Date32Array::from_iter(rows.iter().map(f))),
                1 => Arc::new(TimestampMicrosecondArray::from_iter(rows.iter().map(|r| {
                    f(r).map(|d| i64::from(d).wrapping_mul(86_400_000_000).wrapping_add(r.fraction as i64 % 7))
                }))),
                2 => Arc::new(StringArray::from_iter(
                    rows.iter()
                        .map(|r| f(r).map(|d| format!("{}-01-{:02}", 1900 + d.rem_euclid(300), 1 + d.rem_euclid(31)))),
                )),
                _ => Arc::new(Int64Array::from_iter(rows.iter().map(|r| f(r).map(i64::from)))),
            }
        };
    let salary: ArrayRef = match input.money_kind % 3 {
        0 => Arc::new(Int64Array::from_iter(rows.iter().map(|r| r.salary))),
        1 => Arc::new(Float64Array::from_iter(rows.iter().map(|r| r.salary.map(|s| s as f64 + r.fraction)))),
        _ => Arc::new(UInt64Array::from_iter(rows.iter().map(|r| r.salary.map(|s| s as u64)))),
    };
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("household_id", ids),
        ("role", role),
        ("birth_date", dates(|r| r.birth)),
        ("death_date", dates(|r| r.death)),
        ("salary", salary),
        ("dependants", Arc::new(Int64Array::from_iter(rows.iter().map(|r| r.dependants)))),
        ("in_care", Arc::new(BooleanArray::from_iter(rows.iter().map(|r| r.in_care)))),
    ];
    let schema = Arc::new(Schema::new(
        columns.iter().map(|(name, c)| Field::new(*name, c.data_type().clone(), true)).collect::<Vec<_>>(),
    ));
    let Ok(batch) = RecordBatch::try_new(schema.clone(), columns.into_iter().map(|(_, c)| c).collect()) else {
        return;
    };
    let Some(month) = kodomo_rules::YearMonth::new(i32::from(input.year % 40) + 2005, u32::from(input.month % 12) + 1)
    else {
        return;
    };
    let settings = population::Settings {
        month,
        per_child: input.per_child,
        threads: 1,
        max_persons: usize::from(input.max_persons).max(1),
    };
    let _ = population::evaluate(&ENGINE, &[batch], &schema, settings, &|| false);
});
