//! 雇用保険 (employment insurance) facts the leave benefits share, computed once: whether a person
//! qualifies (みなし被保険者期間: 12 months with 11 or more 賃金支払基礎日数 — or 80 hours — in the
//! 2 years before the leave, 雇用保険法第61条の7第1項・第3項, 第14条), the 休業開始時賃金日額 (the
//! last 6 months' wages ÷ 180, within the 下限 and the 30歳以上45歳未満 上限 of the day, 第17条,
//! 第61条の7第6項), the 支給単位期間 of a leave (第61条の7第5項), and the benefit of days at a
//! rate, reduced by pay during the leave (80 %). The shared ruleset is
//! `employment_insurance/leave_benefits`.

use crate::calendar::YearMonth;
use crate::concepts::on_day::{used, value_on, Body, Draft};
use crate::explain::ParamUse;
use crate::household::{Household, LeaveKind, OutcomeKind, WageMonths};
use crate::money::Yen;
use crate::ruleset::{check_counts, check_yen, Param, Parameters, RulesetFile, Validity, ValueStatus, MAX_YEN};
use chrono::{Days, NaiveDate};

/// The value of `p` on `day`: `Ok(None)` when the rule was not in force then (`not_in_force`),
/// `Err(NotKnown)` when the figure is not known or `day` is before the ruleset.
pub(crate) fn rule_on<T>(p: &Param<T>, day: NaiveDate) -> Result<Option<&T>, Gap> {
    match p.at(YearMonth::of(day)) {
        Some(d) if d.status == ValueStatus::NotInForce => Ok(None),
        Some(d) => d.value.as_ref().map(Some).ok_or(Gap::NotKnown),
        None => Err(Gap::NotKnown),
    }
}

/// A child's birth as the leave benefits read it: the child, its birth date, and the pregnancy
/// it came from (its due date and the mother).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Birth<'a> {
    /// The child's person index.
    pub(crate) child: usize,
    /// The birth date (`None`: not given).
    pub(crate) date: Option<NaiveDate>,
    /// The pregnancy's index.
    pub(crate) pregnancy: Option<usize>,
    /// Its 出産予定日.
    pub(crate) due: Option<NaiveDate>,
    /// The birth mother's person id.
    pub(crate) mother: Option<&'a str>,
}

impl<'a> Birth<'a> {
    /// The birth of the child with id `child` (`None`: no such person).
    pub(crate) fn of(hh: &'a Household, child: &str) -> Option<Self> {
        let k = hh.persons.iter().position(|p| p.id == child)?;
        let pregnancy = hh.pregnancies.iter().position(|g| {
            g.outcome.as_ref().is_some_and(|o| o.kind == OutcomeKind::Birth && o.children.iter().any(|c| c == child))
        });
        let g = pregnancy.map(|g| &hh.pregnancies[g]);
        Some(Birth {
            child: k,
            date: hh.persons[k].birth_date,
            pregnancy,
            due: g.and_then(|g| g.due_date),
            mother: g.map(|g| g.person.as_str()),
        })
    }

    /// The first and the last day counted from in the 8 weeks after a birth (第61条の8第1項
    /// 括弧書, also for 第61条の10): the birth or the due date, whichever is earlier, and whichever
    /// is later.
    pub(crate) fn window(&self, birth: NaiveDate) -> (NaiveDate, NaiveDate) {
        (self.due.map_or(birth, |d| d.min(birth)), self.due.map_or(birth, |d| d.max(birth)))
    }

    /// The JSON pointer of the due date (or of the pregnancies, when none is linked).
    pub(crate) fn due_at(&self) -> String {
        self.pregnancy.map_or_else(|| "/pregnancies".to_owned(), |g| format!("/pregnancies/{g}/due_date"))
    }
}

/// Why pay during a leave lowered a benefit of `full` yen to `amount`: `paid_in_full` (nothing
/// left under the 80 %), `reduced_by_pay`, or `None`.
pub(crate) fn pay_reason(amount: Yen, full: Yen) -> Option<&'static str> {
    if amount == 0 {
        Some("paid_in_full")
    } else {
        (amount < full).then_some("reduced_by_pay")
    }
}

/// The last day of the month holding the day `months` months counted from `day` end (初日から
/// 起算して…箇月を経過する日の属する月の末日), the 支給申請 deadlines of 施行規則第101条の30・
/// 第101条の33.
pub(crate) fn month_end_after(day: NaiveDate, months: u32) -> Option<NaiveDate> {
    crate::calendar::months_reached_on(day, months).map(|d| YearMonth::of(d).last_day())
}

/// The value of `p` on `day`, which the rules need (not in force or not known: `NotKnown`).
pub(crate) fn figure<T>(p: &Param<T>, day: NaiveDate) -> Result<&T, Gap> {
    rule_on(p, day)?.ok_or(Gap::NotKnown)
}

/// Whether a leave naming `named` is for the birth of `child`: the same child, or a child of the
/// same 多胎 birth (one pregnancy's outcome: the leave is one, paid once, whichever twin it names).
pub(crate) fn for_birth(hh: &Household, named: Option<&str>, child: &str) -> bool {
    let Some(named) = named else { return false };
    named == child
        || hh.pregnancies.iter().filter_map(|g| g.outcome.as_ref()).any(|o| {
            o.kind == OutcomeKind::Birth
                && o.children.iter().any(|c| c == named)
                && o.children.iter().any(|c| c == child)
        })
}

/// The births person `i` takes leave for (of `kind`, or any), each named by the first child a
/// leave names, in the order of the leaves; a leave naming no child is reported by its index.
pub(crate) fn leave_children(hh: &Household, i: usize, kind: Option<LeaveKind>) -> (Vec<&str>, Vec<usize>) {
    let (mut children, mut unnamed): (Vec<&str>, Vec<usize>) = (Vec::new(), Vec::new());
    let leaves = hh.persons[i].childcare_leave.iter().enumerate();
    for (j, l) in leaves.filter(|(_, l)| kind.is_none_or(|k| l.kind == k)) {
        match l.child.as_deref() {
            Some(c) if !children.iter().any(|k| for_birth(hh, Some(c), k)) => children.push(c),
            Some(_) => {}
            None => unnamed.push(j),
        }
    }
    (children, unnamed)
}

/// What a reading of the 出生時育児休業 parts noted, for the scheme that reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Note {
    /// A reason nothing (more) is paid.
    Because(&'static str),
    /// An input that would decide it.
    Missing(String),
    /// A warning.
    Warn(&'static str),
    /// A leave before 出生時育児休業 began.
    NotInForce,
}

/// One 出生時育児休業 part paid: its days in the window (counted toward the 28) and its pay.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Part {
    pub(crate) from: NaiveDate,
    pub(crate) to: NaiveDate,
    pub(crate) days: u32,
    pub(crate) pay: Yen,
}

/// A child's 出生時育児休業 parts of one person, checked one by one (第61条の8第1項・第2項): the
/// window, two parts, 28 days, work.
#[derive(Debug, Clone, Default)]
pub(crate) struct PostnatalParts {
    /// The first part's first day (its 賃金日額 and qualifying months, 「初回の出生時育児休業」).
    pub(crate) first: Option<NaiveDate>,
    /// The day after the 8 weeks (the 支給申請 opens, 施行規則第101条の33).
    pub(crate) apply_from: Option<NaiveDate>,
    /// The parts paid.
    pub(crate) parts: Vec<Part>,
    /// What the reading noted.
    pub(crate) notes: Vec<Note>,
}

impl PostnatalParts {
    /// The days paid, and the pay of the parts together (第5項).
    pub(crate) fn days_and_pay(&self) -> (u32, Yen) {
        (self.parts.iter().map(|q| q.days).sum(), self.parts.iter().map(|q| q.pay).sum())
    }

    /// Record the notes in `draft`.
    pub(crate) fn record<B: Body>(&self, draft: &mut Draft<B>) {
        for n in &self.notes {
            match n {
                Note::Because(r) => draft.because(r),
                Note::Missing(p) => draft.missing(p.clone()),
                Note::Warn(w) => draft.warn(w),
                Note::NotInForce => draft.not_in_force = true,
            }
        }
    }

    /// The last day the 支給申請 can be made: the end of the month two months on (第101条の33).
    pub(crate) fn apply_by(&self) -> Option<NaiveDate> {
        self.apply_from.and_then(|d| month_end_after(d, 2))
    }
}

/// The 支給単位期間 of a leave from `from` to `to` (第61条の7第5項): from the first day, or each
/// month's 休業開始応当日 (the same date, or the month's last day when it has none), to the day
/// before the next one, the last ending with the leave. First and last day of each.
pub(crate) fn unit_bounds(from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let mut units = Vec::new();
    let mut start = from;
    for k in 1u32.. {
        if start > to {
            break;
        }
        let Some(next) = from.checked_add_months(chrono::Months::new(k)) else {
            units.push((start, to));
            break;
        };
        let end = next.pred_opt().unwrap_or(next).min(to);
        units.push((start, end));
        start = next;
    }
    units
}

/// The parameters of `employment_insurance/leave_benefits`.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LeaveBenefitParams {
    /// 賃金日額の上限 (第17条第4項第2号ハ, as revised every 1 August), by the first day of the
    /// period paid.
    upper: Param<Yen>,
    /// 賃金日額の下限 (第17条第4項第1号).
    lower: Param<Yen>,
    /// Months of wages the 賃金日額 averages (最後の6箇月).
    wage_months: Param<u32>,
    /// Their divisor (百八十).
    divisor: Param<u32>,
    /// Qualifying months needed (十二箇月).
    min_months: Param<u32>,
    /// … within this many months before the leave (二年間).
    lookback_months: Param<u32>,
    /// … lengthened by days without pay for 疾病・負傷等 to at most this many months (四年間).
    max_lookback_months: Param<u32>,
    /// A month counts with this many 賃金支払基礎日数 (十一日以上).
    min_paid_days: Param<u32>,
    /// … or, when the days give too few months, this many hours (八十時間以上).
    min_hours: Param<u32>,
    /// Pay during the leave plus the benefit may reach this percentage of the 賃金日額 × days
    /// (百分の八十).
    pay_limit_percent: Param<u32>,
    /// 出生時育児休業: the days paid in all (二十八日, 第61条の8第2項第2号・第4項).
    postnatal_max_days: Param<u32>,
    /// … the parts paid (the third and later are not, 第2項第1号).
    postnatal_max_parts: Param<u32>,
    /// … the days after the birth (or the due date) the window runs to: 8 weeks, to the day after.
    postnatal_window_days: Param<u32>,
    /// … days of work allowed for a leave of the maximum days (最大10日), in proportion.
    postnatal_work_days: Param<u32>,
    /// … or hours, when more days were worked (80時間).
    postnatal_work_hours: Param<u32>,
}

impl Parameters for LeaveBenefitParams {
    fn validate(&self, validity: &Validity, errors: &mut Vec<(String, String)>) {
        self.upper.validate("upper", validity, errors);
        check_yen("upper", &self.upper, MAX_YEN, |y| vec![*y], errors);
        self.lower.validate("lower", validity, errors);
        check_yen("lower", &self.lower, MAX_YEN, |y| vec![*y], errors);
        for (i, v) in self.lower.values.iter().enumerate() {
            let upper = self.upper.at(v.from).and_then(|u| u.value);
            if v.value.zip(upper).is_some_and(|(l, u)| l > u) {
                errors.push((format!("/parameters/lower/values/{i}/value"), "above the upper limit then".into()));
            }
        }
        let counts = [
            ("wage_months", &self.wage_months),
            ("divisor", &self.divisor),
            ("min_months", &self.min_months),
            ("lookback_months", &self.lookback_months),
            ("max_lookback_months", &self.max_lookback_months),
            ("min_paid_days", &self.min_paid_days),
            ("min_hours", &self.min_hours),
            ("pay_limit_percent", &self.pay_limit_percent),
            ("postnatal_max_days", &self.postnatal_max_days),
            ("postnatal_max_parts", &self.postnatal_max_parts),
            ("postnatal_window_days", &self.postnatal_window_days),
            ("postnatal_work_days", &self.postnatal_work_days),
            ("postnatal_work_hours", &self.postnatal_work_hours),
        ];
        check_counts(&counts, validity, errors);
    }
}

/// Why a benefit cannot be computed for a leave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Gap {
    /// The person's `wage_months` are not given (JSON pointer).
    Missing(String),
    /// A figure of the day is not known (a future 1 August revision).
    NotKnown,
}

impl Gap {
    /// Record it in `draft`: the input missing, or a figure not known.
    pub(crate) fn record<B: Body>(self, draft: &mut Draft<B>) {
        match self {
            Gap::Missing(pointer) => draft.missing(pointer),
            Gap::NotKnown => {
                draft.not_known = true;
                draft.warn("figure_not_known");
            }
        }
    }
}

/// The 賃金日額 of a leave starting on a day, and whether a limit bound it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DailyWage {
    /// The wages of the months averaged ÷ the divisor, 円未満切捨て, within the 下限 and 上限.
    pub(crate) wage: Yen,
    /// The 上限 bound it.
    pub(crate) capped: bool,
}

impl RulesetFile<LeaveBenefitParams> {
    fn on(&self, p: &Param<u32>, day: NaiveDate) -> Result<u32, Gap> {
        value_on(p, day).copied().ok_or(Gap::NotKnown)
    }

    /// The first month of the lookback before `start` (the 2 years of 第61条の7第1項, lengthened by
    /// `extra` days of 疾病・負傷等 without pay, a month for each 30 of them, to at most 4
    /// years), and the last (the month before `start`'s month).
    fn lookback(&self, start: NaiveDate, extra: u32) -> Result<(YearMonth, YearMonth), Gap> {
        let p = &self.parameters;
        let (back, max) = (self.on(&p.lookback_months, start)?, self.on(&p.max_lookback_months, start)?);
        let last = YearMonth::of(start).plus(-1);
        let months = (back + extra / 30).min(max);
        Ok((last.plus(1 - months as i32), last))
    }

    /// Whether the months with 11 days alone give the months needed before `start`.
    fn by_days(&self, months: &WageMonths, start: NaiveDate, extra: u32) -> Result<bool, Gap> {
        let p = &self.parameters;
        let (need, days) = (self.on(&p.min_months, start)?, self.on(&p.min_paid_days, start)?);
        let (first, last) = self.lookback(start, extra)?;
        let n = months.range(first..=last).filter(|(_, w)| w.paid_days >= days).count();
        Ok(n as u32 >= need)
    }

    /// The 80 hours of 第14条第3項 on `day` (`None`: before 2020-08, when only days counted).
    fn hours(&self, day: NaiveDate) -> Result<Option<u32>, Gap> {
        rule_on(&self.parameters.min_hours, day).map(|h| h.copied())
    }

    /// Person `i`'s wage months (missing: their pointer) and the days the lookback is lengthened by.
    fn wages_of(hh: &Household, i: usize) -> (Result<&WageMonths, Gap>, u32) {
        let p = &hh.persons[i];
        let months = p.wage_months.as_ref().ok_or_else(|| Gap::Missing(format!("/persons/{i}/wage_months")));
        (months, p.lookback_extension_days.unwrap_or(0))
    }

    /// Whether person `i` qualifies for a leave starting on `start` (`Ok(false)`: fewer qualifying
    /// months): 12 months with 11 days (or, when those are too few, 80 hours) in the lookback.
    fn qualifies(&self, hh: &Household, i: usize, start: NaiveDate) -> Result<bool, Gap> {
        let (months, extra) = Self::wages_of(hh, i);
        let months = months?;
        let p = &self.parameters;
        let need = self.on(&p.min_months, start)?;
        let (days, hours) = (self.on(&p.min_paid_days, start)?, self.hours(start)?);
        let (first, last) = self.lookback(start, extra)?;
        let window: Vec<_> = months.range(first..=last).map(|(_, w)| w).collect();
        let by_days = window.iter().filter(|w| w.paid_days >= days).count() as u32;
        // 第14条第3項: the hours count only when the days give fewer than the months needed.
        let by_hours = window
            .iter()
            .filter(|w| w.paid_days >= days || hours.is_some_and(|hours| w.hours.is_some_and(|h| h >= hours)))
            .count();
        Ok(by_days >= need || by_hours as u32 >= need)
    }

    /// Whether person `i` qualifies for a leave for the child of `b` starting on `start`, with
    /// the 特例基準日 of a birth mother short of the months (第61条の7第4項, 第61条の10第5項,
    /// 第61条の12第4項): the months counted back from the first day of her 産前産後休業
    /// (`maternity_leave.from`) instead.
    pub(crate) fn qualifies_for(&self, hh: &Household, i: usize, b: &Birth, start: NaiveDate) -> Result<bool, Gap> {
        if self.qualifies(hh, i, start)? {
            return Ok(true);
        }
        let special = b.pregnancy.filter(|_| b.mother == Some(hh.persons[i].id.as_str()));
        match special.and_then(|g| hh.pregnancies[g].maternity_leave.as_ref()) {
            Some(m) if m.from < start => self.qualifies(hh, i, m.from),
            _ => Ok(false),
        }
    }

    /// Person `i`'s 休業開始時賃金日額 of a leave starting on `start`: the last `wage_months` months
    /// before it with 11 or more 賃金支払基礎日数, their wages ÷ the divisor (円未満切捨て),
    /// within the 下限 and 上限 in force on `paid_from` (the first day of the period paid).
    /// `Err(Missing)` with too few such months.
    pub(crate) fn daily_wage(
        &self,
        hh: &Household,
        i: usize,
        start: NaiveDate,
        paid_from: NaiveDate,
    ) -> Result<DailyWage, Gap> {
        let (months, extra) = Self::wages_of(hh, i);
        let months = months?;
        let p = &self.parameters;
        let (n, divisor, days) =
            (self.on(&p.wage_months, start)?, self.on(&p.divisor, start)?, self.on(&p.min_paid_days, start)?);
        let last = YearMonth::of(start).plus(-1);
        // The months counted as 被保険者期間: by the days, or by the hours too when the person
        // qualifies only with them (第14条第3項).
        let hours = self.hours(start)?;
        let by_days = self.by_days(months, start, extra)?;
        let counts = |w: &&crate::household::WageMonth| {
            w.paid_days >= days || (!by_days && hours.is_some_and(|hours| w.hours.is_some_and(|h| h >= hours)))
        };
        let full: Vec<Yen> =
            months.range(..=last).rev().map(|(_, w)| w).filter(counts).take(n as usize).map(|w| w.wages).collect();
        if full.len() < n as usize {
            return Err(Gap::Missing(format!("/persons/{i}/wage_months")));
        }
        let raw = full.iter().sum::<Yen>() / Yen::from(divisor);
        let upper = value_on(&p.upper, paid_from).copied().ok_or(Gap::NotKnown)?;
        let lower = value_on(&p.lower, paid_from).copied().ok_or(Gap::NotKnown)?;
        Ok(DailyWage { wage: raw.clamp(lower, upper), capped: raw > upper })
    }

    /// The benefit of `days` 支給日数 on `wage` at rates whose percent-days add up to
    /// `percent_days` (Σ days × rate: 30 × 67, or 20 × 67 + 10 × 50 in the unit of the 180th day),
    /// 円未満切捨て once on the sum, reduced by `pay` (第61条の7第7項, 第61条の8第5項): pay +
    /// benefit at most the pay limit (80 %) of the wage × days, nothing when the pay reaches it.
    /// `None`: the limit is not known on `day`.
    pub(crate) fn benefit(&self, wage: Yen, days: u32, percent_days: u32, pay: Yen, day: NaiveDate) -> Option<Yen> {
        let limit_percent = value_on(&self.parameters.pay_limit_percent, day).copied()?;
        let full = wage * Yen::from(percent_days) / 100;
        let limit = wage * Yen::from(days) * Yen::from(limit_percent) / 100;
        Some(if pay >= limit { 0 } else { full.min(limit - pay) })
    }

    /// Person `i`'s 出生時育児休業 parts for `child` ended by `as_of`, checked one by one.
    pub(crate) fn postnatal_parts(&self, hh: &Household, i: usize, child: &str, as_of: NaiveDate) -> PostnatalParts {
        let p = &self.parameters;
        let mut out = PostnatalParts::default();
        let Some(b) = Birth::of(hh, child) else { return out };
        let Some(birth) = b.date else {
            out.notes.push(Note::Missing(format!("/persons/{}/birth_date", b.child)));
            return out;
        };
        // 第61条の8第1項: from the birth (the due date, if earlier) to 8 weeks after the birth (the
        // due date, if later), to the day after.
        let (start, end) = b.window(birth);
        let (mut count, mut paid) = (0, 0);
        let leaves = hh.persons[i].childcare_leave.iter().enumerate();
        for (j, l) in leaves.filter(|(_, l)| l.kind == LeaveKind::Postnatal && for_birth(hh, l.child.as_deref(), child))
        {
            let on = |param: &Param<u32>| value_on(param, l.from).copied();
            let (Some(max_days), Some(max_parts), Some(window), Some(work_days), Some(work_hours)) = (
                on(&p.postnatal_max_days),
                on(&p.postnatal_max_parts),
                on(&p.postnatal_window_days),
                on(&p.postnatal_work_days),
                on(&p.postnatal_work_hours),
            ) else {
                out.notes.push(Note::NotInForce);
                continue;
            };
            let last = end.checked_add_days(Days::new(u64::from(window))).unwrap_or(NaiveDate::MAX);
            let (from, to) = (l.from.max(start), l.to.min(last));
            if from > to {
                // After birth + 8 weeks: the due date, if later, could still cover it.
                out.notes.push(if b.due.is_none() && l.from > last {
                    Note::Missing(b.due_at())
                } else {
                    Note::Because("outside_window")
                });
                continue;
            }
            out.first.get_or_insert(l.from);
            out.apply_from.get_or_insert(last);
            count += 1;
            if count > max_parts {
                out.notes.push(Note::Because("third_part"));
                continue;
            }
            // Decided once the part has ended; the parts are paid together, so a part still
            // running leaves the amount open.
            if l.to > as_of {
                out.notes.extend([Note::Because("none_due"), Note::Warn("parts_pending")]);
                continue;
            }
            // 第2項第2号: the days of every part count toward the 28, paid or not.
            let days = (((to - from).num_days() + 1) as u32).min(max_days.saturating_sub(paid));
            if days == 0 {
                out.notes.push(Note::Because("days_used"));
                continue;
            }
            paid += days;
            // 就業: at most work_days × days / max_days days (rounded up), or the hours in
            // proportion when more days were worked (a part is at most max_days long).
            let leave_days = (((l.to - l.from).num_days() + 1) as u32).min(max_days);
            let allowed_days = (work_days * leave_days).div_ceil(max_days);
            let allowed_hours = u64::from(work_hours) * u64::from(leave_days);
            let hours_ok = l.hours_worked.is_some_and(|h| u64::from(h) * u64::from(max_days) <= allowed_hours);
            if l.days_worked > allowed_days && !hours_ok {
                out.notes.push(match l.hours_worked {
                    None => Note::Missing(format!("/persons/{i}/childcare_leave/{j}/hours_worked")),
                    Some(_) => Note::Because("worked_too_much"),
                });
                continue;
            }
            let to = from.checked_add_days(Days::new(u64::from(days) - 1)).unwrap_or(to).min(to);
            out.parts.push(Part { from, to, days, pay: l.pay });
        }
        out
    }

    /// The 出生時育児休業 days of person `i` for `child` for which 出生時育児休業給付金 is paid (0
    /// when it is not: too few qualifying months, or pay at 80 %): they count toward the 180 days
    /// of 育児休業給付金 (第61条の8第8項).
    pub(crate) fn postnatal_days_paid(
        &self,
        hh: &Household,
        i: usize,
        child: &str,
        as_of: NaiveDate,
    ) -> Result<u32, Gap> {
        let parts = self.postnatal_parts(hh, i, child, as_of);
        let (Some(first), false) = (parts.first, parts.parts.is_empty()) else { return Ok(0) };
        let Some(b) = Birth::of(hh, child) else { return Ok(0) };
        if !self.qualifies_for(hh, i, &b, first)? {
            return Ok(0);
        }
        let wage = self.daily_wage(hh, i, first, first)?;
        let (days, pay) = parts.days_and_pay();
        let limit = figure(&self.parameters.pay_limit_percent, first)?;
        Ok(if pay >= wage.wage * Yen::from(days) * Yen::from(*limit) / 100 { 0 } else { days })
    }

    /// The 賃金日額's 下限 on `day` (第17条第4項第1号, as revised).
    pub(crate) fn lower_on(&self, day: NaiveDate) -> Result<Yen, Gap> {
        value_on(&self.parameters.lower, day).copied().ok_or(Gap::NotKnown)
    }

    /// The trace's record of the 上限 and 下限 used on `day`.
    pub(crate) fn limits_used(&self, day: NaiveDate) -> Vec<Option<ParamUse>> {
        let (p, id) = (&self.parameters, self.id.as_str());
        vec![used(id, "upper", &p.upper, day), used(id, "lower", &p.lower, day)]
    }
}
