//! Each child's key months from the legal calendar, and its band in a month.

use super::*;

impl ChildAllowance {
    /// The key months of a child (legal calendar; closed forms tested against the definitions).
    pub(crate) fn child_keys(
        &self,
        person: usize,
        birth: NaiveDate,
        died: Option<NaiveDate>,
        in_care: bool,
        extended: Extended,
    ) -> ChildKeys {
        let a = self.ages;
        let fy_end = |n| calendar::fiscal_year_end_month_after_age(birth, n);
        ChildKeys {
            dates: ChildDates::new(person, birth, died, in_care, matches!(extended, Extended::From(_))),
            young_last: calendar::birthday_month(birth, a.young),
            primary_last: fy_end(a.primary),
            paid_2012_last: fy_end(a.paid_2012),
            pool_2012_last: fy_end(a.pool_2012),
            paid_2024_last: fy_end(a.paid_2024),
            pool_2024_last: fy_end(a.pool_2024),
            extended,
        }
    }

    /// When an 18–22-year-old's 確認書 counts from (J22, J24): the month after it was submitted,
    /// or the month after the 18歳年度末 when submitted within the grace days after it.
    pub(crate) fn extended_from(&self, birth: NaiveDate, confirmed_on: Option<NaiveDate>) -> YearMonth {
        let Some(on) = confirmed_on else {
            return YearMonth::new(1, 1).unwrap_or(YearMonth::of(NaiveDate::MIN));
        };
        let end = calendar::fiscal_year_end_after_age(birth, self.ages.paid_2024);
        match end {
            Some(end)
                if end.checked_add_signed(Duration::days(i64::from(self.ages.grace_days))).is_none_or(|l| on <= l) =>
            {
                YearMonth::of(end).next()
            }
            _ => YearMonth::of(on).next(),
        }
    }
}

/// The band of a child in a month.
pub(super) fn band(k: &ChildKeys, m: YearMonth) -> Band {
    if let Some(band) = k.dates.outside_life(m) {
        band
    } else if !k.dates.in_care && m <= k.pool_2012_last.max(k.paid_2024_last) {
        // 監護・生計 decides to 18歳年度末; after it the 確認書 (監護相当・生計費の負担) does, and
        // living apart does not disqualify (FACTS.md §1.3, J22–J25).
        Band::NotInCare
    } else if m <= k.young_last {
        Band::Under3
    } else if m <= k.primary_last {
        Band::Primary
    } else if m <= k.paid_2012_last {
        Band::LowerSecondary
    } else if m <= k.pool_2012_last.max(k.paid_2024_last) {
        Band::UpperSecondary
    } else if m <= k.pool_2024_last {
        Band::YoungAdult
    } else {
        Band::Adult
    }
}
