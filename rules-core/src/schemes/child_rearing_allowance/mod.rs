//! 児童扶養手当 (child-rearing allowance) — 児童扶養手当法 (昭和36年法律第238号), logic version 2019
//! (FACTS.md §2): 本体 and 加算 by number of children, 全部支給 / 一部支給 by the claimant's 所得額
//! with the published formula, the 配偶者・扶養義務者 limit, the 2019-11 payment change and the
//! 2024-11 reform.

mod params;

pub(crate) use params::{ChildRearingParams, Coefficient, Part, RearingAmounts};

use crate::calendar::YearMonth;
use crate::concepts::allowance::{
    alive, at, combined, excluded, income_year, Allowance, Answer, Citations, Core, Eligibility, Income, Kid, Prepared,
    Test, Tested,
};
use crate::error::RulesetError;
use crate::explain::{InputUse, TraceStep, Tracer};
use crate::household::{ChildRearingReason, Role, ValidHousehold};
use crate::income::Limit;
use crate::money::Rate;
use crate::money::Yen;
use crate::ruleset::RulesetFile;
use crate::schemes::registry::{Load, SchemeFiles, Shared};
use crate::schemes::{yen, Band, ChildResult, Lang, MonthResult};
use serde_json::json;

/// 児童扶養手当 with its ruleset.
#[derive(Debug, Clone)]
pub(crate) struct ChildRearingAllowance {
    core: Core,
    pub(crate) file: RulesetFile<ChildRearingParams>,
}

/// Amounts for a month in which nothing is paid whatever they are (an income over a limit).
const ZERO_PART: Part =
    Part { full: 0, partial_max: 0, partial_min: 0, coefficient: Coefficient(Rate { numerator: 0, denominator: 1 }) };
const ZERO: RearingAmounts = RearingAmounts { first: ZERO_PART, second: ZERO_PART, third_or_later: ZERO_PART };

/// The claimant's income tier: 全部支給, 一部支給 (with the 所得額 above the 全部支給限度額), or
/// 全部停止.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tier {
    Full,
    Partial(Yen),
    Over,
}

impl Tier {
    fn name(self) -> &'static str {
        match self {
            Tier::Full => "full",
            Tier::Partial(_) => "partial",
            Tier::Over => "over_limit",
        }
    }
}

/// The amount of one child's part (rank 1 = 本体, 2 = 第2子加算, 3+ = 第3子以降加算) at a tier.
fn part_amount(a: &RearingAmounts, rank: usize, tier: Tier) -> Yen {
    let part: &Part = match rank {
        1 => &a.first,
        2 => &a.second,
        _ => &a.third_or_later,
    };
    match tier {
        Tier::Full => part.full,
        Tier::Partial(excess) => part.partial(excess),
        Tier::Over => 0,
    }
}

fn total(a: &RearingAmounts, children: usize, tier: Tier) -> Yen {
    (1..=children).map(|r| part_amount(a, r, tier)).sum()
}

/// The tier of a known 所得額 at given 全部 / 一部 limits (strict: 未満).
fn tier_at(income: Yen, full: Yen, partial: Yen) -> Tier {
    if income < full {
        Tier::Full
    } else if income < partial {
        Tier::Partial(income - full)
    } else {
        Tier::Over
    }
}

impl ChildRearingAllowance {
    /// Whether `claimant` stays qualified (資格) in month `k`, whatever the income (an income at or
    /// above the limit stops payment, 支給停止, but does not end the 資格).
    fn qualifies(prep: &Prepared, claimant: usize, k: YearMonth) -> bool {
        alive(prep.hh, claimant, k)
            && prep.hh.persons[claimant].child_rearing_reason.is_some()
            && prep.kids.iter().any(|c| Self::rearing_child(c, k).1 != Eligibility::No)
    }

    /// A child's band and eligibility in month `m` (法第3条第1項: 18歳年度末まで, or under 20 with
    /// the disability of 施行令別表第1).
    fn rearing_child(k: &Kid, m: YearMonth) -> (Band, Eligibility) {
        if let Some(b) = excluded(k, m) {
            return (b, Eligibility::No);
        }
        if m <= k.child_last {
            (Band::Child, Eligibility::Yes)
        } else if m <= k.under_20_last {
            match k.disability.map(|d| d.child_rearing) {
                None | Some(Some(false)) => (Band::AgedOut, Eligibility::No),
                Some(None) => (Band::DisabledUnder20, Eligibility::Unknown),
                Some(Some(true)) => (Band::DisabledUnder20, Eligibility::Yes),
            }
        } else {
            (Band::AgedOut, Eligibility::No)
        }
    }

    /// 児童扶養手当 for month `m`; `fixed` is the applicant, when there is an application.
    fn rearing_month(&self, prep: &Prepared, m: YearMonth, fixed: Option<usize>, tr: &mut Tracer) -> Answer {
        let hh = prep.hh;
        let claimant = fixed.or_else(|| {
            hh.persons
                .iter()
                .enumerate()
                .find(|&(i, x)| {
                    matches!(x.role, Role::Parent | Role::Guardian)
                        && x.child_rearing_reason.is_some()
                        && alive(hh, i, m)
                })
                .map(|(i, _)| i)
        });
        let Some(c) = claimant else { return Answer::none("no_qualifying_reason") };
        let person = &hh.persons[c];
        let Some(reason) = person.child_rearing_reason else {
            return Answer { claimant: Some(c), ..Answer::none("no_qualifying_reason") };
        };
        if !alive(hh, c, m) {
            return Answer { claimant: Some(c), ..Answer::none("claimant_deceased") };
        }
        let is_parent = person.role == Role::Parent;
        let spouse = Core::others(prep, m, Some(c)).into_iter().find(|&i| hh.persons[i].role == Role::Parent);
        tr.step(|| TraceStep {
            rule: self.core.rule("claimant"),
            citation: "児童扶養手当法第4条第1項（支給要件）".into(),
            branch: serde_json::to_value(reason).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
            ja: format!(
                "{}が{}として請求します（支給要件の事由の入力による）。",
                person.id,
                if is_parent { "父又は母" } else { "養育者" }
            ),
            en: format!(
                "{} claims as {} (qualifying reason as given).",
                person.id,
                if is_parent { "the parent" } else { "養育者 (guardian)" }
            ),
            parameters: vec![],
            inputs: vec![InputUse { path: format!("/persons/{c}/child_rearing_reason"), value: json!(reason) }],
        });
        if is_parent && reason != ChildRearingReason::ParentDisabled {
            if let Some(s) = spouse {
                tr.step(|| TraceStep {
                    rule: self.core.rule("spouse"),
                    citation: "児童扶養手当法第4条（父又は母が配偶者（事実婚を含む）と生計を同じくするときは支給要件に該当しない）".into(),
                    branch: "spouse_in_household".into(),
                    ja: format!("{}と同居する父又は母（{}）がいるため、支給要件に該当しません。", person.id, hh.persons[s].id),
                    en: format!("Another parent ({}) lives in the household, so the claim does not qualify.", hh.persons[s].id),
                    parameters: vec![],
                    inputs: vec![],
                });
                return Answer { claimant: Some(c), ..Answer::none("spouse_in_household") };
            }
        }
        // Which test (FACTS.md §13.7): the 本人 table with 一部支給 (法第9条) for a parent and for a
        // 養育者 whose children's parents are alive but do not care for them; all or nothing at the
        // 配偶者・扶養義務者 level (法第9条の2) for the 養育者 of 孤児等. A guardian's other reasons
        // do not say which: both are evaluated and the result is undetermined where they differ.
        let ordinary = match (is_parent, reason) {
            (true, _) | (false, ChildRearingReason::ParentsNotCaring) => Some(true),
            (false, ChildRearingReason::Orphan) => Some(false),
            (false, _) => None,
        };
        match ordinary {
            Some(ordinary) => self.rearing_tests(prep, m, c, is_parent, ordinary, tr),
            None => {
                let a = self.rearing_tests(prep, m, c, is_parent, true, tr);
                let b = self.rearing_tests(prep, m, c, is_parent, false, &mut Tracer::new(false));
                if a.agrees(&b) {
                    return a;
                }
                tr.step(|| TraceStep {
                    rule: self.core.rule("guardian_kind"),
                    citation: "児童扶養手当法第9条・第9条の2（孤児等の養育者か否か）".into(),
                    branch: "undetermined".into(),
                    ja: format!(
                        "{}が孤児等の養育者（第9条の2）か、父母が監護しない児童の養育者（第9条）かが入力から分かりません（orphan / parents_not_caring）。",
                        person.id
                    ),
                    en: format!(
                        "Whether {} raises 孤児等 (法第9条の2) or children whose parents do not care for them (法第9条) is not given (orphan / parents_not_caring).",
                        person.id
                    ),
                    parameters: vec![],
                    inputs: vec![InputUse { path: format!("/persons/{c}/child_rearing_reason"), value: json!(reason) }],
                });
                a.either(b, format!("/persons/{c}/child_rearing_reason"))
            }
        }
    }

    /// The income tests and amounts of 児童扶養手当 for claimant `c` in month `m`: `ordinary` is the
    /// 本人 table with 一部支給 (法第9条), otherwise the 孤児等の養育者 test (法第9条の2).
    fn rearing_tests(
        &self,
        prep: &Prepared,
        m: YearMonth,
        c: usize,
        is_parent: bool,
        ordinary: bool,
        tr: &mut Tracer,
    ) -> Answer {
        let p = &self.file.parameters;
        let hh = prep.hh;
        let status: Vec<(Band, Eligibility)> = prep.kids.iter().map(|k| Self::rearing_child(k, m)).collect();
        let sure = status.iter().filter(|s| s.1 == Eligibility::Yes).count();
        let maybe = status.iter().filter(|s| s.1 == Eligibility::Unknown).count();
        let child_results = |amounts: Option<(&RearingAmounts, Tier, bool)>| -> Vec<ChildResult> {
            let mut rank = 0;
            prep.kids
                .iter()
                .zip(&status)
                .map(|(k, (band, e))| {
                    let r = (*e == Eligibility::Yes).then(|| {
                        rank += 1;
                        rank
                    });
                    let amount = match (amounts, r) {
                        (Some((a, tier, paid)), Some(r)) => Some(if paid { part_amount(a, r, tier) } else { 0 }),
                        (Some(_), None) => Some(0),
                        _ if *e == Eligibility::No => Some(0),
                        _ => None,
                    };
                    ChildResult {
                        id: hh.persons[k.dates.person].id.clone(),
                        band: *band,
                        rank: r.map(|r| r as u32),
                        amount,
                        grade: None,
                    }
                })
                .collect()
        };
        if sure + maybe == 0 {
            return Answer { claimant: Some(c), children: child_results(None), ..Answer::none("no_eligible_child") };
        }
        let rules_param = if is_parent { &p.claimant_income_rules } else { &p.other_income_rules };
        let amounts = at(&p.amounts, m);
        let (Some(switch), Some(rules), Some(others_rules)) =
            (at(&p.income_year_switch_month, m), at(rules_param, m), at(&p.other_income_rules, m))
        else {
            return Answer { claimant: Some(c), not_known: true, children: child_results(None), ..Answer::default() };
        };
        let year = income_year(switch, m);
        let (full_t, part_t) = if ordinary {
            (at(&p.full_limit, m), at(&p.partial_limit, m))
        } else {
            // 孤児等の養育者: one limit, no 一部支給 (法第9条の2).
            (at(&p.other_limit, m), at(&p.other_limit, m))
        };
        let t_full = self.core.test(prep, c, year, &rules, full_t.as_ref(), true);
        let t_part = self.core.test(prep, c, year, &rules, part_t.as_ref(), true);
        let rel: Vec<Tested> = Core::others(prep, m, Some(c))
            .into_iter()
            .map(|i| self.core.test(prep, i, year, &others_rules, at(&p.other_limit, m).as_ref(), false))
            .collect();
        let rel_test = combined(&rel);
        // The claimant's best and worst tiers.
        // The claimant's best and worst tiers (`None`: a figure needed is not known).
        let tiers = match (t_full.test, t_part.test, t_full.income) {
            (Test::Below, _, _) => Some((Tier::Full, Tier::Full)),
            (Test::AtOrAbove, Test::AtOrAbove, _) => Some((Tier::Over, Tier::Over)),
            (Test::AtOrAbove, _, _) if !ordinary => Some((Tier::Over, Tier::Over)),
            (Test::AtOrAbove, Test::Below, Income::Known(b, _)) => {
                let full = t_full.limit.map_or(0, Limit::value);
                Some((Tier::Partial(b.income - full), Tier::Partial(b.income - full)))
            }
            (Test::Open, _, Income::Known(b, _)) => {
                let (f, q) = (t_full.limit.map_or(0, Limit::value), t_part.limit.map_or(0, Limit::value));
                Some((Tier::Full, if ordinary { tier_at(b.income, f, q) } else { Tier::Over }))
            }
            (Test::Open, _, Income::Missing) => Some((Tier::Full, Tier::Over)),
            _ => None,
        };
        let claimant_over = tiers == Some((Tier::Over, Tier::Over));
        let rel_over = rel_test == Test::AtOrAbove;
        // Either stop decides alone, whatever else is not known (法第9条, 第10条).
        // ... and also when the year's amounts are not known.
        let (best, worst, amounts) = match (tiers, amounts) {
            _ if claimant_over || rel_over => (Tier::Over, Tier::Over, amounts.unwrap_or(ZERO)),
            (Some(t), Some(a)) if rel_test != Test::NotKnown => (t.0, t.1, a),
            _ => {
                return Answer {
                    claimant: Some(c),
                    not_known: true,
                    children: child_results(None),
                    ..Answer::default()
                }
            }
        };
        let rel_best = !rel_over;
        let rel_worst = rel_test == Test::Below;
        let max = if rel_best { total(&amounts, sure + maybe, best) } else { 0 };
        let min = if rel_worst { total(&amounts, sure, worst) } else { 0 };
        let decided = min == max;
        let mut missing = Vec::new();
        if !decided {
            missing.extend(t_full.missing.clone().or(t_part.missing.clone()));
            missing.extend(rel.iter().filter(|t| t.test == Test::Open).filter_map(|t| t.missing.clone()));
            missing.extend(
                prep.kids
                    .iter()
                    .zip(&status)
                    .filter(|(_, s)| s.1 == Eligibility::Unknown)
                    .map(|(k, _)| format!("/persons/{}/disability/child_rearing", k.dates.person)),
            );
        }
        let tier = (best == worst).then_some(best);
        let children = child_results(decided.then_some((&amounts, best, rel_best)));
        let outcome = if claimant_over {
            "over_limit"
        } else if rel_over {
            "relative_over_limit"
        } else {
            tier.map_or("", Tier::name)
        };
        let upper = t_part.limit.and_then(Limit::exact).filter(|_| ordinary);
        let income_test = (!outcome.is_empty())
            .then(|| crate::concepts::allowance::income_test(outcome, year, &t_full, upper, &rel, hh));
        let reason = match () {
            _ if max > 0 => None,
            _ if claimant_over => Some("income_over_limit"),
            _ => Some("relative_income_over_limit"),
        };
        if tr.on() {
            self.trace_rearing(prep, m, &children, &amounts, tier, year, &t_full, &rel, is_parent, ordinary, tr);
        }
        Answer { min, max, not_known: false, reason, claimant: Some(c), children, income_test, missing }
    }

    #[allow(clippy::too_many_arguments)]
    fn trace_rearing(
        &self,
        prep: &Prepared,
        m: YearMonth,
        children: &[ChildResult],
        amounts: &RearingAmounts,
        tier: Option<Tier>,
        year: i32,
        claimant: &Tested,
        rel: &[Tested],
        is_parent: bool,
        ordinary: bool,
        tr: &mut Tracer,
    ) {
        let p = &self.file.parameters;
        for (c, k) in children.iter().zip(&prep.kids) {
            let (bja, ben) = c.band.text();
            tr.step(|| TraceStep {
                rule: self.core.rule("child"),
                citation: p.child_age.citation.clone(),
                branch: c.band.as_str().into(),
                ja: format!(
                    "{}（{}生）: {m}分は{bja}{}。",
                    c.id,
                    k.dates.birth,
                    c.rank.map_or(String::new(), |r| format!("、第{r}子"))
                ),
                en: format!(
                    "{} (born {}): {m} {ben}{}.",
                    c.id,
                    k.dates.birth,
                    c.rank.map_or(String::new(), |r| format!(", child #{r}"))
                ),
                parameters: self
                    .core
                    .uses(&[("child_age", &p.child_age), ("disabled_child_age", &p.disabled_child_age)], m),
                inputs: vec![InputUse {
                    path: format!("/persons/{}/birth_date", k.dates.person),
                    value: json!(k.dates.birth),
                }],
            });
        }
        let mut params = self.core.uses(&[("income_year_switch_month", &p.income_year_switch_month)], m);
        if ordinary {
            params.extend(self.core.uses(&[("full_limit", &p.full_limit), ("partial_limit", &p.partial_limit)], m));
        } else {
            params.extend(self.core.uses(&[("other_limit", &p.other_limit)], m));
        }
        if is_parent {
            params.extend(self.core.uses(&[("claimant_income_rules", &p.claimant_income_rules)], m));
        } else {
            params.extend(self.core.uses(&[("other_income_rules", &p.other_income_rules)], m));
        }
        tr.step(|| TraceStep {
            rule: self.core.rule("income_year"),
            citation: p.income_year_switch_month.citation.clone(),
            branch: year.to_string(),
            ja: format!(
                "{m}分は{year}年の所得で判定します（11月分〜翌10月分は前年の所得。2019年10月分までは8月分〜翌7月分）。"
            ),
            en: format!(
                "{m} is judged on {year} income (11月分–翌10月分 on the previous year's; to 2019-10, 8月分–翌7月分)."
            ),
            parameters: params,
            inputs: vec![],
        });
        // The claimant: 法第9条 (a parent, or a 養育者 of children whose parents do not care for them)
        // or 第9条の2 (the 養育者 of 孤児等); the others: 第10条 (a parent's) or 第11条 (a 養育者's).
        let (own, others) = match (is_parent, ordinary) {
            (true, _) => ("claimant", "relative"),
            (false, true) => ("guardian_ordinary", "guardian_relative"),
            (false, false) => ("guardian", "guardian_relative"),
        };
        self.core.trace_tests(prep, own, std::slice::from_ref(claimant), year, tr);
        self.core.trace_tests(prep, others, rel, year, tr);
        let n = children.iter().filter(|c| c.rank.is_some()).count();
        tr.step(|| {
            let total_ja = tier.map_or("額は未確定".to_owned(), |t| yen(total(amounts, n, t), Lang::Ja));
            let total_en = tier.map_or("amount undetermined".to_owned(), |t| yen(total(amounts, n, t), Lang::En));
            let (ja, en) = match tier {
                Some(Tier::Partial(e)) => (
                    format!(
                        "一部支給: 各額 = 一部支給最高額 − (所得額 − 全部支給限度額 = {}) × 係数（10円未満四捨五入）。本体係数{}。児童{n}人で{total_ja}。",
                        yen(e, Lang::Ja), amounts.first.coefficient
                    ),
                    format!(
                        "Partial payment: each part = its 一部支給最高額 − round10(({}) × coefficient); 本体 coefficient {}. {n} children: {total_en}.",
                        yen(e, Lang::En), amounts.first.coefficient
                    ),
                ),
                Some(Tier::Full) => (format!("全部支給: 児童{n}人で{total_ja}。"), format!("Full payment: {n} children, {total_en}.")),
                Some(Tier::Over) => ("所得額が一部支給の限度額以上のため全部支給停止。".into(), "所得額 at or above the 一部支給 limit: nothing is paid.".into()),
                None => ("所得の入力が不足しているため額は未確定です。".into(), "The amount depends on income not given.".into()),
            };
            TraceStep {
                rule: self.core.rule("amount"),
                citation: p.amounts.citation.clone(),
                branch: tier.map_or("undetermined", Tier::name).into(),
                ja,
                en,
                parameters: self.core.uses(&[("amounts", &p.amounts)], m),
                inputs: vec![],
            }
        });
    }
}

impl Load for ChildRearingAllowance {
    fn load(files: SchemeFiles, shared: &Shared) -> Result<Self, RulesetError> {
        let (core, file) = Core::load(files, shared, Citations { claim: CLAIM, income: income_citation })?;
        Ok(Self { core, file })
    }
}

impl Allowance for ChildRearingAllowance {
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
        let age = crate::concepts::allowance::age;
        let prep = self.core.prepare(hh, age(&p.child_age), age(&p.disabled_child_age));
        self.core.months(&prep, months, trace, &mut |m, tr| {
            Core::claimed_by_applicant(&prep, m, &|c, k| Self::qualifies(&prep, c, k), &mut |fixed| {
                self.rearing_month(&prep, m, fixed, tr)
            })
        })
    }
}

/// Paid from the month after the application.
const CLAIM: &str = "児童扶養手当法第7条第1項（認定請求をした日の属する月の翌月から支給; FACTS.md §2.5, F6）";

/// The article of each income test (児童扶養手当法第9条〜第11条; docs/research/issue-5-followup.md §1).
/// `who`: `claimant` (a parent), `guardian` (養育者 of 孤児等), `guardian_ordinary`, `relative`
/// (of a parent claimant), `guardian_relative`.
fn income_citation(who: &str) -> &'static str {
    match who {
        "claimant" => "児童扶養手当法第9条第1項（受給資格者（父又は母）の所得が政令で定める額以上であるとき）",
        "guardian_ordinary" => {
            "児童扶養手当法第9条第1項（孤児等の養育者以外の受給資格者（養育者）の所得が政令で定める額以上であるとき）"
        }
        "guardian" => "児童扶養手当法第9条の2（孤児等の養育者の所得が政令で定める額以上であるとき）",
        "guardian_relative" => {
            "児童扶養手当法第11条（養育者の配偶者・生計を維持する扶養義務者の所得が政令で定める額以上であるとき）"
        }
        _ => "児童扶養手当法第10条（父又は母の配偶者・扶養義務者の所得が政令で定める額以上であるとき）",
    }
}
