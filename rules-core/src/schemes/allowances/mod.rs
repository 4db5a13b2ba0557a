//! The income-tested allowances for single-parent households and disabled children:
//!
//! - 児童扶養手当 (child-rearing allowance) — 児童扶養手当法 (昭和36年法律第238号), from 2019-04:
//!   本体 and 加算 by number of children, 全部支給 / 一部支給 by the claimant's 所得額 with the
//!   published formula, the 配偶者・扶養義務者 limit, the 2019-11 payment change and the 2024-11
//!   reform ([`child_rearing`]).
//! - 特別児童扶養手当 and 障害児福祉手当 — 特別児童扶養手当等の支給に関する法律 (昭和39年法律第134号),
//!   from 2018-04 and 2019-04: an amount per disabled child under 20, stopped entirely at the
//!   claimant's or a 扶養義務者's limit ([`disability`]).
//!
//! They share what this module holds: children's key months, the income year, each person's
//! 所得額 and its test against a limit table, the start month of an application (認定請求の翌月),
//! payment schedules dated by payment month, and how a month's answer becomes a result.

mod child_rearing;
mod disability;
mod params;
#[cfg(test)]
mod tests;

pub use params::{ChildRearingParams, Coefficient, Part, RearingAmounts, SpecialChildParams, WelfareParams};

use crate::calendar::{self, YearMonth};
use crate::explain::{InputUse, ParamUse, TraceStep, Tracer};
use crate::household::{Disability, Household, IncomeYear, IncomeYearKey, Role, Scheme};
use crate::income::{self, EmploymentIncomeParams, IncomeBreakdown, IncomeGap, IncomeRules, Limit, LimitTable};
use crate::money::Yen;
use crate::ruleset::{Param, RulesetFile, RulesetInfo};
use crate::schemes::{
    group_payments, payment_month, responsible, ChildResult, IncomeTest, MonthResult, PayMonth, Payment, Range,
    RelativeTest, Status,
};
use chrono::NaiveDate;
use serde_json::json;

/// The three allowances with their rulesets.
#[derive(Debug, Clone)]
pub(crate) struct Allowances {
    rearing: RulesetFile<ChildRearingParams>,
    special: RulesetFile<SpecialChildParams>,
    welfare: RulesetFile<WelfareParams>,
    /// 児童扶養手当, 特別児童扶養手当, 障害児福祉手当.
    pub(crate) info: [RulesetInfo; 3],
    employment: RulesetFile<EmploymentIncomeParams>,
}

/// A child's key months (legal calendar), computed once per household.
#[derive(Debug, Clone, Copy)]
struct Kid {
    person: usize,
    birth: NaiveDate,
    born: YearMonth,
    /// The month of the 18歳年度末 (児童扶養手当's 児童).
    child_last: YearMonth,
    /// The day 20 is reached (the day before the 20th birthday).
    reaches_20: NaiveDate,
    /// The month in which 20 is reached (the last month "under 20").
    under_20_last: YearMonth,
    died: Option<YearMonth>,
    in_care: bool,
    in_facility: bool,
    pension: bool,
    /// A confirmed 監護相当・生計費の負担 (counted as supported after 20 too).
    extended: bool,
    disability: Option<Disability>,
}

/// An application (認定請求): its claimant and first month (the month after it).
#[derive(Debug, Clone, Copy)]
struct App {
    claimant: usize,
    start: YearMonth,
}

/// A household prepared for the allowances.
pub(crate) struct Prepared<'h> {
    hh: &'h Household,
    /// Oldest first.
    kids: Vec<Kid>,
    /// The scheme's applications, by date.
    apps: Vec<App>,
    /// How far each application covers (memoised).
    reach: Vec<crate::schemes::Reach>,
}

/// A person's 所得額 for an income year, as far as known.
#[derive(Debug, Clone, Copy)]
enum Income {
    Known(IncomeBreakdown, Deps),
    /// The year is not given.
    Missing,
    /// Given, but a figure needed to compute it is not known to the rulesets; the 所得額 is at
    /// most this, when that much is known.
    NotKnown(Option<(Yen, Deps)>),
}

/// 扶養親族等の数 with the counts that raise the limits.
#[derive(Debug, Clone, Copy)]
struct Deps {
    count: u32,
    /// False: only a lower bound (the count was not given).
    exact: bool,
    elderly: u32,
    specified: u32,
}

/// The outcome of one income test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Test {
    Below,
    AtOrAbove,
    /// Depends on an input not given.
    Open,
    /// A figure needed is not known.
    NotKnown,
}

/// A person tested against a limit table.
#[derive(Debug, Clone)]
struct Tested {
    person: usize,
    income: Income,
    limit: Option<Limit>,
    test: Test,
    missing: Option<String>,
}

impl Tested {
    fn income(&self) -> Option<Yen> {
        match self.income {
            Income::Known(b, _) => Some(b.income),
            _ => None,
        }
    }

    fn row(&self, hh: &Household) -> RelativeTest {
        RelativeTest {
            id: hh.persons[self.person].id.clone(),
            income: self.income(),
            limit: self.limit.and_then(Limit::exact),
            over: match self.test {
                Test::Below => Some(false),
                Test::AtOrAbove => Some(true),
                _ => None,
            },
        }
    }
}

/// The income test of a month: the claimant's (or the child's) figures and the 配偶者・扶養義務者.
fn income_test(
    outcome: &'static str,
    year: i32,
    own: &Tested,
    upper_limit: Option<Yen>,
    rel: &[Tested],
    hh: &Household,
) -> IncomeTest {
    let deps = match own.income {
        Income::Known(_, d) => Some(d),
        _ => None,
    };
    IncomeTest {
        outcome,
        year: Some(year),
        income: own.income(),
        dependants: deps.filter(|d| d.exact).map(|d| d.count),
        elderly_dependants: deps.map_or(0, |d| d.elderly),
        limit: own.limit.and_then(Limit::exact),
        upper_limit,
        relatives: rel.iter().map(|t| t.row(hh)).collect(),
    }
}

/// The combined test of the 配偶者・扶養義務者: any at or above → stop; otherwise not known, open
/// or below, in that order.
fn combined(tests: &[Tested]) -> Test {
    let any = |t| tests.iter().any(|x| x.test == t);
    if any(Test::AtOrAbove) {
        Test::AtOrAbove
    } else if any(Test::NotKnown) {
        Test::NotKnown
    } else if any(Test::Open) {
        Test::Open
    } else {
        Test::Below
    }
}

/// A month's answer before applications and residence are considered.
#[derive(Debug, Default)]
struct Answer {
    min: Yen,
    max: Yen,
    not_known: bool,
    reason: Option<&'static str>,
    claimant: Option<usize>,
    children: Vec<ChildResult>,
    income_test: Option<IncomeTest>,
    missing: Vec<String>,
}

impl Answer {
    fn none(reason: &'static str) -> Self {
        Answer { reason: Some(reason), ..Answer::default() }
    }

    /// Whether two answers give the same amounts (so the input that chooses between them does not
    /// matter).
    fn agrees(&self, other: &Answer) -> bool {
        (self.min, self.max, self.not_known) == (other.min, other.max, other.not_known)
            && self.children == other.children
    }

    /// One of two answers, depending on the input at `pointer`: the same answer when they agree,
    /// else the range over both (amounts per child only where they agree).
    fn either(self, other: Answer, pointer: String) -> Answer {
        if self.agrees(&other) {
            return self;
        }
        let mut missing = self.missing;
        missing.extend(other.missing);
        missing.push(pointer);
        missing.sort();
        missing.dedup();
        let children = self
            .children
            .into_iter()
            .zip(&other.children)
            .map(|(c, o)| ChildResult { amount: c.amount.filter(|_| c.amount == o.amount), ..c })
            .collect();
        Answer {
            min: self.min.min(other.min),
            max: self.max.max(other.max),
            not_known: self.not_known || other.not_known,
            reason: self.reason.or(other.reason),
            claimant: self.claimant,
            children,
            income_test: None,
            missing,
        }
    }
}

/// The value of a parameter in force in `m` (`None`: not in force, not known or outside the file).
fn at<T: Clone>(p: &Param<T>, m: YearMonth) -> Option<T> {
    p.at(m).and_then(|v| v.value.clone())
}

/// The calendar year whose income applies to month `m`: the previous year from the switch month
/// on, the year before that earlier in the year.
fn income_year(switch: u32, m: YearMonth) -> i32 {
    if m.month() >= switch {
        m.year() - 1
    } else {
        m.year() - 2
    }
}

/// Whether the person is alive in month `m` (a person who dies counts through the month of death).
fn alive(hh: &Household, person: usize, m: YearMonth) -> bool {
    hh.persons[person].death_date.is_none_or(|d| YearMonth::of(d) >= m)
}

impl Allowances {
    /// Build from the parsed ruleset files.
    pub(crate) fn new(
        rearing: (RulesetFile<ChildRearingParams>, RulesetInfo),
        special: (RulesetFile<SpecialChildParams>, RulesetInfo),
        welfare: (RulesetFile<WelfareParams>, RulesetInfo),
        employment: RulesetFile<EmploymentIncomeParams>,
    ) -> Self {
        Self {
            info: [rearing.1, special.1, welfare.1],
            rearing: rearing.0,
            special: special.0,
            welfare: welfare.0,
            employment,
        }
    }

    fn file(&self, scheme: Scheme) -> (&str, &crate::ruleset::Text, &crate::ruleset::Text, crate::ruleset::Validity) {
        match scheme {
            Scheme::SpecialChildAllowance => {
                (&self.special.id, &self.special.law, &self.special.title, self.special.valid)
            }
            Scheme::DisabledChildWelfareAllowance => {
                (&self.welfare.id, &self.welfare.law, &self.welfare.title, self.welfare.valid)
            }
            _ => (&self.rearing.id, &self.rearing.law, &self.rearing.title, self.rearing.valid),
        }
    }

    /// The rulesets a month of `scheme` uses.
    pub(crate) fn rulesets_for(&self, scheme: Scheme, m: YearMonth) -> Vec<&RulesetInfo> {
        let info = match scheme {
            Scheme::SpecialChildAllowance => &self.info[1],
            Scheme::DisabledChildWelfareAllowance => &self.info[2],
            _ => &self.info[0],
        };
        if self.file(scheme).3.contains(m) {
            vec![info]
        } else {
            vec![]
        }
    }

    /// Key months of the household's children and the scheme's applications.
    pub(crate) fn prepare<'h>(&self, hh: &'h Household, scheme: Scheme) -> Prepared<'h> {
        let child_age = at(&self.rearing.parameters.child_age, self.rearing.valid.from).unwrap_or(18);
        let adult_age = match scheme {
            Scheme::SpecialChildAllowance => at(&self.special.parameters.age, self.special.valid.from),
            Scheme::DisabledChildWelfareAllowance => at(&self.welfare.parameters.age, self.welfare.valid.from),
            _ => at(&self.rearing.parameters.disabled_child_age, self.rearing.valid.from),
        }
        .unwrap_or(20);
        let mut kids: Vec<Kid> = hh
            .persons
            .iter()
            .enumerate()
            .filter(|(_, p)| p.role == Role::Child)
            .filter_map(|(i, p)| {
                let birth = p.birth_date?;
                let reaches_20 = calendar::age_reached_on(birth, adult_age).unwrap_or(NaiveDate::MAX);
                Some(Kid {
                    person: i,
                    reaches_20,
                    birth,
                    born: YearMonth::of(birth),
                    child_last: calendar::fiscal_year_end_month_after_age(birth, child_age),
                    // 20歳に達する日 (the day before the 20th birthday) ends the month paid.
                    under_20_last: YearMonth::of(reaches_20),
                    died: p.death_date.map(YearMonth::of),
                    in_care: p.in_care,
                    in_facility: p.in_facility,
                    pension: p.disability_pension,
                    extended: p.extended_care.is_some_and(|e| e.confirmed),
                    disability: p.disability,
                })
            })
            .collect();
        kids.sort_by_key(|k| k.birth);
        let mut apps: Vec<(NaiveDate, App)> = hh
            .applications
            .iter()
            .filter(|a| a.scheme == scheme)
            .filter_map(|a| {
                let claimant = hh.persons.iter().position(|p| p.id == a.claimant)?;
                // 支給は認定請求をした日の属する月の翌月から (no 15日特例 in these laws).
                Some((a.date, App { claimant, start: YearMonth::of(a.date).next() }))
            })
            .collect();
        apps.sort_by_key(|(d, _)| *d);
        let reach = apps.iter().map(|_| crate::schemes::Reach::default()).collect();
        Prepared { hh, kids, apps: apps.into_iter().map(|(_, a)| a).collect(), reach }
    }

    /// A person's 所得額 and 扶養親族等の数 for `year`. For a claimant, when only
    /// `other_dependants` is given, the household's children supported at 31 December are added.
    fn income(&self, prep: &Prepared, person: usize, year: i32, rules: &IncomeRules, claimant: bool) -> Income {
        let Some(iy) = prep.hh.persons[person].income.get(&IncomeYearKey(year)) else {
            return Income::Missing;
        };
        let salary = self.employment.salary_rules(year);
        // A parent's or guardian's 扶養親族 may be the household's children; a relative's only as
        // given (`income_adjustment`) or through a 特別障害者控除.
        let may_support = matches!(prep.hh.persons[person].role, Role::Parent | Role::Guardian);
        let key = IncomeYearKey(year);
        let young = prep.kids.iter().filter(|_| may_support).map(|k| income::YoungDependant {
            person: k.person as u32,
            birth: k.birth,
            died: k.died,
            in_care: k.in_care || k.extended,
            income: prep.hh.persons[k.person].income.get(&key),
        });
        let basis = income::adjustment_basis(iy, year, &salary, young);
        match income::scheme_income(iy, &salary, basis, rules) {
            Ok(b) => Income::Known(b, Self::deps(prep, iy, year, claimant)),
            Err(IncomeGap::RuleNotKnown { at_most }) => {
                Income::NotKnown(Some((at_most, Self::deps(prep, iy, year, claimant))))
            }
            Err(IncomeGap::DeductionNotKnown) => Income::NotKnown(None),
        }
    }

    /// 扶養親族等の数: a claimant's count includes the household's children in care and still under 20
    /// on 31 December (not yet at the day they reach 20) (or
    /// with a confirmed 監護相当・生計費の負担) at 31 December when only `other_dependants` is given.
    fn deps(prep: &Prepared, iy: &IncomeYear, year: i32, claimant: bool) -> Deps {
        let dec31 = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
        let december = YearMonth::of(dec31);
        let children = if claimant {
            prep.kids
                .iter()
                .filter(|k| k.birth <= dec31 && k.died.is_none_or(|d| d > december))
                .filter(|k| (k.in_care && k.reaches_20 > dec31) || k.extended)
                .count() as u32
        } else {
            0
        };
        let (count, exact) = income::dependants_count(iy, children);
        Deps { count, exact, elderly: iy.elderly_dependants, specified: iy.specified_dependants }
    }

    /// Test a person's 所得額 for `year` against `table` (`None`: the table is not known).
    /// Limits are strict (未満).
    fn test(
        &self,
        prep: &Prepared,
        person: usize,
        year: i32,
        rules: &IncomeRules,
        table: Option<&LimitTable>,
        claimant: bool,
    ) -> Tested {
        let income = self.income(prep, person, year, rules, claimant);
        let pointer = |tail: &str| Some(format!("/persons/{person}/income/{year}{tail}"));
        let (limit, test, missing) = match (income, table) {
            (Income::Missing, _) => (None, Test::Open, pointer("")),
            (Income::NotKnown(None), _) | (_, None) => (None, Test::NotKnown, None),
            (Income::Known(b, d), Some(t)) => Self::compare(t, b.income, d, false, pointer("/dependants")),
            // Only an upper bound is known: below the limit it decides, otherwise not known.
            (Income::NotKnown(Some((at_most, d))), Some(t)) => Self::compare(t, at_most, d, true, None),
        };
        Tested { person, income, limit, test, missing }
    }

    /// Compare a 所得額 with a limit table (未満 = below; for a 超える limit, the limit itself too).
    /// `upper_bound`: the 所得額 is at most `income`, so only "below" decides.
    fn compare(
        t: &LimitTable,
        income: Yen,
        d: Deps,
        upper_bound: bool,
        deps_pointer: Option<String>,
    ) -> (Option<Limit>, Test, Option<String>) {
        let limit = t.limit(d.count, d.elderly, d.specified);
        let below = |l: Yen| income < l || (t.paid_at_limit && income == l);
        match limit {
            Limit::Exact(l) | Limit::AtLeast(l) if below(l) => (Some(limit), Test::Below, None),
            _ if upper_bound => (Some(limit), Test::NotKnown, None),
            Limit::Exact(_) if d.exact => (Some(limit), Test::AtOrAbove, None),
            // More dependants would raise the limit: the count decides.
            _ if !d.exact => (Some(limit), Test::Open, deps_pointer),
            _ => (Some(limit), Test::NotKnown, None),
        }
    }

    /// The 配偶者・扶養義務者 of a month: every living adult of the household but `exclude` (the
    /// claimant).
    fn others(prep: &Prepared, m: YearMonth, exclude: Option<usize>) -> Vec<usize> {
        prep.hh
            .persons
            .iter()
            .enumerate()
            .filter(|&(i, p)| p.role != Role::Child && Some(i) != exclude && alive(prep.hh, i, m))
            .map(|(i, _)| i)
            .collect()
    }

    /// The application covering month `m`: the latest one started by `m` after which the claimant
    /// stayed qualified every month (`qualifies`); a lapse (資格喪失) needs a new application.
    fn covering<'p>(prep: &'p Prepared, m: YearMonth, qualifies: impl Fn(usize, YearMonth) -> bool) -> Option<&'p App> {
        prep.apps
            .iter()
            .zip(&prep.reach)
            .rev()
            .find(|(a, reach)| reach.covers(a.start, m, |k| qualifies(a.claimant, k)))
            .map(|(a, _)| a)
    }

    /// Evaluate one month of one of the three schemes.
    pub(crate) fn evaluate(&self, scheme: Scheme, prep: &Prepared, m: YearMonth, trace: bool) -> MonthResult {
        let mut tr = Tracer::new(trace);
        let (id, law, title, valid) = self.file(scheme);
        let mut result = MonthResult::empty(scheme, m, Status::NotKnown);
        let rule = match scheme {
            Scheme::SpecialChildAllowance => "special_child_allowance.regime",
            Scheme::DisabledChildWelfareAllowance => "disabled_child_welfare_allowance.regime",
            _ => "child_rearing_allowance.regime",
        };
        if !valid.contains(m) {
            result.reason = Some("before_encoded_period");
            tr.step(|| TraceStep {
                rule,
                citation: law.ja.clone(),
                branch: "before_encoded_period".into(),
                ja: format!("{m}分は符号化された期間（{}以降）の前です。", valid.from),
                en: format!("{m} is before the period encoded (from {}).", valid.from),
                parameters: vec![],
                inputs: vec![],
            });
            result.trace = tr.finish();
            return result;
        }
        let regime = id.rsplit('/').next().unwrap_or(id);
        result.regime = Some(match scheme {
            Scheme::SpecialChildAllowance => "2018",
            _ => "2019",
        });
        tr.step(|| TraceStep {
            rule,
            citation: law.ja.clone(),
            branch: regime.to_owned(),
            ja: format!("{m}分は「{}」を適用します。", title.ja),
            en: format!("{m}: the rules of \"{}\" apply.", title.en),
            parameters: vec![],
            inputs: vec![],
        });
        let responsible = responsible(prep.hh, m);
        result.municipality = responsible.ok().flatten().map(str::to_owned);
        let (answer, covered, unclaimed_reason, applicant) = match scheme {
            Scheme::ChildRearingAllowance | Scheme::SpecialChildAllowance => {
                let qualifies = |c: usize, k: YearMonth| self.qualifies(scheme, prep, c, k);
                let covering = if prep.apps.is_empty() { None } else { Self::covering(prep, m, qualifies) };
                let fixed = covering.or(prep.apps.last()).map(|a| a.claimant);
                let answer = if scheme == Scheme::ChildRearingAllowance {
                    self.rearing_month(prep, m, fixed, &mut tr)
                } else {
                    self.special_month(prep, m, fixed, &mut tr)
                };
                let first = prep.apps.iter().map(|a| a.start).min();
                let reason = if first.is_none_or(|s| m < s) { "before_start" } else { "not_claimed" };
                (answer, prep.apps.is_empty() || covering.is_some(), reason, fixed)
            }
            _ => {
                let answer = self.welfare_month(prep, m, &mut tr);
                let reason = if prep.apps.iter().all(|a| m < a.start) { "before_start" } else { "not_claimed" };
                (answer, true, reason, None)
            }
        };
        result.claimant = answer.claimant.map(|c| prep.hh.persons[c].id.clone());
        result.note_applicant(prep.hh, applicant, answer.claimant);
        result.children = answer.children;
        result.income_test = answer.income_test;
        let unpaid = responsible.is_err() || !covered;
        if answer.not_known && !unpaid {
            result.status = Status::NotKnown;
            result.reason = Some("figure_not_known");
        } else if answer.max == 0 && !answer.not_known {
            result.status = Status::NotEligible;
            result.reason = answer.reason.or(Some(unclaimed_reason));
        } else if unpaid {
            for c in &mut result.children {
                c.amount = c.amount.map(|_| 0);
            }
            result.status = Status::NotEligible;
            result.reason = Some(if responsible.is_err() { "not_resident" } else { unclaimed_reason });
        } else if answer.min != answer.max {
            result.status = Status::Undetermined;
            result.range = Some(Range { min: answer.min, max: answer.max });
            result.missing = answer.missing;
        } else {
            result.status = Status::Eligible;
            result.amount = answer.max;
        }
        if !prep.apps.is_empty() {
            tr.step(|| TraceStep {
                rule: "allowances.claim",
                citation: claim_citation(scheme).into(),
                branch: result.reason.unwrap_or("covered").into(),
                ja: "認定請求をした日の属する月の翌月から支給します。".into(),
                en: "Paid from the month after the month of the application (認定請求).".into(),
                parameters: vec![],
                inputs: prep
                    .hh
                    .applications
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| a.scheme == scheme)
                    .map(|(i, a)| InputUse { path: format!("/applications/{i}/date"), value: json!(a.date) })
                    .collect(),
            });
        }
        result.trace = tr.finish();
        result
    }

    /// Whether `claimant` stays qualified (資格) in month `k`, whatever the income (an income at or
    /// above the limit stops payment, 支給停止, but does not end the 資格).
    fn qualifies(&self, scheme: Scheme, prep: &Prepared, claimant: usize, k: YearMonth) -> bool {
        if !alive(prep.hh, claimant, k) {
            return false;
        }
        match scheme {
            Scheme::ChildRearingAllowance => {
                prep.hh.persons[claimant].child_rearing_reason.is_some()
                    && prep.kids.iter().any(|c| self.rearing_child(c, k).1 != Eligibility::No)
            }
            _ => prep.kids.iter().any(|c| self.special_child(c, k).1 != Eligibility::No),
        }
    }

    /// Payments of a timeline's months under the scheme's schedule (dated by payment month).
    pub(crate) fn payments(&self, scheme: Scheme, months: &[MonthResult]) -> Vec<Payment> {
        let schedule = match scheme {
            Scheme::SpecialChildAllowance => &self.special.parameters.payments,
            Scheme::DisabledChildWelfareAllowance => &self.welfare.parameters.payments,
            _ => &self.rearing.parameters.payments,
        };
        let last = schedule.values.iter().rev().find_map(|v| v.value.as_deref()).unwrap_or(&[]);
        let in_force =
            |p: YearMonth| -> &[PayMonth] { schedule.at(p).and_then(|v| v.value.as_deref()).unwrap_or(last) };
        group_payments(months, |m| payment_month(m, in_force).unwrap_or(m))
    }

    /// The income year a month of `scheme` reads.
    pub(crate) fn income_year_for(&self, scheme: Scheme, m: YearMonth) -> Option<i32> {
        let switch = match scheme {
            Scheme::SpecialChildAllowance => at(&self.special.parameters.income_year_switch_month, m),
            Scheme::DisabledChildWelfareAllowance => at(&self.welfare.parameters.income_year_switch_month, m),
            _ => at(&self.rearing.parameters.income_year_switch_month, m),
        };
        switch.map(|s| income_year(s, m))
    }

    /// Parameter uses for the trace.
    fn uses<T: serde::Serialize>(&self, scheme: Scheme, list: &[(&str, &Param<T>)], m: YearMonth) -> Vec<ParamUse> {
        let (id, _, _, valid) = self.file(scheme);
        list.iter().filter_map(|(name, p)| ParamUse::of(id, name, p, m, valid.to)).collect()
    }

    /// Trace steps for the tested persons.
    fn trace_tests(&self, scheme: Scheme, prep: &Prepared, who: &str, tests: &[Tested], year: i32, tr: &mut Tracer) {
        for t in tests {
            if let Income::Known(b, _) = &t.income {
                if let Some(step) = self.employment.adjustment_step(prep.hh, t.person, year, b) {
                    tr.step(|| step);
                }
            }
            tr.step(|| {
                let id = &prep.hh.persons[t.person].id;
                let (income_ja, income_en) = match t.income {
                    Income::Known(b, d) => (
                        format!(
                            "所得額{}（扶養親族等{}人{}）",
                            crate::schemes::yen(b.income, crate::schemes::Lang::Ja),
                            d.count,
                            if d.exact { "" } else { "以上" }
                        ),
                        format!(
                            "所得額 {} ({}{} dependants)",
                            crate::schemes::yen(b.income, crate::schemes::Lang::En),
                            if d.exact { "" } else { "at least " },
                            d.count
                        ),
                    ),
                    Income::Missing => ("所得の入力なし".into(), "income not given".into()),
                    Income::NotKnown(_) => {
                        ("所得額を計算する数値が不明".into(), "a figure needed for the 所得額 is not known".into())
                    }
                };
                let limit = t.limit.map(|l| l.value());
                let branch = match t.test {
                    Test::Below => "below",
                    Test::AtOrAbove => "at_or_above",
                    Test::Open => "open",
                    Test::NotKnown => "not_known",
                };
                TraceStep {
                    rule: match scheme {
                        Scheme::SpecialChildAllowance => "special_child_allowance.income_test",
                        Scheme::DisabledChildWelfareAllowance => "disabled_child_welfare_allowance.income_test",
                        _ => "child_rearing_allowance.income_test",
                    },
                    citation: income_citation(scheme, who).into(),
                    branch: format!("{who}:{branch}"),
                    ja: format!(
                        "{id}（{}）: {year}年の{income_ja}、限度額{}。",
                        who_ja(who),
                        limit.map_or("不明".into(), |l| crate::schemes::yen(l, crate::schemes::Lang::Ja))
                    ),
                    en: format!(
                        "{id} ({who}): {year} {income_en}, limit {}.",
                        limit.map_or("not known".into(), |l| crate::schemes::yen(l, crate::schemes::Lang::En))
                    ),
                    parameters: vec![],
                    inputs: vec![InputUse {
                        path: format!("/persons/{}/income/{year}", t.person),
                        value: prep.hh.persons[t.person]
                            .income
                            .get(&IncomeYearKey(year))
                            .map_or(serde_json::Value::Null, |iy| serde_json::to_value(iy).unwrap_or_default()),
                    }],
                }
            });
        }
    }
}

/// Whether a child qualifies in a month: yes, no, or depending on a disability not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Eligibility {
    Yes,
    No,
    Unknown,
}

/// The band of a child excluded for reasons every allowance shares, if any: not born by the month
/// (counted from the month after birth), dead, not in care, in a facility.
fn excluded(k: &Kid, m: YearMonth) -> Option<crate::schemes::Band> {
    use crate::schemes::Band;
    if m <= k.born {
        Some(Band::NotBorn)
    } else if k.died.is_some_and(|d| d < m) {
        Some(Band::Deceased)
    } else if !k.in_care {
        Some(Band::NotInCare)
    } else if k.in_facility {
        Some(Band::InFacility)
    } else {
        None
    }
}

fn who_ja(who: &str) -> &'static str {
    match who {
        "claimant" => "受給資格者本人",
        "guardian" | "guardian_ordinary" => "養育者本人",
        "child" => "障害児本人",
        _ => "配偶者・扶養義務者",
    }
}

fn claim_citation(scheme: Scheme) -> &'static str {
    match scheme {
        Scheme::ChildRearingAllowance => {
            "児童扶養手当法第7条第1項（認定請求をした日の属する月の翌月から支給; FACTS.md §2.5, F6）"
        }
        Scheme::SpecialChildAllowance => {
            "特別児童扶養手当等の支給に関する法律第5条の2第1項（認定請求をした日の属する月の翌月から支給）"
        }
        _ => "特別児童扶養手当等の支給に関する法律第5条の2第1項（第26条で障害児福祉手当に準用; FACTS.md §3.4, D11）",
    }
}

/// The article of each income test (児童扶養手当法第9条〜第11条; 特別児童扶養手当等の支給に関する法律
/// 第6条〜第8条, 第20条・第21条; docs/research/issue-5-followup.md §1). `who`: `claimant` (a
/// parent), `guardian` (養育者), `relative` (of a parent claimant), `guardian_relative`, `child`.
fn income_citation(scheme: Scheme, who: &str) -> &'static str {
    match (scheme, who) {
        (Scheme::ChildRearingAllowance, "claimant") => {
            "児童扶養手当法第9条第1項（受給資格者（父又は母）の所得が政令で定める額以上であるとき）"
        }
        (Scheme::ChildRearingAllowance, "guardian_ordinary") => {
            "児童扶養手当法第9条第1項（孤児等の養育者以外の受給資格者（養育者）の所得が政令で定める額以上であるとき）"
        }
        (Scheme::ChildRearingAllowance, "guardian") => "児童扶養手当法第9条の2（孤児等の養育者の所得が政令で定める額以上であるとき）",
        (Scheme::ChildRearingAllowance, "guardian_relative") => {
            "児童扶養手当法第11条（養育者の配偶者・生計を維持する扶養義務者の所得が政令で定める額以上であるとき）"
        }
        (Scheme::ChildRearingAllowance, _) => {
            "児童扶養手当法第10条（父又は母の配偶者・扶養義務者の所得が政令で定める額以上であるとき）"
        }
        (Scheme::SpecialChildAllowance, "claimant" | "guardian") => {
            "特別児童扶養手当等の支給に関する法律第6条（受給資格者本人の所得が政令で定める額以上であるとき）"
        }
        (Scheme::SpecialChildAllowance, "guardian_relative") => {
            "特別児童扶養手当等の支給に関する法律第8条（養育者の配偶者・扶養義務者の所得が政令で定める額以上であるとき）"
        }
        (Scheme::SpecialChildAllowance, _) => {
            "特別児童扶養手当等の支給に関する法律第7条（父母の配偶者・扶養義務者の所得が政令で定める額以上であるとき）"
        }
        (_, "child") => "特別児童扶養手当等の支給に関する法律第20条（障害児本人の所得が限度額を超えるとき）",
        _ => "特別児童扶養手当等の支給に関する法律第21条（配偶者・扶養義務者の所得が政令で定める額以上であるとき）",
    }
}
