//! A calendar month (`YYYY-MM`), the unit in which monthly benefits are decided and paid.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A calendar month. Ordered; stored as months since year 0 for O(1) arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth(i32);

/// Years accepted for a month (a wider range is no valid benefit month and risks overflow).
const YEAR_RANGE: std::ops::RangeInclusive<i32> = 1..=9999;

impl YearMonth {
    /// `year`-`month`, or `None` when `month` is not 1–12 or `year` not 1–9999.
    pub fn new(year: i32, month: u32) -> Option<Self> {
        (YEAR_RANGE.contains(&year) && (1..=12).contains(&month)).then(|| Self(year * 12 + month as i32 - 1))
    }

    /// Like [`YearMonth::new`] for arguments known to be in range (clamped otherwise).
    pub(crate) fn from_parts_saturating(year: i32, month: u32) -> Self {
        let year = year.clamp(*YEAR_RANGE.start(), *YEAR_RANGE.end());
        Self(year * 12 + month.clamp(1, 12) as i32 - 1)
    }

    /// The month containing `date`.
    pub fn of(date: NaiveDate) -> Self {
        Self::from_parts_saturating(date.year(), date.month())
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    /// The month, 1–12.
    pub fn month(self) -> u32 {
        self.0.rem_euclid(12) as u32 + 1
    }

    /// `n` months later (earlier for negative `n`).
    pub fn plus(self, n: i32) -> Self {
        Self(self.0.saturating_add(n))
    }

    /// The next month.
    pub fn next(self) -> Self {
        self.plus(1)
    }

    /// Months from `self` to `later` (negative when `later` is earlier).
    pub fn months_until(self, later: Self) -> i32 {
        later.0 - self.0
    }

    /// The first day of the month.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year(), self.month(), 1).unwrap_or(NaiveDate::MIN)
    }

    /// The last day of the month.
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MAX)
    }

    /// Every month from `self` to `last`, both included.
    pub fn through(self, last: Self) -> impl Iterator<Item = YearMonth> + Clone {
        (self.0..=last.0).map(YearMonth)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

/// Why a string is not a month.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a month as YYYY-MM (year 0001-9999, month 01-12), got {0:?}")]
pub struct ParseYearMonthError(pub String);

impl std::str::FromStr for YearMonth {
    type Err = ParseYearMonthError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseYearMonthError(s.to_owned());
        let (y, m) = s.split_once('-').ok_or_else(err)?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        let year = y.parse().map_err(|_| err())?;
        let month = m.parse().map_err(|_| err())?;
        YearMonth::new(year, month).ok_or_else(err)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::json::from_str_value(d)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for YearMonth {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "YearMonth".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$",
            "description": "A calendar month, YYYY-MM"
        })
    }
}
