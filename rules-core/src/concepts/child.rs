//! A child's dates as every scheme reads them (出生, 死亡, 監護), and what follows from them alone:
//! the months before a child counts and after it no longer does, the child as the 所得金額調整控除
//! reads it, and the children counted as 扶養親族 at 31 December. Each scheme adds its own key
//! months (年度末 after an age, the month of a birthday) from its rulesets' ages.

use crate::calendar::YearMonth;
use crate::household::{IncomeYear, Person, Role};
use crate::income::{self, YoungDependant};
use crate::schemes::Band;
use chrono::NaiveDate;

/// A child's dates and care, computed once per household.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChildDates {
    /// Index of the person in the household (or of the child in a batch household).
    pub(crate) person: usize,
    /// 生年月日.
    pub(crate) birth: NaiveDate,
    /// The month of birth.
    pub(crate) born: YearMonth,
    /// The month of death, if any.
    pub(crate) died: Option<YearMonth>,
    /// 監護 (and 生計同一) by the household.
    pub(crate) in_care: bool,
    /// A confirmed 監護相当・生計費の負担 (an 18–22-year-old counted as supported).
    pub(crate) supported_adult: bool,
}

impl ChildDates {
    /// The dates of a child born on `birth`.
    pub(crate) fn new(
        person: usize,
        birth: NaiveDate,
        died: Option<NaiveDate>,
        in_care: bool,
        supported_adult: bool,
    ) -> Self {
        ChildDates {
            person,
            birth,
            born: YearMonth::of(birth),
            died: died.map(YearMonth::of),
            in_care,
            supported_adult,
        }
    }

    /// The dates of person `i` of a household, a child with a birth date (supported as an adult:
    /// a confirmed 監護相当・生計費の負担).
    pub(crate) fn of(i: usize, p: &Person) -> Option<Self> {
        let supported = p.extended_care.is_some_and(|e| e.confirmed);
        let birth = p.birth_date.filter(|_| p.role == Role::Child)?;
        Some(Self::new(i, birth, p.death_date, p.in_care, supported))
    }

    /// The band of month `m` when the child does not count in it by its dates: up to the month of
    /// birth (a child counts from the month after it, 出生の日の属する月の翌月から) or after the
    /// month of death.
    pub(crate) fn outside_life(&self, m: YearMonth) -> Option<Band> {
        if m <= self.born {
            Some(Band::NotBorn)
        } else if self.died.is_some_and(|d| m > d) {
            Some(Band::Deceased)
        } else {
            None
        }
    }

    /// Born by 31 December of `year` and alive in that December.
    pub(crate) fn alive_at_year_end(&self, year: i32) -> bool {
        let dec31 = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
        self.birth <= dec31 && self.died.is_none_or(|d| d > YearMonth::of(dec31))
    }

    /// The child as the 所得金額調整控除 reads it (supported: in care, or a confirmed
    /// 監護相当・生計費の負担), with its own income for the year if given.
    pub(crate) fn young_dependant<'a>(&self, income: Option<&'a IncomeYear>) -> YoungDependant<'a> {
        YoungDependant {
            person: self.person as u32,
            birth: self.birth,
            died: self.died,
            in_care: self.in_care || self.supported_adult,
            income,
        }
    }
}

/// 扶養親族等の数 of a claimant for `year` and whether it is exact: the children alive at 31
/// December and supported then — a confirmed 監護相当・生計費の負担, or in care before the day
/// the scheme stops counting care (each child's second item: 20歳に達する日, or the day after the
/// 18歳年度末) — with the dependants the income year gives (`income::dependants_count`).
pub(crate) fn year_end_dependants<'a>(
    children: impl Iterator<Item = (&'a ChildDates, NaiveDate)>,
    iy: &IncomeYear,
    year: i32,
) -> (u32, bool) {
    let dec31 = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
    let supported = |(c, care_ends): &(&ChildDates, NaiveDate)| {
        c.alive_at_year_end(year) && (c.supported_adult || (c.in_care && dec31 < *care_ends))
    };
    let n = children.filter(supported).count();
    income::dependants_count(iy, u32::try_from(n).unwrap_or(u32::MAX))
}
