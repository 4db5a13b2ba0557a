//! 特別児童扶養手当 (logic version 2018) and 障害児福祉手当 (logic version 2019) — 特別児童扶養手当等の
//! 支給に関する法律 (FACTS.md §3): an amount per disabled child under 20, stopped entirely when the
//! claimant's or a 配偶者・扶養義務者's 所得額 reaches its limit (no partial band).

use super::{
    alive, at, combined, excluded, income_test, income_year, Allowances, Answer, Eligibility, Income, Kid, Prepared,
    Test, Tested,
};
use crate::calendar::YearMonth;
use crate::explain::{InputUse, TraceStep, Tracer};
use crate::household::{Role, Scheme, SpecialChildGrade};
use crate::money::Yen;
use crate::schemes::{Band, ChildResult};
use serde_json::json;

/// A child's best and worst amounts in a month and what decides them.
struct ChildCase {
    band: Band,
    eligibility: Eligibility,
    grade: Option<&'static str>,
    /// Amount if eligible (the best grade when the grade is not known).
    best: Yen,
    /// Amount if the unknown resolves against the child.
    worst: Yen,
}

impl Allowances {
    /// A disabled child's band and eligibility in month `m` under 20, not in a facility, without a
    /// disability pension (特児扶 法第3条, 障害児福祉手当 法第17条), with the disability `judged`
    /// (`None`: no disability given; `Some(None)`: the judgement is not given).
    fn disabled_child<G: Copy>(
        k: &Kid,
        m: YearMonth,
        judged: Option<Option<G>>,
        qualifies: impl Fn(G) -> bool,
    ) -> (Band, Eligibility, Option<G>) {
        if let Some(b) = excluded(k, m) {
            return (b, Eligibility::No, None);
        }
        if m > k.under_20_last {
            return (Band::AgedOut, Eligibility::No, None);
        }
        if k.pension {
            return (Band::DisabilityPension, Eligibility::No, None);
        }
        match judged {
            Some(None) => (Band::Under20, Eligibility::Unknown, None),
            Some(Some(g)) if qualifies(g) => (Band::Under20, Eligibility::Yes, Some(g)),
            _ => (Band::NoQualifyingDisability, Eligibility::No, None),
        }
    }

    /// 特別児童扶養手当: 1級 or 2級 (施行令別表第3).
    pub(super) fn special_child(&self, k: &Kid, m: YearMonth) -> (Band, Eligibility, Option<SpecialChildGrade>) {
        Self::disabled_child(k, m, k.disability.map(|d| d.special_child_grade), |g| g != SpecialChildGrade::None)
    }

    /// 障害児福祉手当: 重度障害児 (常時の介護を要する).
    fn welfare_child(&self, k: &Kid, m: YearMonth) -> (Band, Eligibility) {
        let (band, e, _) = Self::disabled_child(k, m, k.disability.map(|d| d.severe), |severe| severe);
        (band, e)
    }

    fn child_results(prep: &Prepared, cases: &[ChildCase], decided: Option<&[Yen]>) -> Vec<ChildResult> {
        let mut rank = 0;
        prep.kids
            .iter()
            .zip(cases)
            .enumerate()
            .map(|(i, (k, c))| {
                let r = (c.eligibility == Eligibility::Yes).then(|| {
                    rank += 1;
                    rank
                });
                ChildResult {
                    id: prep.hh.persons[k.person].id.clone(),
                    band: c.band,
                    rank: r,
                    amount: decided.map(|a| a[i]),
                    grade: c.grade,
                }
            })
            .collect()
    }

    fn trace_children(
        &self,
        scheme: Scheme,
        prep: &Prepared,
        m: YearMonth,
        cases: &[ChildCase],
        citation: &str,
        tr: &mut Tracer,
    ) {
        for (k, c) in prep.kids.iter().zip(cases) {
            let (bja, ben) = c.band.text();
            tr.step(|| TraceStep {
                rule: if scheme == Scheme::SpecialChildAllowance {
                    "special_child_allowance.child"
                } else {
                    "disabled_child_welfare_allowance.child"
                },
                citation: citation.to_owned(),
                branch: c.band.as_str().into(),
                ja: format!(
                    "{}（{}生）: {m}分は{bja}{}。",
                    prep.hh.persons[k.person].id,
                    k.birth,
                    c.grade.map_or(String::new(), |g| format!("（{g}）"))
                ),
                en: format!(
                    "{} (born {}): {m} {ben}{}.",
                    prep.hh.persons[k.person].id,
                    k.birth,
                    c.grade.map_or(String::new(), |g| format!(" ({g})"))
                ),
                parameters: vec![],
                inputs: vec![
                    InputUse { path: format!("/persons/{}/birth_date", k.person), value: json!(k.birth) },
                    InputUse {
                        path: format!("/persons/{}/disability", k.person),
                        value: json!(prep.hh.persons[k.person].disability),
                    },
                ],
            });
        }
    }

    /// 特別児童扶養手当 for month `m`; `fixed` is the applicant, when there is an application.
    pub(super) fn special_month(&self, prep: &Prepared, m: YearMonth, fixed: Option<usize>, tr: &mut Tracer) -> Answer {
        const SCHEME: Scheme = Scheme::SpecialChildAllowance;
        let p = &self.special.parameters;
        let hh = prep.hh;
        let (a1, a2) = (at(&p.amount_grade_1, m), at(&p.amount_grade_2, m));
        let cases: Vec<ChildCase> = prep
            .kids
            .iter()
            .map(|k| {
                let (band, eligibility, grade) = self.special_child(k, m);
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
            self.trace_children(
                SCHEME,
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
                children: Self::child_results(prep, &cases, Some(&vec![0; cases.len()])),
                ..Answer::none("no_eligible_child")
            };
        }
        let (Some(switch), Some(rules)) = (at(&p.income_year_switch_month, m), at(&p.income_rules, m)) else {
            return Answer { not_known: true, children: Self::child_results(prep, &cases, None), ..Answer::default() };
        };
        let year = income_year(switch, m);
        let (claimant_limit, other_limit) = (at(&p.claimant_limit, m), at(&p.other_limit, m));
        // The claimant (受給資格者): of two parents the one with the higher 所得額 (主として生計を維持
        // する者, FACTS.md §13.8; ties to the first listed) whoever applied; else the only parent or
        // the applicant; with no parent, a guardian (養育者).
        let mut parents = living(Role::Parent);
        // Equal incomes: the applicant stays the claimant (listed first; ties go to the first).
        if let Some(at) = fixed.and_then(|f| parents.iter().position(|&p| p == f)) {
            parents[..=at].rotate_right(1);
        }
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
                    parents.iter().map(|&i| (i, self.income(prep, i, year, &rules, true))).collect();
                if incomes.iter().any(|(_, x)| matches!(x, Income::NotKnown(_))) {
                    return Answer {
                        not_known: true,
                        children: Self::child_results(prep, &cases, None),
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
                    incomes
                        .iter()
                        .fold(None::<(usize, Yen)>, |best, (i, x)| {
                            let v = match x {
                                Income::Known(b, _) => b.income,
                                _ => 0,
                            };
                            match best {
                                Some((_, bv)) if bv >= v => best,
                                _ => Some((*i, v)),
                            }
                        })
                        .map(|(i, _)| i)
                } else {
                    None
                }
            }
        };
        let Some(c) = claimant.or(if missing_claimant.is_empty() { None } else { fixed.or(parents.first().copied()) })
        else {
            return Answer { children: Self::child_results(prep, &cases, None), ..Answer::none("no_claimant") };
        };
        let own = self.test(prep, c, year, &rules, claimant_limit.as_ref(), true);
        // While the claimant is undecided (a parent's income is missing), the parents' roles are
        // open, but a known parent at or above the 扶養義務者 limit (above the 本人 limit too) or
        // another adult at or above it stops the allowance either way.
        let exclude = if claimant.is_some() { Some(c) } else { None };
        let rel: Vec<Tested> = Self::others(prep, m, exclude)
            .into_iter()
            .map(|i| self.test(prep, i, year, &rules, other_limit.as_ref(), false))
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
                children: Self::child_results(prep, &cases, None),
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
                    .map(|(k, _)| format!("/persons/{}/disability/special_child_grade", k.person)),
            );
        }
        let amounts: Vec<Yen> = cases.iter().map(|c| if best_pays { c.best } else { 0 }).collect();
        let children = Self::child_results(prep, &cases, (min == max).then_some(amounts.as_slice()));
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
                rule: "special_child_allowance.income_year",
                citation: p.income_year_switch_month.citation.clone(),
                branch: year.to_string(),
                ja: format!("{m}分は{year}年の所得で判定します（8月分〜翌7月分は前年の所得）。"),
                en: format!("{m} is judged on {year} income (8月分–翌7月分 on the previous year's)."),
                parameters: self.uses(
                    SCHEME,
                    &[("claimant_limit", &p.claimant_limit), ("other_limit", &p.other_limit)],
                    m,
                ),
                inputs: vec![],
            });
            let guardian = hh.persons[c].role == Role::Guardian;
            let (who, others) = if guardian { ("guardian", "guardian_relative") } else { ("claimant", "relative") };
            self.trace_tests(SCHEME, prep, who, std::slice::from_ref(&own), year, tr);
            self.trace_tests(SCHEME, prep, others, &rel, year, tr);
            tr.step(|| TraceStep {
                rule: "special_child_allowance.amount",
                citation: p.amount_grade_1.citation.clone(),
                branch: if best_pays { "paid" } else { "stopped" }.into(),
                ja: "障害児1人につき、1級又は2級の月額を支給します。".into(),
                en: "Each disabled child is paid the 1級 or 2級 monthly amount.".into(),
                parameters: self.uses(
                    SCHEME,
                    &[("amount_grade_1", &p.amount_grade_1), ("amount_grade_2", &p.amount_grade_2)],
                    m,
                ),
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

    /// 障害児福祉手当 for month `m`: each child is its own recipient (本人), tested on its own
    /// 所得額; the household's adults are its 扶養義務者. With applications, a child is paid from
    /// the month after its own application.
    pub(super) fn welfare_month(&self, prep: &Prepared, m: YearMonth, tr: &mut Tracer) -> Answer {
        const SCHEME: Scheme = Scheme::DisabledChildWelfareAllowance;
        let p = &self.welfare.parameters;
        let hh = prep.hh;
        let amount = at(&p.amount, m);
        let status: Vec<(Band, Eligibility)> = prep.kids.iter().map(|k| self.welfare_child(k, m)).collect();
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
            self.trace_children(
                SCHEME,
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
                children: Self::child_results(prep, &cases, Some(&vec![0; cases.len()])),
                ..Answer::none("no_eligible_child")
            };
        }
        let claimant = (possible.len() == 1).then(|| prep.kids[possible[0]].person);
        // A child is paid from the month after its own application while it stays qualified.
        let covered = |i: usize| {
            let k = &prep.kids[i];
            prep.apps.is_empty()
                || prep.apps.iter().any(|a| {
                    a.claimant == k.person
                        && a.start <= m
                        && a.start.through(m).all(|x| self.welfare_child(k, x).1 != Eligibility::No)
                })
        };
        if !possible.iter().any(|&i| covered(i)) {
            // Unclaimed, whatever the figures (the caller names before_start / not_claimed).
            return Answer { claimant, children: Self::child_results(prep, &cases, None), ..Answer::default() };
        }
        let (Some(switch), Some(rules)) = (at(&p.income_year_switch_month, m), at(&p.income_rules, m)) else {
            return Answer {
                claimant,
                not_known: true,
                children: Self::child_results(prep, &cases, None),
                ..Answer::default()
            };
        };
        let year = income_year(switch, m);
        let (own_limit, other_limit) = (at(&p.own_limit, m), at(&p.other_limit, m));
        let rel: Vec<Tested> = Self::others(prep, m, None)
            .into_iter()
            .map(|i| self.test(prep, i, year, &rules, other_limit.as_ref(), false))
            .collect();
        let rel_test = combined(&rel);
        let own: Vec<Option<Tested>> = prep
            .kids
            .iter()
            .zip(&cases)
            .map(|(k, c)| {
                (c.eligibility != Eligibility::No)
                    .then(|| self.test(prep, k.person, year, &rules, own_limit.as_ref(), false))
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
                children: Self::child_results(prep, &cases, None),
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
                missing.push(format!("/persons/{}/disability/severe", prep.kids[i].person));
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
        let children = Self::child_results(prep, &cases, (min == max).then_some(amounts.as_slice()));
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
                rule: "disabled_child_welfare_allowance.income_year",
                citation: p.income_year_switch_month.citation.clone(),
                branch: year.to_string(),
                ja: format!("{m}分は{year}年の所得で判定します（8月分〜翌7月分は前年の所得）。"),
                en: format!("{m} is judged on {year} income (8月分–翌7月分 on the previous year's)."),
                parameters: self.uses(SCHEME, &[("own_limit", &p.own_limit), ("other_limit", &p.other_limit)], m),
                inputs: vec![],
            });
            let own_list: Vec<Tested> = own.iter().flatten().cloned().collect();
            self.trace_tests(SCHEME, prep, "child", &own_list, year, tr);
            self.trace_tests(SCHEME, prep, "relative", &rel, year, tr);
            tr.step(|| TraceStep {
                rule: "disabled_child_welfare_allowance.amount",
                citation: p.amount.citation.clone(),
                branch: if max > 0 { "paid" } else { "stopped" }.into(),
                ja: "重度障害児1人につき月額を支給します。".into(),
                en: "Each severely disabled child is paid the monthly amount.".into(),
                parameters: self.uses(SCHEME, &[("amount", &p.amount)], m),
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
