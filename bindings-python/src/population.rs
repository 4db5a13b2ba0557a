//! Arrow long format (one row per person) → the core's population builder → Arrow results.
//! Conversion only: grouping rows into households, reading typed columns, naming bad cells.

use arrow_array::builder::{Int64Builder, StringBuilder, UInt32Builder, UInt64Builder};
use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Int64Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use chrono::NaiveDate;
use kodomo_rules::household::Deductions;
use kodomo_rules::{
    BatchOutcome, ChildOutcome, Engine, ErrorCode, ExtendedCare, IncomeInput, IncomeYear, InputError, PersonRow, Role,
    YearMonth,
};
use std::collections::HashSet;
use std::sync::Arc;

/// The columns that are neither integers nor booleans.
const BASE: [&str; 4] = ["household_id", "role", "birth_date", "death_date"];

/// Every column the long format knows, in documentation order; anything else is an error (nothing
/// is silently ignored). Exposed to Python as `kodomo_rules.POPULATION_COLUMNS`.
pub(crate) fn columns() -> impl Iterator<Item = &'static str> {
    BASE.into_iter().chain(BOOLS).chain(INTS)
}

fn err(code: ErrorCode, path: String, message: impl Into<String>) -> InputError {
    InputError::new(code, path, message)
}

/// One batch's columns, cast once to the types the rows need and resolved by position.
struct Columns {
    key_int: Option<ArrayRef>,
    key_str: Option<ArrayRef>,
    role: ArrayRef,
    /// Integer columns in `INTS` order.
    ints: Vec<Option<arrow_array::Int64Array>>,
    /// `birth_date`, `death_date`.
    dates: [Option<arrow_array::Date32Array>; 2],
    /// Boolean columns in `BOOLS` order.
    bools: Vec<Option<arrow_array::BooleanArray>>,
}

const INTS: [&str; 12] = [
    "salary",
    "employment_income",
    "pension_income",
    "other_income",
    "dependants",
    "other_dependants",
    "elderly_dependants",
    "deductions_casualty_loss",
    "deductions_medical",
    "deductions_small_business_mutual_aid",
    "deductions_disabled",
    "deductions_specially_disabled",
];
const BOOLS: [&str; 6] = [
    "in_care",
    "extended_care",
    "deductions_widow",
    "deductions_single_parent",
    "deductions_working_student",
    "income_adjustment",
];
// Positions in INTS and BOOLS.
const SALARY: usize = 0;
const EMPLOYMENT: usize = 1;
const PENSION: usize = 2;
const OTHER: usize = 3;
const DEPENDANTS: usize = 4;
const OTHER_DEPENDANTS: usize = 5;
const ELDERLY: usize = 6;
const CASUALTY: usize = 7;
const MEDICAL: usize = 8;
const MUTUAL_AID: usize = 9;
const DISABLED: usize = 10;
const SPECIALLY: usize = 11;
const IN_CARE: usize = 0;
const EXTENDED: usize = 1;
const WIDOW: usize = 2;
const SINGLE_PARENT: usize = 3;
const WORKING_STUDENT: usize = 4;
const ADJUSTMENT: usize = 5;

fn cast(col: &ArrayRef, to: &DataType, name: &str) -> Result<ArrayRef, InputError> {
    let options = arrow_cast::CastOptions { safe: false, ..Default::default() };
    arrow_cast::cast_with_options(col, to, &options).map_err(|e| {
        err(
            ErrorCode::InvalidType,
            format!("/columns/{name}"),
            format!("cannot read column {name} ({}) as {to}: {e}", col.data_type()),
        )
    })
}

fn int_column(col: &ArrayRef, name: &str, offset: usize) -> Result<ArrayRef, InputError> {
    match col.data_type() {
        t if t.is_integer() || matches!(t, DataType::Null) => cast(col, &DataType::Int64, name),
        DataType::Float16
        | DataType::Float32
        | DataType::Float64
        | DataType::Decimal128(..)
        | DataType::Decimal256(..) => {
            let f = cast(col, &DataType::Float64, name)?;
            let f = f.as_primitive::<arrow_array::types::Float64Type>();
            for (i, v) in f.iter().enumerate() {
                if v.is_some_and(|v| v.fract() != 0.0 || !v.is_finite()) {
                    return Err(err(
                        ErrorCode::InvalidType,
                        format!("/rows/{}/{name}", offset + i),
                        "expected a whole number (money is integer yen)",
                    ));
                }
            }
            cast(col, &DataType::Int64, name)
        }
        t => Err(err(
            ErrorCode::InvalidType,
            format!("/columns/{name}"),
            format!("column {name} must hold whole numbers, not {t}"),
        )),
    }
}

/// Whether a column holds text (plain, large, view, or dictionary-encoded as pandas categoricals).
fn is_text(t: &DataType) -> bool {
    match t {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null => true,
        DataType::Dictionary(_, v) => is_text(v),
        _ => false,
    }
}

/// The column types each kind of column accepts; every other type is an error naming the column
/// (no silent coercion: a float id, a number as a date, 0/1 as a boolean).
fn check_type(col: &ArrayRef, name: &str, kind: &str, ok: bool) -> Result<(), InputError> {
    if ok {
        return Ok(());
    }
    Err(err(
        ErrorCode::InvalidType,
        format!("/columns/{name}"),
        format!("column {name} must hold {kind}, not {}", col.data_type()),
    ))
}

/// A date column: dates, ISO `YYYY-MM-DD` text, or time zone-free timestamps at midnight (pandas
/// and polars datetimes). A time of day or a time zone is an error: the calendar date would be a
/// guess.
fn date_column(col: &ArrayRef, name: &str, offset: usize) -> Result<ArrayRef, InputError> {
    match col.data_type() {
        DataType::Date32 | DataType::Null => {}
        t if is_text(t) => {}
        DataType::Date64 | DataType::Timestamp(_, None) => {
            let ms = cast(col, &DataType::Timestamp(arrow_schema::TimeUnit::Millisecond, None), name)?;
            let ms = ms.as_primitive::<arrow_array::types::TimestampMillisecondType>();
            if let Some(i) = ms.iter().position(|v| v.is_some_and(|v| v.rem_euclid(86_400_000) != 0)) {
                return Err(err(
                    ErrorCode::InvalidType,
                    format!("/rows/{}/{name}", offset + i),
                    "has a time of day: give the calendar date",
                ));
            }
        }
        DataType::Timestamp(_, Some(tz)) => {
            return Err(err(
                ErrorCode::InvalidType,
                format!("/columns/{name}"),
                format!("column {name} has time zone {tz}: give calendar dates (the date would depend on the zone)"),
            ))
        }
        t => check_type(col, name, "dates", matches!(t, DataType::Date32))?,
    }
    cast(col, &DataType::Date32, name)
}

/// Every column known, none twice, the required ones present (checked even for an empty table).
pub(crate) fn check_schema(schema: &Schema) -> Result<(), InputError> {
    let mut seen = HashSet::new();
    for f in schema.fields() {
        if !columns().any(|c| c == f.name()) {
            let known: Vec<&str> = columns().collect();
            return Err(err(
                ErrorCode::UnknownField,
                format!("/columns/{}", f.name()),
                format!("unknown column {:?}; the long format has: {}", f.name(), known.join(", ")),
            ));
        }
        if !seen.insert(f.name().as_str()) {
            return Err(err(
                ErrorCode::InvalidValue,
                format!("/columns/{}", f.name()),
                format!("column {:?} appears twice", f.name()),
            ));
        }
    }
    for name in ["household_id", "role", "birth_date"] {
        if !seen.contains(name) {
            return Err(err(ErrorCode::MissingField, format!("/columns/{name}"), format!("column {name} is required")));
        }
    }
    Ok(())
}

impl Columns {
    /// Read a batch whose schema passed [`check_schema`].
    fn read(batch: &RecordBatch, offset: usize) -> Result<Self, InputError> {
        let get = |name: &str| batch.column_by_name(name).cloned();
        let required = |name: &str| {
            get(name).ok_or_else(|| {
                err(ErrorCode::MissingField, format!("/columns/{name}"), format!("column {name} is required"))
            })
        };
        let key = required("household_id")?;
        check_type(&key, "household_id", "integers or text", key.data_type().is_integer() || is_text(key.data_type()))?;
        let (key_int, key_str) = if key.data_type().is_integer() {
            (Some(cast(&key, &DataType::Int64, "household_id")?), None)
        } else {
            (None, Some(cast(&key, &DataType::Utf8, "household_id")?))
        };
        let role = required("role")?;
        check_type(&role, "role", "text (\"parent\" or \"child\")", is_text(role.data_type()))?;
        let role = cast(&role, &DataType::Utf8, "role")?;
        required("birth_date")?;
        let mut ints = Vec::with_capacity(INTS.len());
        for name in INTS {
            ints.push(
                get(name)
                    .map(|c| int_column(&c, name, offset))
                    .transpose()?
                    .map(|c| c.as_primitive::<Int64Type>().clone()),
            );
        }
        let date = |name: &str| -> Result<Option<arrow_array::Date32Array>, InputError> {
            Ok(get(name)
                .map(|c| date_column(&c, name, offset))
                .transpose()?
                .map(|c| c.as_primitive::<Date32Type>().clone()))
        };
        let dates = [date("birth_date")?, date("death_date")?];
        let mut bools = Vec::with_capacity(BOOLS.len());
        for name in BOOLS {
            let column = get(name);
            if let Some(c) = &column {
                check_type(c, name, "booleans", matches!(c.data_type(), DataType::Boolean | DataType::Null))?;
            }
            bools.push(column.map(|c| cast(&c, &DataType::Boolean, name)).transpose()?.map(|c| c.as_boolean().clone()));
        }
        Ok(Self { key_int, key_str, role, ints, dates, bools })
    }

    fn int(&self, col: usize, i: usize) -> Option<i64> {
        let a = self.ints[col].as_ref()?;
        a.is_valid(i).then(|| a.value(i))
    }

    fn count(&self, col: usize, i: usize, row: usize) -> Result<Option<u32>, InputError> {
        self.int(col, i)
            .map(|v| {
                u32::try_from(v).map_err(|_| {
                    err(ErrorCode::InvalidValue, format!("/rows/{row}/{}", INTS[col]), "must be a count 0 or more")
                })
            })
            .transpose()
    }

    /// A date cell; a day count no calendar date has (found by fuzzing: it overflowed) is an error.
    fn date(&self, col: usize, i: usize, row: usize) -> Result<Option<NaiveDate>, InputError> {
        let Some(a) = self.dates[col].as_ref().filter(|a| a.is_valid(i)) else { return Ok(None) };
        a.value(i).checked_add(719_163).and_then(NaiveDate::from_num_days_from_ce_opt).map(Some).ok_or_else(|| {
            let name = if col == 0 { "birth_date" } else { "death_date" };
            err(ErrorCode::InvalidDate, format!("/rows/{row}/{name}"), "is outside the calendar")
        })
    }

    fn boolean(&self, col: usize, i: usize) -> Option<bool> {
        let a = self.bools[col].as_ref()?;
        a.is_valid(i).then(|| a.value(i))
    }

    fn row(&self, i: usize, row: usize) -> Result<PersonRow, InputError> {
        let role = self.role.as_string::<i32>();
        let role = match role.is_valid(i).then(|| role.value(i)) {
            Some("parent") => Role::Parent,
            Some("child") => Role::Child,
            other => {
                return Err(err(
                    ErrorCode::InvalidValue,
                    format!("/rows/{row}/role"),
                    format!("expected \"parent\" or \"child\", got {other:?}"),
                ))
            }
        };
        let known = [SALARY, EMPLOYMENT, PENSION, OTHER].iter().any(|&c| self.int(c, i).is_some());
        // A child's own income is not read here (children count as having none, e.g. for the
        // 所得金額調整控除): a non-zero amount on a child's row is an error, not silently dropped.
        if role == Role::Child {
            if let Some(&c) =
                [SALARY, EMPLOYMENT, PENSION, OTHER].iter().find(|&&c| self.int(c, i).is_some_and(|v| v != 0))
            {
                return Err(err(
                    ErrorCode::InvalidValue,
                    format!("/rows/{row}/{}", INTS[c]),
                    "a child's own income is not read by the population path; evaluate that household with Engine.evaluate",
                ));
            }
        }
        let income = (role == Role::Parent && known)
            .then(|| -> Result<IncomeYear, InputError> {
                Ok(IncomeYear {
                    salary: self.int(SALARY, i),
                    employment_income: self.int(EMPLOYMENT, i),
                    pension_income: self.int(PENSION, i).unwrap_or(0),
                    other_income: self.int(OTHER, i).unwrap_or(0),
                    deductions: Deductions {
                        casualty_loss: self.int(CASUALTY, i).unwrap_or(0),
                        medical: self.int(MEDICAL, i).unwrap_or(0),
                        small_business_mutual_aid: self.int(MUTUAL_AID, i).unwrap_or(0),
                        disabled: self.count(DISABLED, i, row)?.unwrap_or(0),
                        specially_disabled: self.count(SPECIALLY, i, row)?.unwrap_or(0),
                        widow: self.boolean(WIDOW, i).unwrap_or(false),
                        single_parent: self.boolean(SINGLE_PARENT, i).unwrap_or(false),
                        working_student: self.boolean(WORKING_STUDENT, i).unwrap_or(false),
                        spouse_special: 0,
                    },
                    dependants: self.count(DEPENDANTS, i, row)?,
                    other_dependants: self.count(OTHER_DEPENDANTS, i, row)?,
                    elderly_dependants: self.count(ELDERLY, i, row)?.unwrap_or(0),
                    // The population path is 児童手当, whose 所得額 reads neither.
                    child_support: 0,
                    specified_dependants: 0,
                    income_adjustment: self.boolean(ADJUSTMENT, i),
                })
            })
            .transpose()?;
        Ok(PersonRow {
            role,
            birth_date: self.date(0, i, row)?,
            death_date: self.date(1, i, row)?,
            in_care: self.boolean(IN_CARE, i).unwrap_or(true),
            extended_care: self.boolean(EXTENDED, i).map(|confirmed| ExtendedCare { confirmed, confirmed_on: None }),
            income,
        })
    }
}

/// A household key: an integer id or a string id.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Key {
    Int(i64),
    Str(String),
}

/// Why an evaluation stopped.
pub(crate) enum Stop {
    /// Bad input, naming the row or column.
    Input(InputError),
    /// `interrupted` said so (Ctrl-C in Python).
    Interrupted,
}

impl From<InputError> for Stop {
    fn from(e: InputError) -> Self {
        Stop::Input(e)
    }
}

/// What to evaluate and within which limits.
pub(crate) struct Settings {
    pub(crate) month: YearMonth,
    pub(crate) per_child: bool,
    pub(crate) threads: usize,
    pub(crate) max_persons: usize,
}

/// Rows read between two checks of `interrupted`.
const CHECK_EVERY: usize = 1 << 16;

/// Evaluate a long-format table: returns one row per household (and per child if asked).
/// `interrupted` is asked every [`CHECK_EVERY`] rows; households above `max_persons` are errors.
pub(crate) fn evaluate(
    engine: &Engine,
    batches: &[RecordBatch],
    schema: &SchemaRef,
    settings: Settings,
    interrupted: &dyn Fn() -> bool,
) -> Result<(RecordBatch, Option<RecordBatch>), Stop> {
    let Settings { month, per_child, threads, max_persons } = settings;
    check_schema(schema)?;
    let mut builder = engine.population_builder(month).max_persons(max_persons);
    let mut keys: Vec<Key> = Vec::new();
    let mut seen: HashSet<Key> = HashSet::new();
    let mut rows: Vec<PersonRow> = Vec::with_capacity(8);
    let mut child_rows: Vec<u64> = Vec::new();
    let mut child_start: Vec<u32> = Vec::new();
    let (mut first_row, mut row) = (0usize, 0usize);
    let mut current: Option<Key> = None;
    let flush = |rows: &mut Vec<PersonRow>, first_row: usize, builder: &mut kodomo_rules::PopulationBuilder<'_>| {
        let r = builder.push_household(rows, first_row);
        rows.clear();
        r
    };
    for batch in batches {
        let cols = Columns::read(batch, row)?;
        for i in 0..batch.num_rows() {
            let key = match (&cols.key_int, &cols.key_str) {
                (Some(a), _) => {
                    let a = a.as_primitive::<Int64Type>();
                    a.is_valid(i).then(|| Key::Int(a.value(i)))
                }
                (_, Some(a)) => {
                    let a = a.as_string::<i32>();
                    a.is_valid(i).then(|| Key::Str(a.value(i).to_owned()))
                }
                _ => None,
            }
            .ok_or_else(|| err(ErrorCode::MissingField, format!("/rows/{row}/household_id"), "household_id is null"))?;
            if current.as_ref() != Some(&key) {
                if let Some(done) = current.take() {
                    flush(&mut rows, first_row, &mut builder)?;
                    keys.push(done);
                }
                if !seen.insert(key.clone()) {
                    return Err(Stop::Input(err(
                        ErrorCode::InvalidValue,
                        format!("/rows/{row}/household_id"),
                        "this household's rows are not contiguous (sort the table by household_id)",
                    )));
                }
                child_start.push(child_rows.len() as u32);
                current = Some(key);
                first_row = row;
            }
            if rows.len() >= max_persons {
                return Err(Stop::Input(err(
                    ErrorCode::InvalidValue,
                    format!("/rows/{row}/household_id"),
                    format!("a household has at most {max_persons} persons (max_persons)"),
                )));
            }
            if row % CHECK_EVERY == CHECK_EVERY - 1 && interrupted() {
                return Err(Stop::Interrupted);
            }
            let person = cols.row(i, row)?;
            if person.role == Role::Child {
                child_rows.push(row as u64);
            }
            rows.push(person);
            row += 1;
        }
    }
    if let Some(done) = current.take() {
        flush(&mut rows, first_row, &mut builder)?;
        keys.push(done);
    }
    let population = builder.finish();
    let n = population.len();
    // No more threads than cores (the caller's number is an upper bound).
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let chunk = n.div_ceil(threads.clamp(1, cores)).max(1);
    let mut outcomes: Vec<BatchOutcome> = Vec::with_capacity(n);
    let mut children: Vec<ChildOutcome> = Vec::new();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .step_by(chunk)
            .map(|start| {
                let population = &population;
                s.spawn(move || {
                    let mut out = Vec::with_capacity(chunk);
                    let mut kids = Vec::new();
                    let range = start..(start + chunk).min(n);
                    engine.evaluate_population_range(
                        population,
                        month,
                        range,
                        &mut out,
                        per_child.then_some(&mut kids),
                    );
                    (out, kids)
                })
            })
            .collect();
        for h in handles {
            if let Ok((out, kids)) = h.join() {
                outcomes.extend(out);
                children.extend(kids);
            }
        }
    });
    if outcomes.len() != n {
        return Err(Stop::Input(err(ErrorCode::InvalidValue, String::new(), "a worker thread failed")));
    }
    if interrupted() {
        return Err(Stop::Interrupted);
    }
    let households = households_batch(&keys, &outcomes, &population)?;
    let children = per_child.then(|| children_batch(&keys, &children, &child_rows, &child_start)).transpose()?;
    Ok((households, children))
}

fn key_column(keys: &[Key], pick: impl Iterator<Item = usize>) -> (ArrayRef, DataType) {
    let idx: Vec<usize> = pick.collect();
    if matches!(keys.first(), Some(Key::Str(_))) {
        let mut b = StringBuilder::new();
        for i in idx {
            match &keys[i] {
                Key::Str(s) => b.append_value(s),
                Key::Int(v) => b.append_value(v.to_string()),
            }
        }
        (Arc::new(b.finish()), DataType::Utf8)
    } else {
        let mut b = Int64Builder::with_capacity(idx.len());
        for i in idx {
            match &keys[i] {
                Key::Int(v) => b.append_value(*v),
                Key::Str(_) => b.append_null(),
            }
        }
        (Arc::new(b.finish()), DataType::Int64)
    }
}

fn batch(columns: Vec<(&str, DataType, bool, ArrayRef)>) -> Result<RecordBatch, InputError> {
    let fields: Vec<Field> = columns.iter().map(|(n, t, null, _)| Field::new(*n, t.clone(), *null)).collect();
    let arrays: Vec<ArrayRef> = columns.into_iter().map(|c| c.3).collect();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
        .map_err(|e| err(ErrorCode::InvalidValue, String::new(), format!("building the result: {e}")))
}

fn households_batch(
    keys: &[Key],
    outcomes: &[BatchOutcome],
    population: &kodomo_rules::Population,
) -> Result<RecordBatch, InputError> {
    let (key, key_type) = key_column(keys, 0..keys.len());
    let mut status = StringBuilder::new();
    let (mut amount, mut min, mut max, mut income) =
        (Int64Builder::new(), Int64Builder::new(), Int64Builder::new(), Int64Builder::new());
    for (h, o) in outcomes.iter().enumerate() {
        status.append_value(o.status.as_str());
        amount.append_value(o.amount);
        min.append_value(o.min);
        max.append_value(o.max);
        match population.income(h) {
            IncomeInput::Known(v) => income.append_value(v),
            _ => income.append_null(),
        }
    }
    batch(vec![
        ("household_id", key_type, true, key),
        ("status", DataType::Utf8, false, Arc::new(status.finish())),
        ("amount", DataType::Int64, false, Arc::new(amount.finish())),
        ("min_amount", DataType::Int64, false, Arc::new(min.finish())),
        ("max_amount", DataType::Int64, false, Arc::new(max.finish())),
        ("claimant_income", DataType::Int64, true, Arc::new(income.finish())),
    ])
}

fn children_batch(
    keys: &[Key],
    children: &[ChildOutcome],
    child_rows: &[u64],
    child_start: &[u32],
) -> Result<RecordBatch, InputError> {
    let (key, key_type) = key_column(keys, children.iter().map(|c| c.household as usize));
    let (mut row, mut band, mut rank, mut amount) =
        (UInt64Builder::new(), StringBuilder::new(), UInt32Builder::new(), Int64Builder::new());
    for c in children {
        let index = child_start[c.household as usize] as usize + c.child as usize;
        row.append_value(child_rows.get(index).copied().unwrap_or(u64::MAX));
        band.append_value(c.band.as_str());
        rank.append_option(c.rank);
        amount.append_option(c.amount);
    }
    batch(vec![
        ("household_id", key_type, true, key),
        ("row", DataType::UInt64, false, Arc::new(row.finish())),
        ("band", DataType::Utf8, false, Arc::new(band.finish())),
        ("rank", DataType::UInt32, true, Arc::new(rank.finish())),
        ("amount", DataType::Int64, true, Arc::new(amount.finish())),
    ])
}
