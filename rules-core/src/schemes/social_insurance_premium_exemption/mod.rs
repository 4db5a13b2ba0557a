//! 産前産後休業・育児休業中の健康保険・厚生年金保険料免除 (employees' health and pension premiums
//! waived during maternity and childcare leave) — 健康保険法第159条・第159条の3, 厚生年金保険法
//! 第81条の2・第81条の2の2: the months from the month a leave starts to the month before the
//! month of the day after it ends; for a 育休 started from 2022-10-01 also the month of a leave of
//! 14 days or more that starts and ends within it, and its bonus only when the leave is longer
//! than one month (令和3年法律第66号). The person is answered for one by one.

use crate::calendar::YearMonth;
use crate::concepts::on_day::{used, value_on, DayRules, Draft, Exempt};
use crate::household::{InsuranceKind, InsuredStatus, LeaveKind, OutcomeKind, Person, ValidHousehold};
use crate::money::Yen;
use crate::ruleset::{Param, Parameters, RulesetFile, Validity};
use crate::schemes::registry::Shared;
use chrono::{Datelike, Days, Months, NaiveDate};

/// The parameters of `social_insurance_premium_exemption/2014`.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct PremiumExemptionParams {
    /// Days of 育休 within one month that exempt it (第159条第3項第2号; null: no such rule), by
    /// the month the leave starts.
    min_days_in_month: Param<u32>,
    /// A 育休 of at most this many months exempts no bonus (第159条第3項ただし書; null: no such
    /// rule), by the month the leave starts.
    bonus_max_months: Param<u32>,
    /// Days after the birth a 産休 runs to when its end is not given (労働基準法第65条第2項).
    post_birth_days: Param<u32>,
    /// 厚生年金保険料率 in hundredths of a percent (厚生年金保険法第81条第4項).
    pension_rate: Param<u32>,
}

impl Parameters for PremiumExemptionParams {
    fn validate(&self, validity: &Validity, errors: &mut Vec<(String, String)>) {
        self.min_days_in_month.validate("min_days_in_month", validity, errors);
        self.bonus_max_months.validate("bonus_max_months", validity, errors);
        self.post_birth_days.validate("post_birth_days", validity, errors);
        self.pension_rate.validate("pension_rate", validity, errors);
    }
}

/// One leave: its kind (true: 産休) and days.
#[derive(Clone, Copy)]
struct Leave {
    maternity: bool,
    from: NaiveDate,
    to: NaiveDate,
    /// Days worked during a 出生時育児休業 (its 就業日数 are not days of leave).
    worked: u32,
}

/// The employee's half of a premium on `amount` at `bp` hundredths of a percent, with 50銭以下
/// 切捨て and 50銭超 切上げ (the deduction from pay).
fn share(amount: Yen, bp: u32) -> Yen {
    (amount * Yen::from(bp) + 9_999) / 20_000
}

/// The last day of one month from `from` (民法第143条第2項): the day before the same day of the
/// next month, or that month's last day when it has no such day.
fn one_month_from(from: NaiveDate) -> NaiveDate {
    let next = from.checked_add_months(Months::new(1)).unwrap_or(NaiveDate::MAX);
    if next.day() == from.day() {
        next.pred_opt().unwrap_or(next)
    } else {
        next
    }
}

/// 産休・育休中の保険料免除 with its ruleset.
#[derive(Debug)]
pub(crate) struct SocialInsurancePremiumExemption {
    file: RulesetFile<PremiumExemptionParams>,
}

impl DayRules for SocialInsurancePremiumExemption {
    type Params = PremiumExemptionParams;
    type Body = Exempt;

    fn new(file: RulesetFile<PremiumExemptionParams>, _: &Shared) -> Self {
        SocialInsurancePremiumExemption { file }
    }

    /// Everyone with a 育休 or a 産休.
    fn subjects(&self, hh: &ValidHousehold) -> Vec<usize> {
        let on_leave = |p: &Person| {
            !p.childcare_leave.is_empty()
                || hh.pregnancies.iter().any(|g| g.person == p.id && g.maternity_leave.is_some())
        };
        hh.persons.iter().enumerate().filter(|(_, p)| on_leave(p)).map(|(i, _)| i).collect()
    }

    fn decide(&self, hh: &ValidHousehold, as_of: NaiveDate, draft: &mut Draft<Exempt>) {
        let Some(i) = draft.person else {
            return draft.because("no_leave");
        };
        let p = &self.file.parameters;
        let rs = self.file.id.as_str();
        let person = &hh.persons[i];
        let start = self.file.valid.from.first_day();
        let Some(leaves) = self.leaves(hh, person, draft) else { return };
        let leaves: Vec<Leave> = leaves.into_iter().filter(|l| l.from <= as_of).collect();
        if person.health_insurance.is_empty() {
            return draft.missing(format!("/persons/{i}/health_insurance"));
        }
        let rate_on = |m: YearMonth| {
            let k = person.health_premium_rate.partition_point(|r| r.since <= m);
            k.checked_sub(1).map(|k| person.health_premium_rate[k].basis_points)
        };
        let premium = |amount: Option<Yen>, m: YearMonth| -> Option<Yen> {
            let (Some(a), Some(health), Some(pension)) = (amount, rate_on(m), value_on(&p.pension_rate, m.first_day()))
            else {
                return None;
            };
            Some(share(a, health) + share(a, *pension))
        };
        for l in &leaves {
            let employee = person.insurance_on(l.from).is_some_and(|(_, h)| {
                matches!(h.kind, InsuranceKind::Kyokai | InsuranceKind::HealthSociety)
                    && h.status == InsuredStatus::Insured
                    && !h.voluntary
            });
            if !employee {
                draft.because("no_employee_insurance");
                continue;
            }
            // 育休 months before 2014-04 were exempt under earlier rules this ruleset does not encode
            // (a 産休 was not exempt before then).
            if !l.maternity && l.from < start {
                draft.warn("months_before_2014_not_encoded");
                draft.not_in_force = true;
            }
            let from = l.from.max(start);
            if from > l.to {
                continue;
            }
            // 第159条第3項第1号: from the month of the start to the month before the month of
            // the day after the end.
            let first = YearMonth::of(from);
            let after = YearMonth::of(l.to.succ_opt().unwrap_or(l.to));
            let mut months: Vec<YearMonth> = first.through(after.plus(-1)).collect();
            let rule = |param: &Param<u32>| value_on(param, l.from.max(start)).copied();
            // 第2号: a 育休 (from 2022-10) starting and ending within one month, with 14 days or
            // more of 育休 in that month counted together.
            if let (false, true, Some(min_days)) = (l.maternity, first == after, rule(&p.min_days_in_month)) {
                let in_month = || {
                    leaves
                        .iter()
                        .filter(|o| !o.maternity && YearMonth::of(o.from) == first)
                        .filter(|o| YearMonth::of(o.to.succ_opt().unwrap_or(o.to)) == first)
                };
                let days: i64 = in_month().map(|o| (o.to - o.from).num_days() + 1).sum();
                // A 出生時育児休業's 就業日数 (hours worked ÷ 所定労働時間, at most its days worked)
                // are not days of leave (日本年金機構): with every day worked taken off it is
                // surely 14; below that, the hours decide, which the input does not give.
                let worked: i64 = in_month().map(|o| i64::from(o.worked)).sum();
                if days - worked >= i64::from(min_days) {
                    months.push(first);
                } else if days >= i64::from(min_days) {
                    draft.warn("postnatal_work_days");
                }
            }
            // ただし書: the bonus of a 育休 of one month or less (from 2022-10) stays payable.
            let bonus = l.maternity
                || rule(&p.bonus_max_months).is_none_or(|n| {
                    (0..n).try_fold(l.from, |d, _| one_month_from(d).succ_opt()).is_some_and(|end| l.to >= end)
                });
            for m in months.into_iter().filter(|m| self.file.valid.contains(*m)) {
                draft.body.month(m, premium(person.standard_monthly_remuneration.get(&m).copied(), m));
                if let Some(b) = person.standard_bonus.get(&m).copied().filter(|_| bonus) {
                    draft.body.bonus(m, premium(Some(b), m));
                }
            }
        }
        if draft.body.months.is_empty() {
            if !draft.not_in_force {
                draft.because("no_month_exempt");
            }
            return;
        }
        let n = draft.body.months.len();
        draft.step("months", &p.min_days_in_month.citation, || {
            (
                format!("産休・育休の{n}か月の保険料（健康保険・厚生年金）を免除（金額は被保険者負担分、事業主負担分も同額免除）"),
                format!("the health and pension premiums of {n} months of leave waived (the amount is the employee's half; the employer's half is waived too)"),
                vec![used(rs, "pension_rate", &p.pension_rate, as_of)],
            )
        });
    }
}

impl SocialInsurancePremiumExemption {
    /// The person's leaves in date order: each 産休 (a pregnancy's `maternity_leave`, to the 56th
    /// day after the birth or the due date when its end is not given), then each 育休, with
    /// 育休 that follow each other with no day between them joined (第159条第2項).
    fn leaves(&self, hh: &ValidHousehold, person: &Person, draft: &mut Draft<Exempt>) -> Option<Vec<Leave>> {
        let post = value_on(&self.file.parameters.post_birth_days, self.file.valid.from.first_day()).copied()?;
        let mut out = Vec::new();
        for (k, g) in hh.pregnancies.iter().enumerate().filter(|(_, g)| g.person == person.id) {
            let Some(l) = &g.maternity_leave else { continue };
            let end = l.to.or_else(|| {
                let day = g.outcome.as_ref().filter(|o| o.kind == OutcomeKind::Birth).map(|o| o.date).or(g.due_date)?;
                day.checked_add_days(Days::new(u64::from(post)))
            });
            match end {
                Some(to) => out.push(Leave { maternity: true, from: l.from, to, worked: 0 }),
                None => draft.missing(format!("/pregnancies/{k}/maternity_leave/to")),
            }
        }
        let mut childcare: Vec<Leave> = Vec::new();
        for l in &person.childcare_leave {
            let worked = if l.kind == LeaveKind::Postnatal { l.days_worked } else { 0 };
            match childcare.last_mut() {
                Some(last) if last.to.succ_opt() == Some(l.from) => {
                    last.to = l.to;
                    last.worked += worked;
                }
                _ => childcare.push(Leave { maternity: false, from: l.from, to: l.to, worked }),
            }
        }
        out.extend(childcare);
        Some(out)
    }
}
