//! 特別児童扶養手当 (special child-rearing allowance) — 特別児童扶養手当等の支給に関する法律
//! (昭和39年法律第134号), logic version 2018 (FACTS.md §3): an amount per child under 20 with a
//! 1級 or 2級 disability, stopped entirely when the claimant's or a 配偶者・扶養義務者's 所得額
//! reaches its limit (no partial band). The claimant is the applicant, else the higher-earning
//! parent, else a guardian.

mod params;

pub(crate) use params::SpecialChildParams;

use crate::calendar::YearMonth;
use crate::concepts::allowance::{
    alive, at, combined, income_test, income_year, Allowance, Answer, ChildCase, Citations, Core, DisabledChild,
    Eligibility, Income, Kid, Prepared, Test, Tested,
};
use crate::error::RulesetError;
use crate::explain::{TraceStep, Tracer};
use crate::household::{Role, SpecialChildGrade, ValidHousehold};
use crate::money::Yen;
use crate::ruleset::RulesetFile;
use crate::schemes::registry::{Load, SchemeFiles, Shared};
use crate::schemes::{Band, MonthResult};

/// 特別児童扶養手当 with its ruleset.
#[derive(Debug, Clone)]
pub(crate) struct SpecialChildAllowance {
    core: Core,
    pub(crate) file: RulesetFile<SpecialChildParams>,
}

impl SpecialChildAllowance {
    /// 特別児童扶養手当: 1級 or 2級 (施行令別表第3).
    fn child(k: &Kid, m: YearMonth) -> (Band, Eligibility, Option<SpecialChildGrade>) {
        DisabledChild::eligibility(k, m, k.disability.map(|d| d.special_child_grade), |g| g != SpecialChildGrade::None)
    }

    /// Whether `claimant` stays qualified (資格) in month `k`, whatever the income (an income at or
    /// above the limit stops payment, 支給停止, but does not end the 資格).
    fn qualifies(prep: &Prepared, claimant: usize, k: YearMonth) -> bool {
        alive(prep.hh, claimant, k) && prep.kids.iter().any(|c| Self::child(c, k).1 != Eligibility::No)
    }

    /// 特別児童扶養手当 for month `m`; `fixed` is the applicant, when there is an application.
    fn month(&self, prep: &Prepared, m: YearMonth, fixed: Option<usize>, tr: &mut Tracer) -> Answer {
        let p = &self.file.parameters;
        let hh = prep.hh;
        let (a1, a2) = (at(&p.amount_grade_1, m), at(&p.amount_grade_2, m));
        let cases: Vec<ChildCase> = prep
            .kids
            .iter()
            .map(|k| {
                let (band, eligibility, grade) = Self::child(k, m);
                let amount = |g| match g {
                    Some(SpecialChildGrade::Grade1) => a1.unwrap_or(0),
                    Some(SpecialChildGrade::Grade2) => a2.unwrap_or(0),
                    _ => 0,
                };
                let name = match grade {
                    Some(SpecialChildGrade::Grade1) => Some("grade_1"),
                    Some(SpecialChildGrade::Grade2) => Some("grade_2"),
                    _ => None,
                };
                match eligibility {
                    Eligibility::Yes => {
                        ChildCase { band, eligibility, grade: name, best: amount(grade), worst: amount(grade) }
                    }
                    Eligibility::Unknown => ChildCase {
                        band,
                        eligibility,
                        grade: None,
                        best: amount(Some(SpecialChildGrade::Grade1)),
                        worst: 0,
                    },
                    Eligibility::No => ChildCase { band, eligibility, grade: None, best: 0, worst: 0 },
                }
            })
            .collect();
        if tr.on() {
            DisabledChild::trace_children(
                &self.core,
                prep,
                m,
                &cases,
                "特別児童扶養手当等の支給に関する法律第3条（20歳未満で政令で定める程度の障害の状態にある障害児）",
                tr,
            );
        }
        let living = |role: Role| -> Vec<usize> {
            hh.persons.iter().enumerate().filter(|&(i, x)| x.role == role && alive(hh, i, m)).map(|(i, _)| i).collect()
        };
        let possible = cases.iter().any(|c| c.eligibility != Eligibility::No);
        if !possible {
            return Answer {
                children: DisabledChild::child_results(prep, &cases, Some(&vec![0; cases.len()])),
                ..Answer::none("no_eligible_child")
            };
        }
        let (Some(switch), Some(rules)) = (at(&p.income_year_switch_month, m), at(&p.income_rules, m)) else {
            return Answer {
                not_known: true,
                children: DisabledChild::child_results(prep, &cases, None),
                ..Answer::default()
            };
        };
        let year = income_year(switch, m);
        let (claimant_limit, other_limit) = (at(&p.claimant_limit, m), at(&p.other_limit, m));
        // The claimant (受給資格者): of two parents the one with the higher 所得額 (主として生計を維持
        // する者, FACTS.md §13.8; ties to the first listed) whoever applied; else the only parent or
        // the applicant; with no parent, a guardian (養育者).
        let parents = crate::concepts::claimant::applicant_first(&living(Role::Parent), fixed);
        let guardians = living(Role::Guardian);
        let mut missing_claimant = Vec::new();
        let two_parents = parents.len() > 1;
        let claimant = match fixed {
            Some(c) if !alive(hh, c, m) => return Answer { claimant: Some(c), ..Answer::none("claimant_deceased") },
            Some(c) if !(two_parents && hh.persons[c].role == Role::Parent) => Some(c),
            _ if parents.len() == 1 => Some(parents[0]),
            _ if parents.is_empty() => guardians.first().copied(),
            _ => {
                let incomes: Vec<(usize, Income)> =
                    parents.iter().map(|&i| (i, self.core.income(prep, i, year, &rules, true))).collect();
                if incomes.iter().any(|(_, x)| matches!(x, Income::NotKnown(_))) {
                    return Answer {
                        not_known: true,
                        children: DisabledChild::child_results(prep, &cases, None),
                        ..Answer::default()
                    };
                }
                missing_claimant.extend(
                    incomes
                        .iter()
                        .filter(|(_, x)| matches!(x, Income::Missing))
                        .map(|(i, _)| format!("/persons/{i}/income/{year}")),
                );
                if missing_claimant.is_empty() {
                    // Every income is known here (a missing or unknown one returned above).
                    let known = incomes.iter().filter_map(|(i, x)| match x {
                        Income::Known(b, _) => Some((b.income, *i)),
                        _ => None,
                    });
                    crate::concepts::claimant::higher_earner(known).map(|(_, i)| i)
                } else {
                    None
                }
            }
        };
        let Some(c) = claimant.or(if missing_claimant.is_empty() { None } else { fixed.or(parents.first().copied()) })
        else {
            return Answer {
                children: DisabledChild::child_results(prep, &cases, None),
                ..Answer::none("no_claimant")
            };
        };
        let own = self.core.test(prep, c, year, &rules, claimant_limit.as_ref(), true);
        // While the claimant is undecided (a parent's income is missing), the parents' roles are
        // open, but a known parent at or above the 扶養義務者 limit (above the 本人 limit too) or
        // another adult at or above it stops the allowance either way.
        let exclude = if claimant.is_some() { Some(c) } else { None };
        let rel: Vec<Tested> = Core::others(prep, m, exclude)
            .into_iter()
            .map(|i| self.core.test(prep, i, year, &rules, other_limit.as_ref(), false))
            .collect();
        let (own_test, rel_test) = match claimant {
            Some(_) => (own.test, combined(&rel)),
            None if combined(&rel) == Test::AtOrAbove => (Test::Open, Test::AtOrAbove),
            None => (Test::Open, Test::Open),
        };
        let stopped = own_test == Test::AtOrAbove || rel_test == Test::AtOrAbove;
        // A stop decides alone, even in a year whose amounts are not known.
        if !stopped && (own_test == Test::NotKnown || rel_test == Test::NotKnown || a1.is_none() || a2.is_none()) {
            return Answer {
                claimant,
                not_known: true,
                children: DisabledChild::child_results(prep, &cases, None),
                ..Answer::default()
            };
        }
        let best_pays = !stopped;
        let worst_pays = own_test == Test::Below && rel_test == Test::Below;
        let max: Yen = if best_pays { cases.iter().map(|c| c.best).sum() } else { 0 };
        let min: Yen = if worst_pays { cases.iter().map(|c| c.worst).sum() } else { 0 };
        let mut missing = Vec::new();
        if min != max {
            missing.extend(missing_claimant);
            if claimant.is_some() {
                missing.extend(own.missing.clone());
            }
            missing.extend(rel.iter().filter(|t| t.test == Test::Open).filter_map(|t| t.missing.clone()));
            missing.sort();
            missing.dedup();
            missing.extend(
                prep.kids
                    .iter()
                    .zip(&cases)
                    .filter(|(_, c)| c.eligibility == Eligibility::Unknown)
                    .map(|(k, _)| format!("/persons/{}/disability/special_child_grade", k.dates.person)),
            );
        }
        let amounts: Vec<Yen> = cases.iter().map(|c| if best_pays { c.best } else { 0 }).collect();
        let children = DisabledChild::child_results(prep, &cases, (min == max).then_some(amounts.as_slice()));
        let outcome = if own_test == Test::AtOrAbove {
            "over_limit"
        } else if rel_test == Test::AtOrAbove {
            "relative_over_limit"
        } else {
            "below_limit"
        };
        let income_test = claimant
            .filter(|_| own_test != Test::Open || rel_test == Test::AtOrAbove)
            .map(|_| income_test(outcome, year, &own, None, &rel, hh));
        if tr.on() {
            tr.step(|| TraceStep {
                rule: self.core.rule("income_year"),
                citation: p.income_year_switch_month.citation.clone(),
                branch: year.to_string(),
                ja: format!("{m}分は{year}年の所得で判定します（8月分〜翌7月分は前年の所得）。"),
                en: format!("{m} is judged on {year} income (8月分–翌7月分 on the previous year's)."),
                parameters: self
                    .core
                    .uses(&[("claimant_limit", &p.claimant_limit), ("other_limit", &p.other_limit)], m),
                inputs: vec![],
            });
            let guardian = hh.persons[c].role == Role::Guardian;
            let (who, others) = if guardian { ("guardian", "guardian_relative") } else { ("claimant", "relative") };
            self.core.trace_tests(prep, who, std::slice::from_ref(&own), year, tr);
            self.core.trace_tests(prep, others, &rel, year, tr);
            tr.step(|| TraceStep {
                rule: self.core.rule("amount"),
                citation: p.amount_grade_1.citation.clone(),
                branch: if best_pays { "paid" } else { "stopped" }.into(),
                ja: "障害児1人につき、1級又は2級の月額を支給します。".into(),
                en: "Each disabled child is paid the 1級 or 2級 monthly amount.".into(),
                parameters: self
                    .core
                    .uses(&[("amount_grade_1", &p.amount_grade_1), ("amount_grade_2", &p.amount_grade_2)], m),
                inputs: vec![],
            });
        }
        let reason = match () {
            _ if max > 0 => None,
            _ if own_test == Test::AtOrAbove => Some("income_over_limit"),
            _ if rel_test == Test::AtOrAbove => Some("relative_income_over_limit"),
            _ => None,
        };
        Answer { min, max, not_known: false, reason, claimant, children, income_test, missing }
    }
}

impl Load for SpecialChildAllowance {
    fn load(files: SchemeFiles, shared: &Shared) -> Result<Self, RulesetError> {
        let (core, file) = Core::load(files, shared, Citations { claim: CLAIM, income: income_citation })?;
        Ok(Self { core, file })
    }
}

impl Allowance for SpecialChildAllowance {
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
        let p = &self.file.parameters;
        let prep =
            self.core.prepare(hh, crate::concepts::allowance::age(&p.age), crate::concepts::allowance::age(&p.age));
        self.core.months(&prep, months, trace, &mut |m, tr| {
            Core::claimed_by_applicant(&prep, m, &|c, k| Self::qualifies(&prep, c, k), &mut |fixed| {
                self.month(&prep, m, fixed, tr)
            })
        })
    }
}

/// Paid from the month after the application.
const CLAIM: &str = "特別児童扶養手当等の支給に関する法律第5条の2第1項（認定請求をした日の属する月の翌月から支給）";

/// The article of each income test (特別児童扶養手当等の支給に関する法律第6条〜第8条;
/// docs/research/issue-5-followup.md §1).
fn income_citation(who: &str) -> &'static str {
    match who {
        "claimant" | "guardian" => {
            "特別児童扶養手当等の支給に関する法律第6条（受給資格者本人の所得が政令で定める額以上であるとき）"
        }
        "guardian_relative" => {
            "特別児童扶養手当等の支給に関する法律第8条（養育者の配偶者・扶養義務者の所得が政令で定める額以上であるとき）"
        }
        _ => "特別児童扶養手当等の支給に関する法律第7条（父母の配偶者・扶養義務者の所得が政令で定める額以上であるとき）",
    }
}
