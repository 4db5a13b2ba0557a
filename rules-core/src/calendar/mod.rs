//! The legal calendar: age attainment (年齢計算ニ関スル法律), 年度 (fiscal years, April–March),
//! "n歳に達する日以後の最初の3月31日", and calendar months.
//!
//! Every age test in every scheme goes through these helpers; no scheme does date arithmetic of
//! its own.

mod year_month;

pub use year_month::{ParseYearMonthError, YearMonth};

use chrono::{Datelike, NaiveDate};

/// The day a person born on `birth` reaches (達する) age `n`.
///
/// 年齢計算ニ関スル法律 1項・2項 count age from the day of birth (初日算入) and apply 民法143条: a
/// year of age ends on the day before the anniversary, so age `n` is reached on the day before the
/// `n`-th birthday. For a 29 February birth in a year with no 29 February, 民法143条2項 ends the
/// period on the last day of February, i.e. 28 February (FACTS.md §0, A1).
/// Returns `None` only beyond chrono's date range.
pub fn age_reached_on(birth: NaiveDate, n: u32) -> Option<NaiveDate> {
    months_reached_on(birth, n.checked_mul(12)?)
}

/// The day a person born on `birth` reaches the age of `months` months (1歳2か月, 1歳6か月 …):
/// the day before the same date `months` months later, or, when that month has no such date
/// (a birth on the 29th–31st), that month's last day (民法143条2項ただし書).
pub fn months_reached_on(birth: NaiveDate, months: u32) -> Option<NaiveDate> {
    let later = birth.checked_add_months(chrono::Months::new(months))?;
    if later.day() == birth.day() {
        later.pred_opt()
    } else {
        // No such date: checked_add_months gave the month's last day.
        Some(later)
    }
}

/// 年度 (fiscal year, 1 April – 31 March) containing `date`, named by the year it starts in.
pub fn fiscal_year(date: NaiveDate) -> i32 {
    if date.month() >= 4 {
        date.year()
    } else {
        date.year() - 1
    }
}

/// The first 31 March on or after `date` (that day itself when `date` is 31 March).
pub fn first_march_31_on_or_after(date: NaiveDate) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(fiscal_year(date) + 1, 3, 31)
}

/// "n歳に達する日以後の最初の3月31日" — the end of the school year in which age `n` is reached.
///
/// Because a child born on 1 April reaches `n` on 31 March, that day is its own 年度末: 1 April
/// births leave a year earlier than 2 April births (FACTS.md §0, §10.1).
pub fn fiscal_year_end_after_age(birth: NaiveDate, n: u32) -> Option<NaiveDate> {
    first_march_31_on_or_after(age_reached_on(birth, n)?)
}

/// The month of [`fiscal_year_end_after_age`] (always a March), in closed form for hot paths.
///
/// Equal to the definitional helper for every date (tested exhaustively): age `n` is reached in the
/// fiscal year that starts in `year + n − 1` for births from 2 January to 1 April (the day before the
/// birthday falls in January–March, or is 31 December for 1 January births), and in `year + n`
/// for births from 2 April on.
pub fn fiscal_year_end_month_after_age(birth: NaiveDate, n: u32) -> YearMonth {
    let late = (birth.month(), birth.day()) >= (4, 2);
    let n = i32::try_from(n).unwrap_or(i32::MAX);
    YearMonth::from_parts_saturating(birth.year().saturating_add(n).saturating_add(i32::from(late)), 3)
}

/// The calendar month of the `n`-th birthday (for 29 February births: February).
///
/// 児童手当 pays the 3歳未満 rate through this month (第6条: "月の初日に生まれた児童については、
/// 出生の日から三年を経過しない児童" — FACTS.md §1.3, J2, J26).
pub fn birthday_month(birth: NaiveDate, n: u32) -> YearMonth {
    YearMonth::from_parts_saturating(birth.year().saturating_add(i32::try_from(n).unwrap_or(i32::MAX)), birth.month())
}

#[cfg(test)]
mod tests;
