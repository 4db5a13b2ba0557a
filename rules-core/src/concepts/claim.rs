//! When an application (認定請求) starts payment: the month after the month it was made, or — where
//! a scheme has a 15日特例 (児童手当法第8条第3項) — the month after a birth or move it follows within
//! the grace days (counted from the day after the event). Shared by every monthly scheme.

use crate::calendar::YearMonth;
use chrono::NaiveDate;

/// The first month an application made on `date` covers: the month after `date`, or the month
/// after an `events` date it follows within `grace_days` days (none: `grace_days` 0).
pub(crate) fn start_month(date: NaiveDate, events: impl IntoIterator<Item = NaiveDate>, grace_days: u32) -> YearMonth {
    let within = |event: NaiveDate| {
        event <= date
            && event.checked_add_days(chrono::Days::new(u64::from(grace_days))).is_none_or(|last| date <= last)
    };
    events
        .into_iter()
        .filter(|&e| grace_days > 0 && within(e))
        .map(|e| YearMonth::of(e).next())
        .fold(YearMonth::of(date).next(), YearMonth::min)
}

#[cfg(test)]
mod tests {
    use super::start_month;

    fn d(s: &str) -> chrono::NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn the_fifteen_day_rule() {
        // FACTS.md §1.6 (J5, J36): born 4/30, applied by 5/15 → from 5月分; applied 5/16 → from 6月分.
        let ym = |s: &str| s.parse().expect("month");
        assert_eq!(start_month(d("2025-05-15"), [d("2025-04-30")], 15), ym("2025-05"));
        assert_eq!(start_month(d("2025-05-16"), [d("2025-04-30")], 15), ym("2025-06"));
        // Without a 15日特例 (児童扶養手当法第7条): the month after the application only.
        assert_eq!(start_month(d("2025-05-15"), [d("2025-04-30")], 0), ym("2025-06"));
        // An event after the application does not count.
        assert_eq!(start_month(d("2025-04-20"), [d("2025-04-30")], 15), ym("2025-05"));
    }
}
