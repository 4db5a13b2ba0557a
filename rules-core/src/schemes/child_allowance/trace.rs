//! The trace text of 児童手当 (Japanese and English) with its citations and parameters.

use super::*;

// ---------------------------------------------------------------------------------------------
// Trace text.

/// A parameter of one of the two 児童手当 rulesets, for the trace.
pub(super) type ParamRef<'a, R> = (&'static str, &'a crate::ruleset::Param<R>);

impl ChildAllowance {
    pub(super) fn uses<T: serde::Serialize>(
        &self,
        regime: &str,
        list: &[ParamRef<'_, T>],
        m: YearMonth,
    ) -> Vec<ParamUse> {
        let (id, to) = if regime == "2012" {
            (&self.r2012.id, self.r2012.valid.to)
        } else {
            (&self.r2024.id, self.r2024.valid.to)
        };
        list.iter().filter_map(|(name, p)| ParamUse::of(id, name, p, m, to)).collect()
    }

    /// One step for the counting pool (ages), then one per child with the amount parameter used.
    pub(super) fn child_steps<'a>(
        &'a self,
        prep: &Prepared,
        m: YearMonth,
        children: &[ChildResult],
        regime: &'static str,
        amount_param: impl Fn(&ChildResult) -> Option<ParamRef<'a, Yen>>,
        tr: &mut Tracer,
    ) {
        let (ages, citation, ja, en) = if regime == "2012" {
            let q = &self.r2012.parameters;
            (
                self.uses(regime, &[("young_child_age", &q.young_child_age), ("primary_age", &q.primary_age), ("paid_age", &q.paid_age), ("counting_pool_age", &q.counting_pool_age)], m),
                q.counting_pool_age.citation.clone(),
                "18歳年度末までの養育する児童を年長順に数えて第何子かを決め、中学校修了前（15歳年度末）まで支給します。",
                "Children to 18歳年度末 are ranked oldest first; payment is to 15歳年度末 (end of lower secondary).",
            )
        } else {
            let q = &self.r2024.parameters;
            (
                self.uses(regime, &[("young_child_age", &q.young_child_age), ("paid_age", &q.paid_age), ("counting_pool_age", &q.counting_pool_age)], m),
                q.counting_pool_age.citation.clone(),
                "18歳年度末までの児童と、22歳年度末までで監護相当・生計費の負担の確認がある者を年長順に数え、18歳年度末まで支給します。",
                "Children to 18歳年度末, and those to 22歳年度末 with a confirmed 監護相当・生計費の負担, are ranked oldest first; payment is to 18歳年度末.",
            )
        };
        tr.step(|| TraceStep {
            rule: Code::new(if regime == "2012" {
                "child_allowance.2012.counting_pool"
            } else {
                "child_allowance.2024.counting_pool"
            }),
            citation,
            branch: format!("{} counted", children.iter().filter(|c| c.rank.is_some()).count()),
            ja: ja.into(),
            en: en.into(),
            parameters: ages,
            inputs: vec![],
        });
        for (c, k) in children.iter().zip(&prep.kids) {
            let (bja, ben) = c.band.text();
            let person = k.dates.person;
            let birth = k.dates.birth;
            let rank_ja = c.rank.map_or("順位の対象外".to_owned(), |r| format!("第{r}子"));
            let rank_en = c.rank.map_or("not in the counting pool".to_owned(), |r| format!("rank {r}"));
            let amount_ja = c.amount.map_or("額は未確定".to_owned(), |a| yen(a, Lang::Ja));
            let amount_en = c.amount.map_or("amount undetermined".to_owned(), |a| yen(a, Lang::En));
            let param = amount_param(c);
            tr.step(|| TraceStep {
                rule: Code::new(if regime == "2012" {
                    "child_allowance.2012.child_amount"
                } else {
                    "child_allowance.2024.child_amount"
                }),
                citation: param.map_or_else(|| self.r2012.law.ja.clone(), |(_, p)| p.citation.clone()),
                branch: serde_json::to_value(c.band)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                ja: format!("{}（{birth}生）: {m}分は{bja}、{rank_ja}、{amount_ja}。", c.id),
                en: format!("{} (born {birth}): {m} {ben}, {rank_en}, {amount_en}.", c.id),
                parameters: param.map(|pr| self.uses(regime, &[pr], m)).unwrap_or_default(),
                inputs: vec![InputUse { path: format!("/persons/{person}/birth_date"), value: json!(birth) }],
            });
        }
    }

    pub(super) fn trace_2012(
        &self,
        prep: &Prepared,
        p: &Month2012,
        m: YearMonth,
        io: &IncomeOutcome,
        children: &[ChildResult],
        tr: &mut Tracer,
    ) {
        let q = &self.r2012.parameters;
        let mut params =
            self.uses("2012", &[("income_limit", &q.income_limit), ("upper_income_limit", &q.upper_income_limit)], m);
        params.extend(self.uses("2012", &[("income_year_switch_month", &q.income_year_switch_month)], m));
        params.extend(self.uses("2012", &[("income_rules", &q.income_rules)], m));
        let (branch, ja, en) = match (&io.test, p.limit.is_some()) {
            (_, false) => (
                "none".to_owned(),
                format!("{m}分は所得制限の適用前です（2012-06分から）。"),
                format!("{m}: no income test yet (from 2012-06)."),
            ),
            (Some(t), true) => {
                let who = io.claimant.map(|c| prep.hh.persons[c].id.clone()).unwrap_or_default();
                let (upper_ja, upper_en) = t.upper_limit.map_or((String::new(), String::new()), |u| {
                    (format!("、所得上限限度額{}", yen(u, Lang::Ja)), format!(", upper limit {}", yen(u, Lang::En)))
                });
                let calc = io.breakdown.map_or(String::new(), |b| {
                    format!(
                        "（給与所得{} + 年金{} − {} + その他{} − 控除{} − {}）",
                        yen(b.employment_income, Lang::Ja),
                        yen(b.pension_income, Lang::Ja),
                        yen(b.employment_pension_reduction, Lang::Ja),
                        yen(b.other_income, Lang::Ja),
                        yen(b.deductions, Lang::Ja),
                        yen(b.flat_deduction, Lang::Ja)
                    )
                });
                let (y, inc, lim) = (t.year.unwrap_or(0), t.income.unwrap_or(0), t.limit.unwrap_or(0));
                let (n_ja, n_en) = match t.dependants {
                    Some(n) => (format!("扶養親族等{n}人"), format!("{n} dependants")),
                    None => (
                        "扶養親族等の数は未入力（家族の子どもの数を下限として判定）".to_owned(),
                        "the number of dependants not given (decided with the household's children as a lower bound)"
                            .to_owned(),
                    ),
                };
                let verdict = match t.outcome.as_str() {
                    "below_limit" => ("限度額未満のため本則の額", "below the limit: the full amounts"),
                    "special_benefit" => ("所得制限限度額以上のため特例給付", "at or above the limit: 特例給付"),
                    _ => ("所得上限限度額以上のため支給なし", "at or above the upper limit: nothing"),
                };
                (
                    t.outcome.to_string(),
                    format!(
                        "受給者{who}の{y}年の所得額{}{calc}、{n_ja}の所得制限限度額{}{upper_ja}（未満で判定）: {}。",
                        yen(inc, Lang::Ja),
                        yen(lim, Lang::Ja),
                        verdict.0
                    ),
                    format!(
                        "Claimant {who}: {y} income (所得額) {} with {n_en}; limit {}{upper_en} (strictly below): {}.",
                        yen(inc, Lang::En),
                        yen(lim, Lang::En),
                        verdict.1
                    ),
                )
            }
            (None, true) => (
                "undetermined".to_owned(),
                format!("{m}分の所得判定に必要な入力がありません: {}。", io.missing.join(", ")),
                format!("{m}: the income test needs inputs not given: {}.", io.missing.join(", ")),
            ),
        };
        let mut inputs = Vec::new();
        if let (Some(t), Some(c)) = (&io.test, io.claimant) {
            if let Some(y) = t.year {
                let value = prep.hh.persons[c].income.get(&crate::household::IncomeYearKey(y));
                inputs.push(InputUse {
                    path: format!("/persons/{c}/income/{y}"),
                    value: serde_json::to_value(value).unwrap_or_default(),
                });
                if value.is_some_and(|v| v.salary.is_some()) {
                    let month = YearMonth::new(y, 1).unwrap_or(m);
                    params.extend(ParamUse::of(
                        &self.employment.id,
                        "deduction",
                        &self.employment.parameters.deduction,
                        month,
                        None,
                    ));
                }
            }
        }
        if let (Some(b), Some(c), Some(y)) = (&io.breakdown, io.claimant, io.test.as_ref().and_then(|t| t.year)) {
            if let Some(step) = self.employment.adjustment_step(prep.hh, c, y, b) {
                tr.step(|| step);
            }
        }
        tr.step(|| TraceStep {
            rule: Code::new("child_allowance.2012.income_test"),
            citation: format!("{} / {}", q.income_limit.citation, q.special_benefit_amount.citation),
            branch,
            ja,
            en,
            parameters: params,
            inputs,
        });
        let tier = io.tiers.single();
        self.child_steps(
            prep,
            m,
            children,
            "2012",
            |c| match (tier, c.band, c.rank) {
                (_, _, None) | (Some(Tier::Nothing), _, _) => None,
                (Some(Tier::Special), Band::Under3 | Band::Primary | Band::LowerSecondary, _) => {
                    Some(("special_benefit_amount", &q.special_benefit_amount))
                }
                (_, Band::Under3, _) => Some(("amount_under_3", &q.amount_under_3)),
                (_, Band::Primary, Some(r)) if r >= 3 => {
                    Some(("amount_primary_third_or_later", &q.amount_primary_third_or_later))
                }
                (_, Band::Primary, _) => Some(("amount_primary_first_second", &q.amount_primary_first_second)),
                (_, Band::LowerSecondary, _) => Some(("amount_lower_secondary", &q.amount_lower_secondary)),
                _ => None,
            },
            tr,
        );
    }

    pub(super) fn trace_2024(&self, prep: &Prepared, m: YearMonth, children: &[ChildResult], tr: &mut Tracer) {
        let q = &self.r2024.parameters;
        tr.step(|| TraceStep {
            rule: Code::new("child_allowance.2024.income_test"),
            citation: self.r2024.law.ja.clone(),
            branch: "none".into(),
            ja: "令和6年10月分以降は所得制限がありません。".into(),
            en: "From 2024-10 there is no income test.".into(),
            parameters: vec![],
            inputs: vec![],
        });
        self.child_steps(
            prep,
            m,
            children,
            "2024",
            |c| match (c.band, c.rank) {
                (Band::Under3 | Band::Primary | Band::LowerSecondary | Band::UpperSecondary, Some(r)) if r >= 3 => {
                    Some(("amount_third_or_later", &q.amount_third_or_later))
                }
                (Band::Under3, Some(_)) => Some(("amount_under_3", &q.amount_under_3)),
                (Band::Primary | Band::LowerSecondary | Band::UpperSecondary, Some(_)) => {
                    Some(("amount_3_or_older", &q.amount_3_or_older))
                }
                _ => None,
            },
            tr,
        );
    }

    pub(super) fn trace_claim(
        &self,
        prep: &Prepared,
        m: YearMonth,
        covering: Option<&PreparedApp>,
        reason: Option<&str>,
    ) -> TraceStep {
        let transitional = covering.is_some_and(|app| {
            app.start == self.r2024.valid.from
                && YearMonth::of(prep.hh.applications[app.index].date) >= self.r2024.valid.from
        });
        let (ja, en, branch) = match covering {
            Some(app) if transitional => {
                let a = &prep.hh.applications[app.index];
                (
                    format!("{}の認定請求（{}）は令和6年改正で新たに対象となった者の経過措置（{}までの請求）により2024-10分から支給。", a.claimant, a.date, self.transitional_deadline),
                    format!("Application by {} on {}: newly eligible by the 2024 reform and made by {}, so paid from 2024-10 (transitional rule).", a.claimant, a.date, self.transitional_deadline),
                    "claimed_transitional",
                )
            }
            Some(app) => {
                let a = &prep.hh.applications[app.index];
                let s = app.start;
                let days = self.claim_grace(a.date).0;
                (
                    format!("{}の認定請求（{}）により{s}分から支給（請求の翌月、出生・転入の翌日から{days}日以内の請求はその翌月）。", a.claimant, a.date),
                    format!("Application by {} on {} covers months from {s} (the month after it, or after a birth or move-in within {days} days).", a.claimant, a.date),
                    "claimed",
                )
            }
            None => (
                format!("{m}分を対象とする認定請求がありません（{}）。", reason.unwrap_or("")),
                format!("No application covers {m} ({}).", reason.unwrap_or("")),
                "not_claimed",
            ),
        };
        TraceStep {
            rule: Code::new("child_allowance.start_month"),
            citation: "児童手当法 第8条第2項・第3項（認定請求の翌月から、15日特例）".into(),
            branch: branch.into(),
            ja,
            en,
            parameters: match covering {
                Some(_) if transitional => {
                    let p = &self.r2024.parameters.transitional_application_deadline;
                    self.uses("2024", &[("transitional_application_deadline", p)], self.r2024.valid.from)
                }
                Some(app) => {
                    let (_, regime, p, at) = self.claim_grace(prep.hh.applications[app.index].date);
                    self.uses(regime, &[("application_grace_days", p)], at)
                }
                None => vec![],
            },
            inputs: covering
                .map(|app| InputUse {
                    path: format!("/applications/{}", app.index),
                    value: serde_json::to_value(&prep.hh.applications[app.index]).unwrap_or_default(),
                })
                .into_iter()
                .collect(),
        }
    }
}
