//! 障害児福祉手当 (disabled child welfare allowance) — 特別児童扶養手当等の支給に関する法律
//! (昭和39年法律第134号) 第17条〜, logic version 2019 (FACTS.md §3): an amount per severely
//! disabled child under 20 living at home, paid to the child (本人), tested on the child's own
//! 所得額 (法第20条: 超える) and on every adult of the household as 扶養義務者 (第21条).

mod params;

pub(crate) use params::WelfareParams;

use crate::calendar::YearMonth;
use crate::concepts::allowance::{
    at, combined, income_test, income_year, Allowance, Answer, ChildCase, Citations, Core, DisabledChild, Eligibility,
    Kid, Prepared, Test, Tested,
};
use crate::error::RulesetError;
use crate::explain::{TraceStep, Tracer};
use crate::household::ValidHousehold;
use crate::money::Yen;
use crate::ruleset::RulesetFile;
use crate::schemes::registry::{Load, SchemeFiles, Shared};
use crate::schemes::{Band, MonthResult};

/// 障害児福祉手当 with its ruleset.
#[derive(Debug, Clone)]
pub(crate) struct DisabledChildWelfareAllowance {
    core: Core,
    pub(crate) file: RulesetFile<WelfareParams>,
}

impl DisabledChildWelfareAllowance {
    /// 障害児福祉手当: 重度障害児 (常時の介護を要する).
    fn child(k: &Kid, m: YearMonth) -> (Band, Eligibility) {
        let (band, e, _) = DisabledChild::eligibility(k, m, k.disability.map(|d| d.severe), |severe| severe);
        (band, e)
    }

    /// 障害児福祉手当 for month `m`: each child is its own recipient (本人), tested on its own
    /// 所得額; the household's adults are its 扶養義務者. With applications, a child is paid from
    /// the month after its own application.
    fn month(&self, prep: &Prepared, m: YearMonth, tr: &mut Tracer) -> Answer {
        let p = &self.file.parameters;
        let hh = prep.hh;
        let amount = at(&p.amount, m);
        let status: Vec<(Band, Eligibility)> = prep.kids.iter().map(|k| Self::child(k, m)).collect();
        let mut cases: Vec<ChildCase> = status
            .iter()
            .map(|&(band, eligibility)| {
                let a = if eligibility == Eligibility::No { 0 } else { amount.unwrap_or(0) };
                ChildCase {
                    band,
                    eligibility,
                    grade: None,
                    best: a,
                    worst: if eligibility == Eligibility::Yes { a } else { 0 },
                }
            })
            .collect();
        if tr.on() {
            DisabledChild::trace_children(
                &self.core,
                prep,
                m,
                &cases,
                "特別児童扶養手当等の支給に関する法律第17条（在宅の重度障害児）",
                tr,
            );
        }
        let possible: Vec<usize> = (0..cases.len()).filter(|&i| cases[i].eligibility != Eligibility::No).collect();
        if possible.is_empty() {
            return Answer {
                children: DisabledChild::child_results(prep, &cases, Some(&vec![0; cases.len()])),
                ..Answer::none("no_eligible_child")
            };
        }
        let claimant = (possible.len() == 1).then(|| prep.kids[possible[0]].dates.person);
        // A child is paid from the month after its own application while it stays qualified.
        let covered = |i: usize| {
            let k = &prep.kids[i];
            prep.apps.is_empty()
                || prep.apps.iter().any(|a| {
                    a.claimant == k.dates.person
                        && a.start <= m
                        && a.start.through(m).all(|x| Self::child(k, x).1 != Eligibility::No)
                })
        };
        if !possible.iter().any(|&i| covered(i)) {
            // Unclaimed, whatever the figures (the caller names before_start / not_claimed).
            return Answer {
                claimant,
                children: DisabledChild::child_results(prep, &cases, None),
                ..Answer::default()
            };
        }
        let (Some(switch), Some(rules)) = (at(&p.income_year_switch_month, m), at(&p.income_rules, m)) else {
            return Answer {
                claimant,
                not_known: true,
                children: DisabledChild::child_results(prep, &cases, None),
                ..Answer::default()
            };
        };
        let year = income_year(switch, m);
        let (own_limit, other_limit) = (at(&p.own_limit, m), at(&p.other_limit, m));
        let rel: Vec<Tested> = Core::others(prep, m, None)
            .into_iter()
            .map(|i| self.core.test(prep, i, year, &rules, other_limit.as_ref(), false))
            .collect();
        let rel_test = combined(&rel);
        let own: Vec<Option<Tested>> = prep
            .kids
            .iter()
            .zip(&cases)
            .map(|(k, c)| {
                (c.eligibility != Eligibility::No)
                    .then(|| self.core.test(prep, k.dates.person, year, &rules, own_limit.as_ref(), false))
            })
            .collect();
        // A 扶養義務者 at or above the limit stops every child's allowance whatever else is not
        // known; a child's own test that is not known matters only for that child.
        let all_own_over = own.iter().flatten().all(|t| t.test == Test::AtOrAbove);
        if rel_test != Test::AtOrAbove
            && (rel_test == Test::NotKnown
                || own.iter().flatten().any(|t| t.test == Test::NotKnown)
                || (amount.is_none() && !all_own_over))
        {
            return Answer {
                claimant,
                not_known: true,
                children: DisabledChild::child_results(prep, &cases, None),
                ..Answer::default()
            };
        }
        let mut missing = Vec::new();
        let mut uncovered = 0;
        for (i, c) in cases.iter_mut().enumerate() {
            let Some(t) = &own[i] else { continue };
            if !covered(i) {
                uncovered += 1;
                c.best = 0;
                c.worst = 0;
                continue;
            }
            match t.test {
                Test::AtOrAbove => {
                    c.best = 0;
                    c.worst = 0;
                }
                Test::Open => {
                    c.worst = 0;
                    missing.extend(t.missing.clone());
                }
                _ => {}
            }
            if c.eligibility == Eligibility::Unknown && t.test != Test::AtOrAbove {
                missing.push(format!("/persons/{}/disability/severe", prep.kids[i].dates.person));
            }
        }
        let max: Yen = if rel_test == Test::AtOrAbove { 0 } else { cases.iter().map(|c| c.best).sum() };
        let min: Yen = if rel_test == Test::Below { cases.iter().map(|c| c.worst).sum() } else { 0 };
        if min != max {
            missing.extend(rel.iter().filter(|t| t.test == Test::Open).filter_map(|t| t.missing.clone()));
        } else {
            missing.clear();
        }
        let amounts: Vec<Yen> = cases.iter().map(|c| if rel_test == Test::AtOrAbove { 0 } else { c.best }).collect();
        let children = DisabledChild::child_results(prep, &cases, (min == max).then_some(amounts.as_slice()));
        let first = own.iter().flatten().next();
        let own_over = own.iter().flatten().all(|t| t.test == Test::AtOrAbove);
        let income_test = first.filter(|t| t.test != Test::Open || rel_test == Test::AtOrAbove).map(|t| {
            let outcome = if rel_test == Test::AtOrAbove {
                "relative_over_limit"
            } else if t.test == Test::AtOrAbove {
                "over_limit"
            } else {
                "below_limit"
            };
            income_test(outcome, year, t, None, &rel, hh)
        });
        if tr.on() {
            tr.step(|| TraceStep {
                rule: self.core.rule("income_year"),
                citation: p.income_year_switch_month.citation.clone(),
                branch: year.to_string(),
                ja: format!("{m}分は{year}年の所得で判定します（8月分〜翌7月分は前年の所得）。"),
                en: format!("{m} is judged on {year} income (8月分–翌7月分 on the previous year's)."),
                parameters: self.core.uses(&[("own_limit", &p.own_limit), ("other_limit", &p.other_limit)], m),
                inputs: vec![],
            });
            let own_list: Vec<Tested> = own.iter().flatten().cloned().collect();
            self.core.trace_tests(prep, "child", &own_list, year, tr);
            self.core.trace_tests(prep, "relative", &rel, year, tr);
            tr.step(|| TraceStep {
                rule: self.core.rule("amount"),
                citation: p.amount.citation.clone(),
                branch: if max > 0 { "paid" } else { "stopped" }.into(),
                ja: "重度障害児1人につき月額を支給します。".into(),
                en: "Each severely disabled child is paid the monthly amount.".into(),
                parameters: self.core.uses(&[("amount", &p.amount)], m),
                inputs: vec![],
            });
        }
        let reason = match () {
            _ if max > 0 => None,
            _ if rel_test == Test::AtOrAbove => Some("relative_income_over_limit"),
            _ if uncovered == possible.len() => None,
            _ if own_over => Some("income_over_limit"),
            _ => None,
        };
        Answer { min, max, not_known: false, reason, claimant, children, income_test, missing }
    }
}

impl Load for DisabledChildWelfareAllowance {
    fn load(files: SchemeFiles, shared: &Shared) -> Result<Self, RulesetError> {
        let (core, file) = Core::load(files, shared, Citations { claim: CLAIM, income: income_citation })?;
        Ok(Self { core, file })
    }
}

impl Allowance for DisabledChildWelfareAllowance {
    fn core(&self) -> &Core {
        &self.core
    }

    fn income_year_switch(&self) -> &crate::ruleset::Param<u32> {
        &self.file.parameters.income_year_switch_month
    }

    fn schedule(&self) -> &crate::ruleset::Param<Vec<crate::schemes::PayMonth>> {
        &self.file.parameters.payments
    }

    fn months(
        &self,
        hh: &ValidHousehold,
        months: &mut dyn Iterator<Item = YearMonth>,
        trace: bool,
    ) -> Vec<MonthResult> {
        let age = crate::concepts::allowance::age(&self.file.parameters.age);
        let prep = self.core.prepare(hh, age, age);
        self.core.months(&prep, months, trace, &mut |m, tr| {
            let answer = self.month(&prep, m, tr);
            let before = prep.apps.iter().all(|a| m < a.start);
            let unclaimed_reason = if before { "before_start" } else { "not_claimed" };
            // Each child applies for itself: coverage is decided per child inside `month`.
            crate::concepts::allowance::Claimed { answer, covered: true, unclaimed_reason, applicant: None }
        })
    }
}

/// Paid from the month after the application.
const CLAIM: &str =
    "特別児童扶養手当等の支給に関する法律第5条の2第1項（第26条で障害児福祉手当に準用; FACTS.md §3.4, D11）";

/// The article of each income test (特別児童扶養手当等の支給に関する法律第20条・第21条).
fn income_citation(who: &str) -> &'static str {
    match who {
        "child" => "特別児童扶養手当等の支給に関する法律第20条（障害児本人の所得が限度額を超えるとき）",
        _ => "特別児童扶養手当等の支給に関する法律第21条（配偶者・扶養義務者の所得が政令で定める額以上であるとき）",
    }
}
