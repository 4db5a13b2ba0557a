//! A month of one household: the rules' answer under each regime and the status cascade.

use super::*;

/// The rules' answer for a month before applications are considered.
pub(super) struct RulesMonth {
    pub(super) min: Yen,
    pub(super) max: Yen,
    pub(super) not_known: bool,
    pub(super) reason: Option<&'static str>,
    pub(super) claimant: Option<usize>,
    pub(super) children: Vec<ChildResult>,
    pub(super) income_test: Option<IncomeTest>,
    pub(super) missing: Vec<String>,
}

impl ChildAllowance {
    /// The 2012 regime's answer for month `m` with parameters `p`; the income test reads the
    /// higher-earning living parent (J31) even when another parent applied.
    pub(super) fn rules_2012(
        &self,
        prep: &Prepared,
        p: &Month2012,
        m: YearMonth,
        parents: &[usize],
        fixed: Option<usize>,
        tr: &mut Tracer,
    ) -> RulesMonth {
        let ids = |i: usize| prep.hh.persons[prep.kids[i].dates.person].id.clone();
        // Equal incomes: the applicant stays the 受給者 (listed first; the higher earner wins otherwise).
        let order = crate::concepts::claimant::applicant_first(parents, fixed);
        let io = self.income_outcome(prep, p, m, &order);
        let mut lo_hi: Option<(Yen, Yen)> = None;
        for t in io.tiers.iter() {
            let a = sum_2012(p, m, &prep.kids, t, |_, _, _, _| {});
            lo_hi = Some(lo_hi.map_or((a, a), |(lo, hi)| (lo.min(a), hi.max(a))));
        }
        let (min, max) = lo_hi.unwrap_or((0, 0));
        // With no child who could be paid even at the full amounts, the income test (and any
        // figure it lacks) cannot matter.
        let io = if sum_2012(p, m, &prep.kids, Tier::Full, |_, _, _, _| {}) == 0 {
            IncomeOutcome { tiers: Tiers::one(Tier::Full), missing: vec![], ..io }
        } else {
            io
        };
        let single = io.tiers.single().filter(|_| !io.tiers.not_known);
        let mut children = Vec::with_capacity(prep.kids.len());
        sum_2012(p, m, &prep.kids, single.unwrap_or(Tier::Full), |i, band, rank, amount| {
            children.push(ChildResult { id: ids(i), band, rank, amount: single.map(|_| amount), grade: None });
        });
        if tr.on() {
            self.trace_2012(prep, p, m, &io, &children, tr);
        }
        let reason = match single {
            _ if io.tiers.not_known => Some("figure_not_known"),
            Some(Tier::Nothing) if sum_2012(p, m, &prep.kids, Tier::Full, |_, _, _, _| {}) > 0 => {
                Some("income_at_or_above_upper_limit")
            }
            _ if max == 0 => Some("no_eligible_child"),
            _ => None,
        };
        RulesMonth {
            min,
            max,
            not_known: io.tiers.not_known,
            reason,
            // The legal 受給者 is the higher earner (J31, FACTS.md §13.8), whoever applied.
            claimant: io.claimant.or(fixed),
            children,
            income_test: io.test,
            missing: io.missing,
        }
    }

    pub(super) fn month_rules(&self, prep: &Prepared, m: YearMonth, rule: ClaimantRule, tr: &mut Tracer) -> RulesMonth {
        let none = |reason| RulesMonth {
            min: 0,
            max: 0,
            not_known: false,
            reason: Some(reason),
            claimant: None,
            children: vec![],
            income_test: None,
            missing: vec![],
        };
        if m < self.first_month() {
            return none("before_2012_04");
        }
        // A parent who has died is no claimant from the month after death (第8条2項: the
        // entitlement ends with the month in which its reason ceases).
        let alive = |i: usize| prep.hh.persons[i].death_date.is_none_or(|d| YearMonth::of(d) >= m);
        if let ClaimantRule::Fixed(c) = rule {
            if !alive(c) {
                return none("claimant_deceased");
            }
        }
        let parents: Vec<usize> = prep.parents.iter().copied().filter(|&i| alive(i)).collect();
        if parents.is_empty() {
            return none("no_claimant");
        }
        let fixed = match rule {
            ClaimantRule::Fixed(c) => Some(c),
            ClaimantRule::HigherIncome => None,
        };
        if self.is_2012(m) {
            self.rules_2012(prep, segment(&self.seg2012, m), m, &parents, fixed, tr)
        } else {
            let ids = |i: usize| prep.hh.persons[prep.kids[i].dates.person].id.clone();
            let p = segment(&self.seg2024, m);
            let matters = extended_unknown_matters(p, m, &prep.kids);
            let min = sum_2024(p, m, &prep.kids, false, |_, _, _, _| {});
            let max = sum_2024(p, m, &prep.kids, true, |_, _, _, _| {});
            let mut children = Vec::with_capacity(prep.kids.len());
            children_2024(p, m, &prep.kids, |i, band, rank, amount| {
                children.push(ChildResult { id: ids(i), band, rank, amount, grade: None });
            });
            let missing = if matters {
                prep.kids
                    .iter()
                    .filter(|k| k.extended == Extended::Unknown && band(k, m) == Band::YoungAdult)
                    .map(|k| format!("/persons/{}/extended_care", k.dates.person))
                    .collect()
            } else {
                vec![]
            };
            if tr.on() {
                self.trace_2024(prep, m, &children, tr);
            }
            let claimant = fixed.or((parents.len() == 1).then(|| parents[0]));
            let test = Some(IncomeTest::none());
            RulesMonth {
                min,
                max,
                not_known: false,
                reason: (max == 0).then_some("no_eligible_child"),
                claimant,
                children,
                income_test: test,
                missing,
            }
        }
    }

    /// Evaluate one month for a prepared household.
    pub(crate) fn evaluate(&self, prep: &Prepared, m: YearMonth, trace: bool) -> MonthResult {
        let mut tr = Tracer::new(trace);
        let mut result = MonthResult::empty(self.meta.id.clone(), m, Status::NotInForce);
        if m < self.first_month() {
            result.reason = Some(Code::new("before_2012_04"));
            tr.step(|| TraceStep {
                rule: Code::new(RULE_REGIME),
                citation: self.r2012.law.ja.clone(),
                branch: "not_in_force".into(),
                ja: format!("{m}は児童手当（平成24年4月以降の制度）の施行前です（子ども手当の期間は対象外）。"),
                en: format!("{m} is before the child allowance as encoded (from 2012-04; 子ども手当 is out of scope)."),
                parameters: vec![],
                inputs: vec![],
            });
            result.trace = tr.finish();
            return result;
        }
        let regime = if self.is_2012(m) { "2012" } else { "2024" };
        result.regime = Some(Code::new(regime));
        tr.step(|| {
            let r = if self.is_2012(m) {
                (&self.r2012.law, &self.r2012.title)
            } else {
                (&self.r2024.law, &self.r2024.title)
            };
            TraceStep {
                rule: Code::new(RULE_REGIME),
                citation: r.0.ja.clone(),
                branch: regime.into(),
                ja: format!("{m}分は「{}」を適用します。", r.1.ja),
                en: format!("{m}: the rules of \"{}\" apply.", r.1.en),
                parameters: vec![],
                inputs: vec![],
            }
        });
        let responsible = Self::responsible(prep, m);
        result.municipality = responsible.ok().flatten().map(str::to_owned);
        let covering = if prep.apps.is_empty() { None } else { self.covering(prep, m) };
        // Not covered: the rules' answer is still shown for the most recent claimant.
        let rule = match covering.or(prep.apps.last()) {
            Some(app) => ClaimantRule::Fixed(app.claimant),
            None => ClaimantRule::HigherIncome,
        };
        let rules = self.month_rules(prep, m, rule, &mut tr);
        result.claimant = rules.claimant.map(|c| prep.hh.persons[c].id.clone());
        if let ClaimantRule::Fixed(applicant) = rule {
            result.note_applicant(prep.hh, Some(applicant), rules.claimant);
        }
        result.children = rules.children;
        result.income_test = rules.income_test;
        let first_start = prep.apps.iter().map(|app| app.start).min();
        let unclaimed_reason = if first_start.is_none_or(|s| m < s) { "before_start" } else { "not_claimed" };
        let unpaid = if responsible.is_err() {
            Some("not_resident")
        } else {
            (!prep.apps.is_empty() && covering.is_none()).then_some(unclaimed_reason)
        };
        let settled = crate::schemes::Settled {
            min: rules.min,
            max: rules.max,
            not_known: rules.not_known,
            reason: rules.reason,
            missing: rules.missing,
        };
        result.settle(settled, unpaid, "no_eligible_child");
        if !prep.apps.is_empty() {
            tr.step(|| self.trace_claim(prep, m, covering, result.reason.as_ref().map(Code::as_str)));
        }
        result.trace = tr.finish();
        result
    }

    /// Payments for the months of a timeline: each month's amount in its payment month.
    pub(crate) fn payments(&self, months: &[MonthResult]) -> Vec<Payment> {
        // The schedule in force in each candidate payment month (支払期月, J5, J7–J9).
        let schedule = |p: YearMonth| -> &[PayMonth] {
            if self.is_2012(p) {
                &segment(&self.seg2012, p).payment_months
            } else {
                &segment(&self.seg2024, p).payment_months
            }
        };
        group_payments(months, |m| crate::schemes::payment_month(m, schedule).unwrap_or(m))
    }

    /// Ruleset ids used for a month.
    pub(crate) fn rulesets_for(&self, m: YearMonth) -> Vec<&RulesetInfo> {
        if m < self.first_month() {
            vec![]
        } else if self.is_2012(m) {
            vec![&self.info[0]]
        } else {
            vec![&self.info[1]]
        }
    }
}
