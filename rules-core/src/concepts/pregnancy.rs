//! Facts of a pregnancy that several schemes read, derived once: whether its end is a 出産 (妊娠
//! 85日以上), how many babies it gave, whether it is a 多胎妊娠, the inputs' JSON pointers, and the
//! 産前産後期間 (the months around a birth whose premiums are waived).

use crate::calendar::YearMonth;
use crate::concepts::on_day::{value_on, Body, Draft};
use crate::household::{OutcomeKind, Pregnancy, PregnancyOutcome, ValidHousehold};
use crate::ruleset::{Param, Validity};
use chrono::{Months, NaiveDate};

/// A pregnancy of the household with its index and the index of the pregnant person.
pub(crate) struct PregnancyRef<'a> {
    pub(crate) index: usize,
    pub(crate) person: usize,
    pub(crate) g: &'a Pregnancy,
}

impl<'a> PregnancyRef<'a> {
    /// Every pregnancy of a validated household (each person reference resolved).
    pub(crate) fn all(hh: &'a ValidHousehold) -> impl Iterator<Item = PregnancyRef<'a>> + 'a {
        hh.pregnancies.iter().enumerate().filter_map(|(index, g)| {
            let person = hh.persons.iter().position(|p| p.id == g.person)?;
            Some(PregnancyRef { index, person, g })
        })
    }

    /// The JSON pointer of the pregnancy, or of one of its fields (`"fetuses"`).
    pub(crate) fn at(&self, field: &str) -> String {
        if field.is_empty() {
            format!("/pregnancies/{}", self.index)
        } else {
            format!("/pregnancies/{}/{field}", self.index)
        }
    }

    /// The JSON pointer of a field of the pregnant person.
    pub(crate) fn person_at(&self, field: &str) -> String {
        format!("/persons/{}/{field}", self.person)
    }

    /// Whether the end of the pregnancy is a 出産 in the sense of the health insurance laws: 妊娠
    /// 85日以上, live birth, stillbirth, miscarriage and abortion alike (昭和3年 保理第644号).
    /// `None`: the gestation is not given for an end other than a live birth (a live birth counts
    /// unless its gestation is given and shorter).
    pub(crate) fn is_childbirth(o: &PregnancyOutcome, min_days: u32) -> Option<bool> {
        match (o.gestation_days, o.kind) {
            (Some(d), _) => Some(d >= min_days),
            (None, OutcomeKind::Birth) => Some(true),
            (None, _) => None,
        }
    }

    /// 出産した児の数: as given, else the live-born children listed, else the 胎児の数.
    pub(crate) fn babies(&self, o: &PregnancyOutcome) -> Option<u32> {
        o.babies.or_else(|| (!o.children.is_empty()).then_some(o.children.len() as u32)).or(self.g.fetuses)
    }

    /// 多胎妊娠: two or more fetuses or babies.
    pub(crate) fn multiple(&self) -> bool {
        let babies = self.g.outcome.as_ref().and_then(|o| self.babies(o));
        self.g.fetuses.max(babies).is_some_and(|n| n >= 2)
    }
}

/// The figures of a 産前産後期間 rule (国民年金法第88条の2; 国民健康保険法施行令第29条の7第5項
/// 第9号): months before the base month (前月), before it for a 多胎妊娠 (三月前), after it
/// (翌々月); the 届出 from `notify` months before the due date; a 出産 is 妊娠 `min_days` days
/// or more.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Perinatal {
    pub(crate) before: u32,
    pub(crate) before_multiple: u32,
    pub(crate) after: u32,
    pub(crate) notify: u32,
    pub(crate) min_days: u32,
}

impl PregnancyRef<'_> {
    /// The day the 産前産後期間 is counted from when nothing else decides: the due date, else
    /// the day the pregnancy ended.
    pub(crate) fn base_day(&self) -> Option<NaiveDate> {
        self.g.due_date.or(self.g.outcome.as_ref().map(|o| o.date))
    }

    /// The 産前産後期間 rule on the pregnancy's base day (not before the ruleset's first month):
    /// `params` are its months before, before for a 多胎妊娠, after, the 届出 months before the
    /// due date and the least gestation days. `None`, recorded in `draft`: no due date nor end
    /// (`due_date` missing), or the rule not in force then.
    pub(crate) fn perinatal_rule<B: Body>(
        &self,
        valid: &Validity,
        params: [&Param<u32>; 5],
        draft: &mut Draft<B>,
    ) -> Option<Perinatal> {
        let Some(day) = self.base_day() else {
            draft.missing(self.at("due_date"));
            return None;
        };
        let [before, before_multiple, after, notify, min_days] =
            params.map(|p| value_on(p, day.max(valid.from.first_day())).copied());
        let rule = (|| {
            Some(Perinatal {
                before: before?,
                before_multiple: before_multiple?,
                after: after?,
                notify: notify?,
                min_days: min_days?,
            })
        })();
        if rule.is_none() {
            draft.not_in_force = true;
        }
        rule
    }

    /// The first day the 届出 may be made, when it is by `as_of`: `notify` months before the due
    /// date, and in any case once the pregnancy has ended as a 出産. Records in `draft` why not:
    /// the end is not a 出産, its gestation is missing, or the day has not come (`none_due`).
    pub(crate) fn perinatal_opens<B: Body>(
        &self,
        rule: Perinatal,
        as_of: NaiveDate,
        draft: &mut Draft<B>,
    ) -> Option<NaiveDate> {
        let o = self.g.outcome.as_ref();
        if let Some(o) = o {
            match Self::is_childbirth(o, rule.min_days) {
                Some(false) => {
                    draft.because("not_a_birth");
                    return None;
                }
                None => {
                    draft.missing(self.at("outcome/gestation_days"));
                    return None;
                }
                Some(true) => {}
            }
        }
        let before_due = self.g.due_date.and_then(|d| d.checked_sub_months(Months::new(rule.notify)));
        let opens = match (before_due, o.map(|o| o.date)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let opens = opens.filter(|d| *d <= as_of);
        if opens.is_none() {
            draft.because("none_due");
        }
        opens
    }

    /// The months of the 産前産後期間 kept by `keep` (in force, insured then): from `before`
    /// months (`before_multiple` for a 多胎妊娠) before the month of the due date to `after`
    /// months after it. A 届出 (`applied`) after the birth, or none before it, takes the birth
    /// date; one before the birth keeps the due date unless the birth gives more months, which a
    /// 変更届 claims (warning `change_notification`).
    pub(crate) fn perinatal_months<B: Body>(
        &self,
        rule: Perinatal,
        applied: Option<NaiveDate>,
        keep: impl Fn(YearMonth) -> bool,
        draft: &mut Draft<B>,
    ) -> Vec<YearMonth> {
        let back = if self.multiple() { rule.before_multiple } else { rule.before };
        let window = |base: NaiveDate| -> Vec<YearMonth> {
            let month = YearMonth::of(base);
            month.plus(-(back as i32)).through(month.plus(rule.after as i32)).filter(|m| keep(*m)).collect()
        };
        let birth = self.g.outcome.as_ref().map(|o| o.date);
        match (self.g.due_date, birth) {
            (Some(due), Some(b)) if applied.is_some_and(|a| a < b) => {
                let (by_due, by_birth) = (window(due), window(b));
                if by_birth.len() > by_due.len() {
                    draft.warn("change_notification");
                    by_birth
                } else {
                    by_due
                }
            }
            (_, Some(b)) => window(b),
            (Some(due), None) => window(due),
            (None, None) => Vec::new(),
        }
    }
}
