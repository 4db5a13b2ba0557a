//! The shared core of the income-tested allowances 児童扶養手当, 特別児童扶養手当 and 障害児福祉手当
//! (each in its own folder under `schemes/`): children's key months, the income year, each
//! person's 所得額 and its test against a limit table, the start month of an application
//! (認定請求の翌月), payment schedules dated by payment month, and how a month's answer becomes a
//! result.

mod disabled;
#[cfg(test)]
mod tests;

pub(crate) use disabled::{ChildCase, DisabledChild};

use crate::calendar::{self, YearMonth};
use crate::concepts::child::{self, ChildDates};
use crate::explain::{InputUse, ParamUse, TraceStep, Tracer};
use crate::household::{Disability, Household, IncomeYear, IncomeYearKey, Role, ValidHousehold};
use crate::income::{self, EmploymentIncomeParams, IncomeBreakdown, IncomeGap, IncomeRules, Limit, LimitTable};
use crate::money::Yen;
use crate::ruleset::{check_range, Param, RulesetFile, RulesetInfo, Text, Validity};
use crate::scheme::{Code, Query, Scheme, SchemeFile};
use crate::schemes::{
    group_payments, payment_month, responsible, ChildResult, IncomeTest, MonthResult, PayMonth, Payment, RelativeTest,
    Settled, Status,
};
use chrono::NaiveDate;
use serde_json::json;
use std::sync::Arc;

/// What each allowance scheme gives the shared core: its metadata, its one ruleset file's
/// heading, the shared income ruleset and the articles it cites.
#[derive(Debug, Clone)]
pub(crate) struct Core {
    pub(crate) meta: SchemeFile,
    /// The scheme's ruleset file.
    pub(crate) info: [RulesetInfo; 1],
    law: Text,
    title: Text,
    valid: Validity,
    /// The logic version (`2019`).
    regime: Code,
    employment: Arc<RulesetFile<EmploymentIncomeParams>>,
    citations: Citations,
}

/// The articles a scheme's shared steps cite.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Citations {
    /// Paid from the month after the application (認定請求).
    pub(crate) claim: &'static str,
    /// The article of each income test by `who` (`claimant`, `guardian`, `guardian_ordinary`,
    /// `relative`, `guardian_relative`, `child`).
    pub(crate) income: fn(&str) -> &'static str,
}

/// A child's key months for the allowances (legal calendar), computed once per household.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Kid {
    /// Birth, death, care.
    pub(crate) dates: ChildDates,
    /// The month of the 18歳年度末 (児童扶養手当's 児童).
    pub(crate) child_last: YearMonth,
    /// The day 20 is reached (the day before the 20th birthday).
    pub(crate) reaches_20: NaiveDate,
    /// The month in which 20 is reached (the last month "under 20").
    pub(crate) under_20_last: YearMonth,
    pub(crate) in_facility: bool,
    pub(crate) pension: bool,
    pub(crate) disability: Option<Disability>,
}

/// An application (認定請求): its claimant and first month (the month after it).
#[derive(Debug, Clone, Copy)]
pub(crate) struct App {
    pub(crate) claimant: usize,
    pub(crate) start: YearMonth,
}

/// A household prepared for the allowances.
pub(crate) struct Prepared<'h> {
    pub(crate) hh: &'h ValidHousehold,
    /// Oldest first.
    pub(crate) kids: Vec<Kid>,
    /// The scheme's applications, by date.
    pub(crate) apps: Vec<App>,
    /// How far each application covers (memoised).
    reach: Vec<crate::schemes::Reach>,
}

/// A person's 所得額 for an income year, as far as known.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Income {
    Known(IncomeBreakdown, Deps),
    /// The year is not given.
    Missing,
    /// Given, but a figure needed to compute it is not known to the rulesets; the 所得額 is at
    /// most this, when that much is known.
    NotKnown(Option<(Yen, Deps)>),
}

/// 扶養親族等の数 with the counts that raise the limits.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deps {
    count: u32,
    /// False: only a lower bound (the count was not given).
    exact: bool,
    elderly: u32,
    specified: u32,
}

/// The outcome of one income test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Test {
    Below,
    AtOrAbove,
    /// Depends on an input not given.
    Open,
    /// A figure needed is not known.
    NotKnown,
}

/// A person tested against a limit table.
#[derive(Debug, Clone)]
pub(crate) struct Tested {
    pub(crate) person: usize,
    pub(crate) income: Income,
    pub(crate) limit: Option<Limit>,
    pub(crate) test: Test,
    pub(crate) missing: Option<String>,
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
pub(crate) fn income_test(
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
        outcome: Code::new(outcome),
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
pub(crate) fn combined(tests: &[Tested]) -> Test {
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
pub(crate) struct Answer {
    pub(crate) min: Yen,
    pub(crate) max: Yen,
    pub(crate) not_known: bool,
    pub(crate) reason: Option<&'static str>,
    pub(crate) claimant: Option<usize>,
    pub(crate) children: Vec<ChildResult>,
    pub(crate) income_test: Option<IncomeTest>,
    pub(crate) missing: Vec<String>,
}

impl Answer {
    pub(crate) fn none(reason: &'static str) -> Self {
        Answer { reason: Some(reason), ..Answer::default() }
    }

    /// Whether two answers give the same amounts (so the input that chooses between them does not
    /// matter).
    pub(crate) fn agrees(&self, other: &Answer) -> bool {
        (self.min, self.max, self.not_known) == (other.min, other.max, other.not_known)
            && self.children == other.children
    }

    /// One of two answers, depending on the input at `pointer`: the same answer when they agree,
    /// else the range over both (amounts per child only where they agree).
    pub(crate) fn either(self, other: Answer, pointer: String) -> Answer {
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
pub(crate) fn at<T: Clone>(p: &Param<T>, m: YearMonth) -> Option<T> {
    p.at(m).and_then(|v| v.value.clone())
}

/// The calendar year whose income applies to month `m`: the previous year from the switch month
/// on, the year before that earlier in the year.
pub(crate) fn income_year(switch: u32, m: YearMonth) -> i32 {
    if m.month() >= switch {
        m.year() - 1
    } else {
        m.year() - 2
    }
}

/// Whether the person is alive in month `m` (a person who dies counts through the month of death).
pub(crate) fn alive(hh: &Household, person: usize, m: YearMonth) -> bool {
    hh.persons[person].death_date.is_none_or(|d| YearMonth::of(d) >= m)
}

/// What a scheme's month gives the shared cascade: the rules' answer, whether an application
/// covers the month (true without applications), why an uncovered month is unpaid and who applied.
pub(crate) struct Claimed {
    pub(crate) answer: Answer,
    pub(crate) covered: bool,
    pub(crate) unclaimed_reason: &'static str,
    pub(crate) applicant: Option<usize>,
}

impl Core {
    /// The core of scheme `meta` reading ruleset `file`.
    pub(crate) fn new<P>(
        meta: SchemeFile,
        (file, info): (&RulesetFile<P>, RulesetInfo),
        employment: Arc<RulesetFile<EmploymentIncomeParams>>,
        citations: Citations,
    ) -> Self {
        let regime = Code::from(file.logic.rsplit('/').next().unwrap_or(&file.logic).to_owned());
        Core {
            meta,
            info: [info],
            law: file.law.clone(),
            title: file.title.clone(),
            valid: file.valid,
            regime,
            employment,
            citations,
        }
    }

    /// The core and the typed ruleset of an allowance with one ruleset file.
    pub(crate) fn load<P: crate::ruleset::Parameters>(
        files: crate::schemes::registry::SchemeFiles,
        shared: &crate::schemes::registry::Shared,
        citations: Citations,
    ) -> Result<(Core, RulesetFile<P>), crate::error::RulesetError> {
        let (file, info) = files.single::<P>()?;
        Ok((Core::new(files.meta, (&file, info), shared.employment.clone(), citations), file))
    }

    /// A trace rule id of this scheme (`<scheme id>.<step>`).
    pub(crate) fn rule(&self, step: &str) -> Code {
        Code::from(format!("{}.{step}", self.meta.id))
    }

    /// The rulesets a month uses.
    pub(crate) fn rulesets_for(&self, m: YearMonth) -> Vec<&RulesetInfo> {
        if self.valid.contains(m) {
            vec![&self.info[0]]
        } else {
            vec![]
        }
    }

    /// Whether month `m` is encoded (and may read the income ruleset).
    pub(crate) fn covers(&self, m: YearMonth) -> bool {
        self.valid.contains(m)
    }

    /// Key months of the household's children and the scheme's applications: a 児童 to the
    /// `child_age` 年度末, disabled children to the day `adult_age` is reached.
    pub(crate) fn prepare<'h>(&self, hh: &'h ValidHousehold, child_age: u32, adult_age: u32) -> Prepared<'h> {
        let mut kids: Vec<Kid> = hh
            .persons
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let dates = ChildDates::of(i, p)?;
                let birth = dates.birth;
                let reaches_20 = calendar::age_reached_on(birth, adult_age).unwrap_or(NaiveDate::MAX);
                Some(Kid {
                    dates,
                    reaches_20,
                    child_last: calendar::fiscal_year_end_month_after_age(birth, child_age),
                    // 20歳に達する日 (the day before the 20th birthday) ends the month paid.
                    under_20_last: YearMonth::of(reaches_20),
                    in_facility: p.in_facility,
                    pension: p.disability_pension,
                    disability: p.disability,
                })
            })
            .collect();
        kids.sort_by_key(|k| k.dates.birth);
        let mut apps: Vec<(NaiveDate, App)> = hh
            .applications_for(&self.meta.id)
            // 支給は認定請求をした日の属する月の翌月から (no 15日特例 in these laws).
            .map(|(_, a, claimant)| {
                (a.date, App { claimant, start: crate::concepts::claim::start_month(a.date, [], 0) })
            })
            .collect();
        apps.sort_by_key(|(d, _)| *d);
        let reach = apps.iter().map(|_| crate::schemes::Reach::default()).collect();
        Prepared { hh, kids, apps: apps.into_iter().map(|(_, a)| a).collect(), reach }
    }

    /// A person's 所得額 and 扶養親族等の数 for `year`. For a claimant, when only
    /// `other_dependants` is given, the household's children supported at 31 December are added.
    pub(crate) fn income(
        &self,
        prep: &Prepared,
        person: usize,
        year: i32,
        rules: &IncomeRules,
        claimant: bool,
    ) -> Income {
        let Some(iy) = prep.hh.persons[person].income.get(&IncomeYearKey(year)) else {
            return Income::Missing;
        };
        let salary = self.employment.salary_rules(year);
        // A parent's or guardian's 扶養親族 may be the household's children; a relative's only as
        // given (`income_adjustment`) or through a 特別障害者控除.
        let may_support = matches!(prep.hh.persons[person].role, Role::Parent | Role::Guardian);
        let key = IncomeYearKey(year);
        let young = (prep.kids.iter().filter(|_| may_support))
            .map(|k| k.dates.young_dependant(prep.hh.persons[k.dates.person].income.get(&key)));
        let basis = income::adjustment_basis(iy, year, &salary, young);
        match income::scheme_income(iy, &salary, basis, rules) {
            Ok(b) => Income::Known(b, Self::deps(prep, iy, year, claimant)),
            Err(IncomeGap::RuleNotKnown { at_most }) => {
                Income::NotKnown(Some((at_most, Self::deps(prep, iy, year, claimant))))
            }
            Err(IncomeGap::DeductionNotKnown) => Income::NotKnown(None),
        }
    }
    /// 扶養親族等の数: when only `other_dependants` is given, a claimant's count adds the
    /// household's children in care and under 20 at 31 December (not yet at the day they reach
    /// 20), or with a confirmed 監護相当・生計費の負担.
    pub(crate) fn deps(prep: &Prepared, iy: &IncomeYear, year: i32, claimant: bool) -> Deps {
        let children = prep.kids.iter().filter(|_| claimant).map(|k| (&k.dates, k.reaches_20));
        let (count, exact) = child::year_end_dependants(children, iy, year);
        Deps { count, exact, elderly: iy.elderly_dependants, specified: iy.specified_dependants }
    }

    /// Test a person's 所得額 for `year` against `table` (`None`: the table is not known).
    /// Limits are strict (未満).
    pub(crate) fn test(
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
    pub(crate) fn compare(
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
    pub(crate) fn others(prep: &Prepared, m: YearMonth, exclude: Option<usize>) -> Vec<usize> {
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
    pub(crate) fn covering<'p>(
        prep: &'p Prepared,
        m: YearMonth,
        qualifies: impl Fn(usize, YearMonth) -> bool,
    ) -> Option<&'p App> {
        prep.apps
            .iter()
            .zip(&prep.reach)
            .rev()
            .find(|(a, reach)| reach.covers(a.start, m, |k| qualifies(a.claimant, k)))
            .map(|(a, _)| a)
    }

    /// One month of the scheme: the regime, the responsible municipality, the scheme's answer
    /// (`claimed`) and the status cascade every allowance shares.
    #[inline(never)]
    pub(crate) fn evaluate(
        &self,
        prep: &Prepared,
        m: YearMonth,
        trace: bool,
        claimed: &mut dyn FnMut(&mut Tracer) -> Claimed,
    ) -> MonthResult {
        let mut tr = Tracer::new(trace);
        let mut result = MonthResult::empty(self.meta.id.clone(), m, Status::NotKnown);
        if !self.valid.contains(m) {
            result.reason = Some(Code::new("before_encoded_period"));
            tr.step(|| TraceStep {
                rule: self.rule("regime"),
                citation: self.law.ja.clone(),
                branch: "before_encoded_period".into(),
                ja: format!("{m}分は符号化された期間（{}以降）の前です。", self.valid.from),
                en: format!("{m} is before the period encoded (from {}).", self.valid.from),
                parameters: vec![],
                inputs: vec![],
            });
            result.trace = tr.finish();
            return result;
        }
        result.regime = Some(self.regime.clone());
        tr.step(|| TraceStep {
            rule: self.rule("regime"),
            citation: self.law.ja.clone(),
            branch: self.regime.to_string(),
            ja: format!("{m}分は「{}」を適用します。", self.title.ja),
            en: format!("{m}: the rules of \"{}\" apply.", self.title.en),
            parameters: vec![],
            inputs: vec![],
        });
        let responsible = responsible(prep.hh, m);
        result.municipality = responsible.ok().flatten().map(str::to_owned);
        let Claimed { answer, covered, unclaimed_reason, applicant } = claimed(&mut tr);
        result.claimant = answer.claimant.map(|c| prep.hh.persons[c].id.clone());
        result.note_applicant(prep.hh, applicant, answer.claimant);
        result.children = answer.children;
        result.income_test = answer.income_test;
        let unpaid = if responsible.is_err() { Some("not_resident") } else { (!covered).then_some(unclaimed_reason) };
        let settled = Settled {
            min: answer.min,
            max: answer.max,
            not_known: answer.not_known,
            reason: answer.reason,
            missing: answer.missing,
        };
        result.settle(settled, unpaid, unclaimed_reason);
        if !prep.apps.is_empty() {
            tr.step(|| TraceStep {
                rule: Code::new("allowances.claim"),
                citation: self.citations.claim.into(),
                branch: result.reason.as_ref().map_or("covered", Code::as_str).into(),
                ja: "認定請求をした日の属する月の翌月から支給します。".into(),
                en: "Paid from the month after the month of the application (認定請求).".into(),
                parameters: vec![],
                inputs: prep
                    .hh
                    .applications_for(&self.meta.id)
                    .map(|(i, a, _)| InputUse { path: format!("/applications/{i}/date"), value: json!(a.date) })
                    .collect(),
            });
        }
        result.trace = tr.finish();
        result
    }

    /// The results of `months`, each evaluated (see [`Core::evaluate`]) with the scheme's `claimed`.
    pub(crate) fn months(
        &self,
        prep: &Prepared,
        months: &mut dyn Iterator<Item = YearMonth>,
        trace: bool,
        claimed: &mut dyn FnMut(YearMonth, &mut Tracer) -> Claimed,
    ) -> Vec<MonthResult> {
        let mut out = Vec::new();
        for m in months {
            out.push(self.evaluate(prep, m, trace, &mut |tr| claimed(m, tr)));
        }
        out
    }

    /// The month of a scheme whose claimant applies for all the children (児童扶養手当,
    /// 特別児童扶養手当): the covering application fixes the claimant; `qualifies` says whether a
    /// claimant stays qualified in a month (資格), `month` gives the answer for a fixed claimant.
    pub(crate) fn claimed_by_applicant(
        prep: &Prepared,
        m: YearMonth,
        qualifies: &dyn Fn(usize, YearMonth) -> bool,
        month: &mut dyn FnMut(Option<usize>) -> Answer,
    ) -> Claimed {
        let covering = if prep.apps.is_empty() { None } else { Self::covering(prep, m, qualifies) };
        let fixed = covering.or(prep.apps.last()).map(|a| a.claimant);
        let answer = month(fixed);
        let first = prep.apps.iter().map(|a| a.start).min();
        let unclaimed_reason = if first.is_none_or(|s| m < s) { "before_start" } else { "not_claimed" };
        Claimed { answer, covered: prep.apps.is_empty() || covering.is_some(), unclaimed_reason, applicant: fixed }
    }

    /// Payments of a timeline's months under a schedule dated by payment month.
    pub(crate) fn payments(schedule: &Param<Vec<PayMonth>>, months: &[MonthResult]) -> Vec<Payment> {
        let last = schedule.values.iter().rev().find_map(|v| v.value.as_deref()).unwrap_or(&[]);
        let in_force =
            |p: YearMonth| -> &[PayMonth] { schedule.at(p).and_then(|v| v.value.as_deref()).unwrap_or(last) };
        group_payments(months, |m| payment_month(m, in_force).unwrap_or(m))
    }

    /// The income year a month reads under the dated switch month.
    pub(crate) fn income_year_for(switch: &Param<u32>, m: YearMonth) -> Option<i32> {
        at(switch, m).map(|s| income_year(s, m))
    }

    /// Parameter uses for the trace.
    pub(crate) fn uses<T: serde::Serialize>(&self, list: &[(&str, &Param<T>)], m: YearMonth) -> Vec<ParamUse> {
        list.iter().filter_map(|(name, p)| ParamUse::of(&self.info[0].id, name, p, m, self.valid.to)).collect()
    }

    /// Trace steps for the tested persons.
    pub(crate) fn trace_tests(&self, prep: &Prepared, who: &str, tests: &[Tested], year: i32, tr: &mut Tracer) {
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
                    rule: self.rule("income_test"),
                    citation: (self.citations.income)(who).into(),
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
pub(crate) enum Eligibility {
    Yes,
    No,
    Unknown,
}

/// The band of a child excluded for reasons every allowance shares, if any: not born by the month
/// (counted from the month after birth), dead, not in care, in a facility.
pub(crate) fn excluded(k: &Kid, m: YearMonth) -> Option<crate::schemes::Band> {
    use crate::schemes::Band;
    if let Some(band) = k.dates.outside_life(m) {
        Some(band)
    } else if !k.dates.in_care {
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

/// Income-year switch months must be calendar months.
pub(crate) fn months_valid(name: &str, p: &Param<u32>, errors: &mut Vec<(String, String)>) {
    check_range(name, p, 1..=12, "a month", errors);
}

/// Ages that define key months: one value, 1–30 (a change is a new logic version).
pub(crate) fn ages_valid(names: &[(&str, &Param<u32>)], errors: &mut Vec<(String, String)>) {
    for (name, p) in names {
        if p.values.len() != 1 || p.values[0].value.is_none_or(|a| !(1..=30).contains(&a)) {
            errors.push((
                format!("/parameters/{name}/values"),
                "must have exactly one value, an age 1–30 (a change is a new logic version)".into(),
            ));
        }
    }
}

/// The one value of an age parameter (validated by [`ages_valid`]).
pub(crate) fn age(p: &Param<u32>) -> u32 {
    p.values.first().and_then(|v| v.value).unwrap_or(0)
}

/// What one of the allowances built on [`Core`] says itself; [`Scheme`] follows for all of them.
pub(crate) trait Allowance: Send + Sync + std::fmt::Debug + 'static {
    /// The shared core (metadata, ruleset heading, income ruleset, citations).
    fn core(&self) -> &Core;

    /// The dated month from which the previous calendar year's income applies.
    fn income_year_switch(&self) -> &Param<u32>;

    /// The payment schedule, dated by payment month.
    fn schedule(&self) -> &Param<Vec<PayMonth>>;

    /// The results of `months` for a validated household.
    fn months(&self, hh: &ValidHousehold, months: &mut dyn Iterator<Item = YearMonth>, trace: bool)
        -> Vec<MonthResult>;
}

impl<T: Allowance> Scheme for T {
    fn meta(&self) -> &SchemeFile {
        &self.core().meta
    }

    fn rulesets(&self) -> &[RulesetInfo] {
        &self.core().info
    }

    fn rulesets_for(&self, m: YearMonth) -> Vec<&RulesetInfo> {
        self.core().rulesets_for(m)
    }

    fn reads_income(&self, m: YearMonth) -> bool {
        self.core().covers(m)
    }

    fn income_year(&self, m: YearMonth) -> Option<i32> {
        Core::income_year_for(self.income_year_switch(), m)
    }

    fn months(
        &self,
        hh: &ValidHousehold,
        months: &mut dyn Iterator<Item = YearMonth>,
        trace: bool,
    ) -> Vec<MonthResult> {
        Allowance::months(self, hh, months, trace)
    }

    fn evaluate(&self, hh: &ValidHousehold, query: &Query, trace: bool) -> Vec<crate::schemes::Outcome> {
        crate::schemes::Outcome::monthly(self, hh, query, trace)
    }

    fn payments(&self, months: &[MonthResult]) -> Vec<Payment> {
        Core::payments(self.schedule(), months)
    }

    fn into_any(self: Arc<Self>) -> Arc<dyn std::any::Any + Send + Sync> {
        self
    }
}
