use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

fn ym(y: i32, m: u32) -> YearMonth {
    YearMonth::new(y, m).expect("valid test month")
}

#[test]
fn age_is_reached_the_day_before_the_birthday() {
    // FACTS.md §0 (A1): born 2009-04-01 becomes 1 on 2010-03-31.
    assert_eq!(age_reached_on(d(2009, 4, 1), 1), Some(d(2010, 3, 31)));
    // A 1 March birth reaches the next age on the last day of February (28th, or 29th in leap years).
    assert_eq!(age_reached_on(d(2019, 3, 1), 1), Some(d(2020, 2, 29)));
    assert_eq!(age_reached_on(d(2020, 3, 1), 1), Some(d(2021, 2, 28)));
    // 1st-of-month births reach age n on the last day of the previous month.
    assert_eq!(age_reached_on(d(2021, 5, 1), 3), Some(d(2024, 4, 30)));
    assert_eq!(age_reached_on(d(2021, 1, 1), 3), Some(d(2023, 12, 31)));
}

#[test]
fn leap_day_births_reach_age_on_28_february() {
    // 民法143条2項: with no 29 February in the final year, the period ends on its last day.
    assert_eq!(age_reached_on(d(2020, 2, 29), 1), Some(d(2021, 2, 28)));
    assert_eq!(age_reached_on(d(2020, 2, 29), 3), Some(d(2023, 2, 28)));
    // In a leap year the anniversary exists: the day before 29 February is the 28th as well.
    assert_eq!(age_reached_on(d(2020, 2, 29), 4), Some(d(2024, 2, 28)));
    assert_eq!(birthday_month(d(2020, 2, 29), 3), ym(2023, 2));
}

#[test]
fn fiscal_year_boundaries() {
    assert_eq!(fiscal_year(d(2024, 3, 31)), 2023);
    assert_eq!(fiscal_year(d(2024, 4, 1)), 2024);
    assert_eq!(fiscal_year(d(2024, 12, 31)), 2024);
    assert_eq!(fiscal_year(d(2025, 1, 1)), 2024);
    assert_eq!(first_march_31_on_or_after(d(2024, 3, 31)), Some(d(2024, 3, 31)));
    assert_eq!(first_march_31_on_or_after(d(2024, 4, 1)), Some(d(2025, 3, 31)));
}

#[test]
fn first_of_april_births_leave_a_year_earlier() {
    // FACTS.md §0, §10.1: 1 April births reach 18 on 31 March, which is their 18歳年度末.
    assert_eq!(fiscal_year_end_after_age(d(2006, 4, 1), 18), Some(d(2024, 3, 31)));
    assert_eq!(fiscal_year_end_after_age(d(2006, 4, 2), 18), Some(d(2025, 3, 31)));
    assert_eq!(fiscal_year_end_after_age(d(2006, 3, 31), 18), Some(d(2024, 3, 31)));
    // 1 January births reach 18 on 31 December, then the next 31 March.
    assert_eq!(fiscal_year_end_after_age(d(2006, 1, 1), 18), Some(d(2024, 3, 31)));
    assert_eq!(fiscal_year_end_after_age(d(2005, 12, 31), 18), Some(d(2024, 3, 31)));
    // 12歳年度末 = 小学校修了 and 15歳年度末 = 中学校修了, same cut-off as 学年.
    assert_eq!(fiscal_year_end_after_age(d(2012, 4, 1), 12), Some(d(2024, 3, 31)));
    assert_eq!(fiscal_year_end_after_age(d(2012, 4, 2), 12), Some(d(2025, 3, 31)));
    assert_eq!(fiscal_year_end_after_age(d(2008, 2, 29), 15), Some(d(2023, 3, 31)));
}

#[test]
fn closed_form_equals_the_definition_for_every_day() {
    let mut day = d(1960, 1, 1);
    while day <= d(2040, 12, 31) {
        for n in [3, 12, 15, 18, 20, 22] {
            let slow = fiscal_year_end_after_age(day, n).map(YearMonth::of);
            assert_eq!(Some(fiscal_year_end_month_after_age(day, n)), slow, "{day} n={n}");
            let reached = age_reached_on(day, n).map(YearMonth::of);
            // The birthday month is the month age n is reached, except for 1st-of-month births
            // (reached on the last day of the previous month).
            let expected = if day.day() == 1 { reached.map(YearMonth::next) } else { reached };
            assert_eq!(Some(birthday_month(day, n)), expected, "{day} n={n}");
        }
        day = day.succ_opt().expect("in range");
    }
}

#[test]
fn year_month_parse_and_arithmetic() {
    assert_eq!("2024-10".parse::<YearMonth>(), Ok(ym(2024, 10)));
    for bad in ["2024-13", "2024-00", "2024-1", "24-10", "2024/10", "", "2024-10-01", "０２４-10"] {
        assert!(bad.parse::<YearMonth>().is_err(), "{bad}");
    }
    assert_eq!(ym(2024, 12).next(), ym(2025, 1));
    assert_eq!(ym(2025, 1).plus(-1), ym(2024, 12));
    assert_eq!(ym(2024, 1).months_until(ym(2025, 3)), 14);
    assert_eq!(ym(2024, 2).last_day(), d(2024, 2, 29));
    assert_eq!(ym(2024, 10).to_string(), "2024-10");
    assert_eq!(ym(2024, 10).through(ym(2025, 1)).count(), 4);
}

#[test]
fn months_of_age_end_the_day_before_the_same_date_or_at_the_month_end() {
    // 民法第143条第2項: the day before the 応当日; no 応当日 → the month's last day.
    assert_eq!(months_reached_on(d(2024, 4, 15), 14), Some(d(2025, 6, 14)));
    assert_eq!(months_reached_on(d(2024, 8, 31), 18), Some(d(2026, 2, 28)));
    assert_eq!(months_reached_on(d(2023, 8, 31), 18), Some(d(2025, 2, 28)));
    assert_eq!(months_reached_on(d(2024, 1, 30), 13), Some(d(2025, 2, 28)));
    assert_eq!(months_reached_on(d(2024, 3, 1), 12), Some(d(2025, 2, 28)));
    assert_eq!(months_reached_on(d(2023, 3, 1), 12), Some(d(2024, 2, 29)));
}
