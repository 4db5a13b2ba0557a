//! One household: its children, its claimant (the higher 所得額), the income test of a month and
//! its applications (認定請求, the 15日特例, the 2024 transitional rule, coverage).

use super::*;

// ---------------------------------------------------------------------------------------------
// The single-household path: breakdown, claimant, applications, residence, trace.

/// A household prepared for 児童手当: validated, children keyed and sorted oldest first.
pub(crate) struct Prepared<'h> {
    pub(super) hh: &'h Household,
    pub(super) kids: Vec<ChildKeys>,
    pub(super) parents: Vec<usize>,
    /// This scheme's applications, by date, resolved once.
    pub(super) apps: Vec<PreparedApp<'h>>,
    /// How far each application covers (memoised).
    pub(super) reach: Vec<crate::schemes::Reach>,
}

/// An application (認定請求) with what every month needs from it, computed once per household.
pub(super) struct PreparedApp<'h> {
    /// Index in `household.applications`.
    pub(super) index: usize,
    /// The claimant's person index.
    pub(super) claimant: usize,
    /// First month it covers (15日特例, reform back-pay included).
    pub(super) start: YearMonth,
    /// The municipality applied to.
    pub(super) municipality: Option<&'h str>,
}

/// A claimant's income for a year, as far as known.
pub(super) struct ParentIncome {
    pub(super) person: usize,
    pub(super) breakdown: Option<Result<IncomeBreakdown, IncomeGap>>,
    pub(super) dependants: Option<DependantsInput>,
}

impl ParentIncome {
    pub(super) fn input(&self) -> IncomeInput {
        match &self.breakdown {
            None => IncomeInput::Unknown,
            Some(Err(_)) => IncomeInput::NotKnown,
            Some(Ok(b)) => IncomeInput::Known(b.income),
        }
    }
}

/// Who claims: fixed by an application, or the parent with the higher 所得額.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ClaimantRule {
    Fixed(usize),
    HigherIncome,
}

/// Result of claimant selection and the income test for a month.
pub(super) struct IncomeOutcome {
    pub(super) tiers: Tiers,
    pub(super) claimant: Option<usize>,
    /// The claimant's 所得額 computation, when determined.
    pub(super) breakdown: Option<IncomeBreakdown>,
    pub(super) test: Option<IncomeTest>,
    pub(super) missing: Vec<String>,
}

impl ChildAllowance {
    pub(crate) fn prepare<'h>(&self, hh: &'h ValidHousehold) -> Prepared<'h> {
        let mut kids: Vec<ChildKeys> = hh
            .persons
            .iter()
            .enumerate()
            .filter(|(_, p)| p.role == Role::Child)
            .filter_map(|(i, p)| {
                let birth = p.birth_date?;
                let extended = match p.extended_care {
                    None => Extended::Unknown,
                    Some(e) if !e.confirmed => Extended::No,
                    Some(e) => Extended::From(self.extended_from(birth, e.confirmed_on)),
                };
                Some(self.child_keys(i, birth, p.death_date, p.in_care, extended))
            })
            .collect();
        kids.sort_by_key(|k| k.dates.birth);
        let parents = hh.persons.iter().enumerate().filter(|(_, p)| p.role == Role::Parent).map(|(i, _)| i).collect();
        let mut indexes: Vec<(usize, usize)> = hh.applications_for(&self.meta.id).map(|(i, _, c)| (i, c)).collect();
        indexes.sort_by_key(|&(i, _)| hh.applications[i].date);
        let reach = indexes.iter().map(|_| crate::schemes::Reach::default()).collect();
        let mut prep = Prepared { hh, kids, parents, apps: Vec::with_capacity(indexes.len()), reach };
        // Starts need the prepared household.
        let apps = indexes
            .into_iter()
            .map(|(index, claimant)| {
                let a = &hh.applications[index];
                PreparedApp {
                    index,
                    claimant,
                    start: self.app_start(&prep, a, claimant),
                    municipality: Self::app_municipality(&prep, a),
                }
            })
            .collect();
        prep.apps = apps;
        prep
    }

    pub(super) fn parent_income(&self, prep: &Prepared, person: usize, year: i32, rules: &IncomeRules) -> ParentIncome {
        let key = crate::household::IncomeYearKey(year);
        let iy = prep.hh.persons[person].income.get(&key);
        let young = prep.kids.iter().map(|k| k.dates.young_dependant(prep.hh.persons[k.dates.person].income.get(&key)));
        self.year_income(iy, person, year, rules, &prep.kids, young)
    }

    /// A parent's 所得額 and 扶養親族等の数 for an income year (`None`: not given); `young` are the
    /// household's children as the 所得金額調整控除 reads them.
    pub(super) fn year_income<'a>(
        &self,
        iy: Option<&IncomeYear>,
        person: usize,
        year: i32,
        rules: &IncomeRules,
        kids: &[ChildKeys],
        young: impl IntoIterator<Item = income::YoungDependant<'a>>,
    ) -> ParentIncome {
        let Some(iy) = iy else {
            return ParentIncome { person, breakdown: None, dependants: None };
        };
        let salary = self.employment.salary_rules(year);
        let basis = income::adjustment_basis(iy, year, &salary, young);
        ParentIncome {
            person,
            breakdown: Some(income::scheme_income(iy, &salary, basis, rules)),
            dependants: Some(Self::dependants(kids, iy, year)),
        }
    }

    /// 扶養親族等の数: given, or the other dependants plus the household's children supported at
    /// 31 December of the income year (J17, J29); at least the children when neither is given.
    pub(super) fn dependants(kids: &[ChildKeys], iy: &IncomeYear, year: i32) -> DependantsInput {
        // Children supported at 31 December: in care up to the 18歳年度末, or with a confirmed
        // 監護相当・生計費の負担 after it. Other adult dependants go in other_dependants.
        let children = kids.iter().map(|k| (&k.dates, k.pool_2012_last.next().first_day()));
        match child::year_end_dependants(children, iy, year) {
            (count, true) => DependantsInput::Exact { count, elderly: iy.elderly_dependants },
            (count, false) => DependantsInput::AtLeast(count),
        }
    }

    /// Claimant and income test for month `m` of the 2012 regime.
    pub(super) fn income_outcome(
        &self,
        prep: &Prepared,
        p: &Month2012,
        m: YearMonth,
        candidates: &[usize],
    ) -> IncomeOutcome {
        let year = p.income_year(m);
        let incomes: Vec<ParentIncome> =
            candidates.iter().map(|&c| self.parent_income(prep, c, year, &p.income_rules)).collect();
        // The claimant is the parent with the higher 所得額 (J31); ties go to the first listed.
        let known_max = crate::concepts::claimant::higher_earner(incomes.iter().filter_map(|pi| match &pi.breakdown {
            Some(Ok(b)) => Some((b.income, pi)),
            _ => None,
        }));
        let undecided: Vec<&ParentIncome> = incomes.iter().filter(|pi| !matches!(pi.breakdown, Some(Ok(_)))).collect();
        // The same rule as the batch path (`claimant_income`): a parent's income that cannot be
        // computed makes the month not known; an income not given leaves every tier open (that
        // parent may be the higher earner); otherwise the higher earner's test decides.
        let mut missing = Vec::new();
        let tiers = if p.limit.is_none() {
            Tiers::one(Tier::Full) // no income test this month: income does not matter
        } else if undecided.iter().any(|pi| pi.input() == IncomeInput::NotKnown) {
            Tiers { bits: 0, not_known: true }
        } else if !undecided.is_empty() {
            missing.extend(undecided.iter().map(|pi| format!("/persons/{}/income/{}", pi.person, year)));
            p.tiers_for(IncomeInput::Unknown, DependantsInput::AtLeast(0))
        } else if let Some((_, pi)) = known_max {
            let deps = pi.dependants.unwrap_or(DependantsInput::AtLeast(0));
            if let DependantsInput::AtLeast(_) = deps {
                missing.push(format!("/persons/{}/income/{}/dependants", pi.person, year));
            }
            p.tiers_for(pi.input(), deps)
        } else {
            Tiers::default()
        };
        let claimant = match (known_max, undecided.is_empty()) {
            (Some((_, pi)), true) => Some(pi.person),
            (None, _) if undecided.len() == 1 => Some(undecided[0].person),
            _ => None,
        };
        let breakdown = match (known_max, undecided.is_empty()) {
            (Some((_, pi)), true) => pi.breakdown.and_then(Result::ok),
            _ => None,
        };
        let test = if p.limit.is_none() {
            Some(IncomeTest::none())
        } else {
            match (known_max, undecided.is_empty()) {
                (Some((income, pi)), true) => match pi.dependants {
                    Some(DependantsInput::Exact { count, elderly }) => {
                        let calc = p.tier(income, count, elderly);
                        let exact = |l: Option<Limit>| match l {
                            Some(Limit::Exact(v)) => Some(v),
                            _ => None,
                        };
                        calc.tiers.single().map(|t| IncomeTest {
                            outcome: Code::new(tier_name(t)),
                            year: Some(year),
                            income: Some(income),
                            dependants: Some(count),
                            elderly_dependants: elderly,
                            limit: exact(calc.limit),
                            upper_limit: exact(calc.upper),
                            relatives: vec![],
                        })
                    }
                    // Only a lower bound on the count is known, yet the tier is decided.
                    Some(DependantsInput::AtLeast(n)) => tiers.single().filter(|_| !tiers.not_known).map(|t| {
                        let calc = p.tier(income, n, 0);
                        IncomeTest {
                            outcome: Code::new(tier_name(t)),
                            year: Some(year),
                            income: Some(income),
                            dependants: None,
                            elderly_dependants: 0,
                            limit: match calc.limit {
                                Some(Limit::Exact(v)) => Some(v),
                                _ => None,
                            },
                            upper_limit: None,
                            relatives: vec![],
                        }
                    }),
                    None => None,
                },
                _ => None,
            }
        };
        // A missing input matters only if the outcome is still open.
        if tiers.single().is_some() || tiers.not_known {
            missing.clear();
        }
        IncomeOutcome { tiers, claimant, breakdown, test, missing }
    }

    /// The calendar year whose income the income test of month `m` reads (`None`: no income test).
    pub(crate) fn income_year_for(&self, m: YearMonth) -> Option<i32> {
        if !self.is_2012(m) {
            return None;
        }
        let p = segment(&self.seg2012, m);
        p.limit.as_ref().map(|_| p.income_year(m))
    }

    /// The claimant's income and dependants as the batch path takes them, with the single path's
    /// claimant rule: the higher 所得額 when every parent's is known; unknown otherwise.
    /// `parents` are the parents' incomes for the year [`Self::income_year_for`] gives.
    pub(crate) fn claimant_income(
        &self,
        m: YearMonth,
        parents: &[Option<&IncomeYear>],
        kids: &[ChildKeys],
    ) -> (IncomeInput, DependantsInput) {
        if parents.is_empty() {
            return (IncomeInput::NoClaimant, DependantsInput::AtLeast(0));
        }
        let Some(year) = self.income_year_for(m) else {
            return (IncomeInput::Unknown, DependantsInput::AtLeast(0));
        };
        let rules = &segment(&self.seg2012, m).income_rules;
        let incomes: Vec<ParentIncome> = parents
            .iter()
            .enumerate()
            .map(|(i, iy)| {
                self.year_income(*iy, i, year, rules, kids, kids.iter().map(|k| k.dates.young_dependant(None)))
            })
            .collect();
        if incomes.iter().any(|pi| pi.input() == IncomeInput::NotKnown) {
            return (IncomeInput::NotKnown, DependantsInput::AtLeast(0));
        }
        let mut known = Vec::with_capacity(incomes.len());
        for pi in &incomes {
            match pi.input() {
                IncomeInput::Known(i) => known.push((i, pi.dependants.unwrap_or(DependantsInput::AtLeast(0)))),
                _ => return (IncomeInput::Unknown, DependantsInput::AtLeast(0)),
            }
        }
        crate::concepts::claimant::higher_earner(known)
            .map_or((IncomeInput::Unknown, DependantsInput::AtLeast(0)), |(i, d)| (IncomeInput::Known(i), d))
    }

    pub(super) fn responsible<'h>(prep: &Prepared<'h>, m: YearMonth) -> Result<Option<&'h str>, ()> {
        crate::schemes::responsible(prep.hh, m)
    }

    /// The municipality an application was made to.
    pub(super) fn app_municipality<'h>(prep: &Prepared<'h>, a: &'h Application) -> Option<&'h str> {
        a.municipality
            .as_deref()
            .or_else(|| prep.hh.residence.iter().rev().find(|r| r.since <= a.date).map(|r| r.municipality.as_str()))
    }

    /// First month an application covers: the month after it, or after the birth or move it
    /// follows within 15 days (第8条2項・3項, J5, J36); for those newly eligible by the 2024
    /// reform who applied by the transitional deadline, 2024-10 (J8, J33).
    pub(super) fn app_start(&self, prep: &Prepared, a: &Application, claimant: usize) -> YearMonth {
        let events = prep.kids.iter().map(|k| k.dates.birth).chain(prep.hh.residence.iter().map(|r| r.since));
        let grace = self.claim_grace(a.date).0;
        let mut start = crate::concepts::claim::start_month(a.date, events, grace);
        let reform = self.r2024.valid.from;
        if a.date >= reform.first_day() && a.date <= self.transitional_deadline && start > reform {
            // Newly eligible by the reform: paid under the new rules in 2024-10 but not under the
            // old ones (高校生年代 only, or at or above the 上限) — not, e.g., a late application
            // after a September birth (FACTS.md §1.6, J8, J33).
            if self.rules_allow(prep, reform, claimant) && !self.old_rules_allow(prep, reform, claimant) {
                start = reform;
            }
        }
        start
    }

    /// The 15日特例 days for an application made on `date`: those of the regime of its month (an
    /// application under 子ども手当 reads the 2012 ones), with the regime, parameter and month for
    /// the trace.
    pub(super) fn claim_grace(&self, date: NaiveDate) -> (u32, &'static str, &crate::ruleset::Param<u32>, YearMonth) {
        let m = YearMonth::of(date);
        if m < self.r2024.valid.from {
            (
                self.ages.claim_grace_2012,
                "2012",
                &self.r2012.parameters.application_grace_days,
                m.max(self.first_month()),
            )
        } else {
            (self.ages.claim_grace_2024, "2024", &self.r2024.parameters.application_grace_days, m)
        }
    }

    /// Whether the rules alone (no application) could pay `claimant` in month `m`.
    /// A month whose figures are not known does not end an application (it may well be paid).
    pub(super) fn rules_allow(&self, prep: &Prepared, m: YearMonth, claimant: usize) -> bool {
        let r = self.month_rules(prep, m, ClaimantRule::Fixed(claimant), &mut Tracer::new(false));
        r.max > 0 || r.not_known
    }

    /// Whether the pre-reform rules (the 2012 regime's last parameters) would have paid
    /// `claimant` in month `m` — to tell who was newly made eligible by the 2024 reform.
    pub(super) fn old_rules_allow(&self, prep: &Prepared, m: YearMonth, claimant: usize) -> bool {
        let Some((_, last)) = self.seg2012.last() else { return false };
        let alive: Vec<usize> = prep
            .parents
            .iter()
            .copied()
            .filter(|&i| prep.hh.persons[i].death_date.is_none_or(|d| YearMonth::of(d) >= m))
            .collect();
        let r = self.rules_2012(prep, last, m, &alive, Some(claimant), &mut Tracer::new(false));
        r.max > 0 || r.not_known
    }

    /// For month `m`: the application covering it, if any. An application covers the months from
    /// its start while the claimant stays entitled under the rules and in the same municipality;
    /// after an interruption (資格消滅: no eligible child, income at or above the 上限, a move) a
    /// new application is needed.
    pub(super) fn covering<'p>(&self, prep: &'p Prepared, m: YearMonth) -> Option<&'p PreparedApp<'p>> {
        let ok = |app: &PreparedApp, k: YearMonth| {
            (Self::responsible(prep, k) == Ok(app.municipality) || prep.hh.residence.is_empty())
                && if k < self.first_month() {
                    // An application made under 子ども手当 (before 2012-04, out of scope) carries
                    // over into 児童手当 while there was a child to 中学校修了 (15歳年度末),
                    // 子ども手当's only condition (FACTS.md §1.2, J10); this approximates the
                    // carry-over, whose 経過措置 FACTS.md does not give.
                    prep.kids.iter().any(|c| c.dates.in_care && c.dates.born < k && k <= c.paid_2012_last)
                } else {
                    self.rules_allow(prep, k, app.claimant)
                }
        };
        prep.apps
            .iter()
            .zip(&prep.reach)
            .rev()
            .find(|(app, reach)| reach.covers(app.start, m, |k| ok(app, k)))
            .map(|(app, _)| app)
    }
}
