//! The batch path: a columnar population evaluated at one month in entitlement mode, with no
//! allocation per household. It runs the same core as [`Engine::evaluate`] (tested equal by
//! proptest and, in the Python package, on random populations).

use crate::calendar::YearMonth;
use crate::engine::{check_date, validate_income_year};
use crate::error::{ErrorCode, InputError};
use crate::household::{ExtendedCare, Household, IncomeYear, Role};
use crate::money::Yen;
use crate::schemes::child_allowance::{BatchOutcome, ChildKeys, DependantsInput, Extended, IncomeInput};
use crate::schemes::Band;
use crate::Engine;
use chrono::NaiveDate;
use std::ops::Range;

/// A child of a batch household.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchChild {
    /// Birth date.
    pub birth: NaiveDate,
    /// Death date.
    pub death: Option<NaiveDate>,
    /// In the claimant's 監護・生計.
    pub in_care: bool,
    /// The 確認書 for 18–22-year-olds (None: not known).
    pub extended_care: Option<ExtendedCare>,
}

/// A columnar population: one entry per household, the children of all households in one array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Population {
    child_offsets: Vec<u32>,
    children: Vec<BatchChild>,
    income: Vec<IncomeInput>,
    dependants: Vec<DependantsInput>,
}

impl Default for Population {
    fn default() -> Self {
        Self::with_capacity(0, 0)
    }
}

impl Population {
    /// An empty population with room for `households` and `children`.
    pub fn with_capacity(households: usize, children: usize) -> Self {
        let mut child_offsets = Vec::with_capacity(households + 1);
        child_offsets.push(0);
        Self {
            child_offsets,
            children: Vec::with_capacity(children),
            income: Vec::with_capacity(households),
            dependants: Vec::with_capacity(households),
        }
    }

    /// Add a household: its children, the claimant's 所得額 for the income year of the month to
    /// be evaluated, and the 扶養親族等の数.
    pub fn push(
        &mut self,
        children: impl IntoIterator<Item = BatchChild>,
        income: IncomeInput,
        dependants: DependantsInput,
    ) {
        self.children.extend(children);
        self.child_offsets.push(self.children.len() as u32);
        self.income.push(income);
        self.dependants.push(dependants);
    }

    /// Number of households.
    pub fn len(&self) -> usize {
        self.income.len()
    }

    /// Whether there are no households.
    pub fn is_empty(&self) -> bool {
        self.income.is_empty()
    }

    /// The claimant's income as the income test reads it, per household.
    pub fn income(&self, household: usize) -> IncomeInput {
        self.income[household]
    }
}

/// One child's part of a batch result (only for determined results, like the single path).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChildOutcome {
    /// Household index in the population.
    pub household: u32,
    /// The child's index among the household's children, in input order.
    pub child: u32,
    /// Age band.
    pub band: Band,
    /// Rank in the counting pool.
    pub rank: Option<u32>,
    /// Amount (absent when the household's result is not determined).
    pub amount: Option<Yen>,
}

/// One person of a household, as a row of a long-format table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    /// Parent or child.
    pub role: Role,
    /// Birth date (required for children).
    pub birth_date: Option<NaiveDate>,
    /// Death date.
    pub death_date: Option<NaiveDate>,
    /// Child: in the claimant's 監護・生計.
    pub in_care: bool,
    /// Child: the 確認書 (None: not known).
    pub extended_care: Option<ExtendedCare>,
    /// Parent: the income year that applies to the month (see [`Engine::population_income_year`]);
    /// None: not known.
    pub income: Option<IncomeYear>,
}

/// Builds a [`Population`] for one month from households given person by person.
pub struct PopulationBuilder<'e> {
    engine: &'e Engine,
    month: YearMonth,
    population: Population,
    kids: Vec<ChildKeys>,
    max_persons: usize,
}

impl<'e> PopulationBuilder<'e> {
    /// Accept households of at most `n` persons (default [`crate::MAX_PERSONS`]); a larger one is
    /// an error naming its first row beyond the limit.
    pub fn max_persons(mut self, n: usize) -> Self {
        self.max_persons = n;
        self
    }

    /// The most persons a household may have.
    pub fn persons_limit(&self) -> usize {
        self.max_persons
    }

    /// Add a household. `first_row` numbers its rows in error paths (`/rows/<n>/field`).
    pub fn push_household(&mut self, persons: &[PersonRow], first_row: usize) -> Result<(), InputError> {
        if persons.len() > self.max_persons {
            return Err(InputError::new(
                ErrorCode::InvalidValue,
                format!("/rows/{}/household_id", first_row + self.max_persons),
                format!("a household has at most {} persons (max_persons)", self.max_persons),
            ));
        }
        let ca = self.engine.columnar();
        self.kids.clear();
        let mut parents: Vec<Option<&IncomeYear>> = Vec::new();
        let start = self.population.children.len();
        for (i, p) in persons.iter().enumerate() {
            let row = first_row + i;
            check_date(&format!("/rows/{row}/birth_date"), p.birth_date)?;
            check_date(&format!("/rows/{row}/death_date"), p.death_date)?;
            match p.role {
                Role::Child => {
                    let birth = p.birth_date.ok_or_else(|| {
                        InputError::new(
                            ErrorCode::MissingField,
                            format!("/rows/{row}/birth_date"),
                            "a child needs a birth date",
                        )
                    })?;
                    if p.death_date.is_some_and(|d| d < birth) {
                        return Err(InputError::new(
                            ErrorCode::InvalidValue,
                            format!("/rows/{row}/death_date"),
                            "is before the birth date",
                        ));
                    }
                    let c =
                        BatchChild { birth, death: p.death_date, in_care: p.in_care, extended_care: p.extended_care };
                    self.kids.push(keys(self.engine, self.population.children.len() - start, &c));
                    self.population.children.push(c);
                }
                // 児童手当 reads parents only; guardians' and relatives' incomes are still checked.
                Role::Guardian | Role::Relative => {
                    if let Some(iy) = &p.income {
                        validate_income_year(&format!("/rows/{row}"), iy)?;
                    }
                }
                Role::Parent => {
                    if let Some(iy) = &p.income {
                        validate_income_year(&format!("/rows/{row}"), iy)?;
                    }
                    // A parent who died before the month is no claimant (as in the single path).
                    if p.death_date.is_none_or(|d| YearMonth::of(d) >= self.month) {
                        parents.push(p.income.as_ref());
                    }
                }
            }
        }
        self.kids.sort_by_key(|k| k.dates.birth); // stable, O(n log n)
        let (income, dependants) = ca.claimant_income(self.month, &parents, &self.kids);
        self.population.child_offsets.push(self.population.children.len() as u32);
        self.population.income.push(income);
        self.population.dependants.push(dependants);
        Ok(())
    }

    /// The population.
    pub fn finish(self) -> Population {
        self.population
    }
}

fn keys(engine: &Engine, index: usize, c: &BatchChild) -> ChildKeys {
    let ca = engine.columnar();
    let extended = match c.extended_care {
        None => Extended::Unknown,
        Some(e) if !e.confirmed => Extended::No,
        Some(e) => Extended::From(ca.extended_from(c.birth, e.confirmed_on)),
    };
    ca.child_keys(index, c.birth, c.death, c.in_care, extended)
}

impl Engine {
    /// The scheme the population path evaluates (児童手当).
    pub fn population_scheme(&self) -> &crate::SchemeId {
        &self.columnar().meta.id
    }

    /// The calendar year whose income the population path reads at `month` (the June switch),
    /// or `None` when no income test applies (2012-04, 2012-05 and from 2024-10).
    pub fn population_income_year(&self, month: YearMonth) -> Option<i32> {
        self.columnar().income_year_for(month)
    }

    /// A builder for a population at `month` from long-format rows.
    pub fn population_builder(&self, month: YearMonth) -> PopulationBuilder<'_> {
        PopulationBuilder {
            engine: self,
            month,
            population: Population::default(),
            kids: Vec::with_capacity(16),
            max_persons: crate::engine::MAX_PERSONS,
        }
    }

    /// Convert validated households to a [`Population`] for `month`. Entitlement mode: households
    /// with applications or a residence history are rejected (use [`Engine::evaluate`]).
    pub fn population_from_households(
        &self,
        households: &[Household],
        month: YearMonth,
    ) -> Result<Population, InputError> {
        let mut builder = self.population_builder(month);
        let year = self.population_income_year(month).map(crate::household::IncomeYearKey);
        let mut rows = Vec::new();
        for (h, hh) in households.iter().enumerate() {
            if !hh.applications.is_empty() || !hh.residence.is_empty() {
                return Err(InputError::new(
                    ErrorCode::InvalidValue,
                    format!("/{h}/applications"),
                    "the batch path is entitlement mode: no applications or residence",
                ));
            }
            rows.clear();
            rows.extend(hh.persons.iter().map(|p| PersonRow {
                role: p.role,
                birth_date: p.birth_date,
                death_date: p.death_date,
                in_care: p.in_care,
                extended_care: p.extended_care,
                income: year.and_then(|y| p.income.get(&y).cloned()),
            }));
            builder.push_household(&rows, 0).map_err(|e| InputError { path: format!("/{h}{}", e.path), ..e })?;
        }
        Ok(builder.finish())
    }

    /// 児童手当 for every household of a population at one month.
    ///
    /// ```
    /// use kodomo_rules::{Engine, Household};
    /// let engine = Engine::new().expect("embedded rulesets");
    /// let month = "2025-06".parse().expect("a month");
    /// let hh: Household = serde_json::from_str(r#"{"persons": [{"id": "m", "role": "parent"},
    ///   {"id": "c", "role": "child", "birth_date": "2023-05-10"}]}"#).expect("a household");
    /// let population = engine.population_from_households(&[hh.clone(), hh], month).expect("entitlement mode");
    /// let out = engine.evaluate_population(&population, month);
    /// // 3歳未満 15,000円 each (児童手当法第6条, from 2024-10).
    /// assert_eq!(out.iter().map(|o| o.amount).collect::<Vec<_>>(), [15_000, 15_000]);
    /// ```
    pub fn evaluate_population(&self, population: &Population, month: YearMonth) -> Vec<BatchOutcome> {
        let mut out = Vec::with_capacity(population.len());
        self.evaluate_population_range(population, month, 0..population.len(), &mut out, None);
        out
    }

    /// As [`Engine::evaluate_population`], appending to `out` (reuse it across calls).
    pub fn evaluate_population_into(&self, population: &Population, month: YearMonth, out: &mut Vec<BatchOutcome>) {
        self.evaluate_population_range(population, month, 0..population.len(), out, None);
    }

    /// Households `range` of a population (for callers that split the work across threads),
    /// appending to `out`, and the per-child breakdown to `children` when given.
    pub fn evaluate_population_range(
        &self,
        population: &Population,
        month: YearMonth,
        range: Range<usize>,
        out: &mut Vec<BatchOutcome>,
        mut children: Option<&mut Vec<ChildOutcome>>,
    ) {
        let ca = self.columnar();
        let mut kids: Vec<ChildKeys> = Vec::with_capacity(16);
        for h in range {
            let span = population.child_offsets[h] as usize..population.child_offsets[h + 1] as usize;
            kids.clear();
            for (j, c) in population.children[span].iter().enumerate() {
                kids.push(keys(self, j, c));
            }
            kids.sort_by_key(|k| k.dates.birth);
            let (income, dependants) = (population.income[h], population.dependants[h]);
            let outcome = ca.core(month, &kids, income, dependants);
            if let Some(list) = children.as_deref_mut() {
                ca.core_children(month, &kids, income, dependants, |child, band, rank, amount| {
                    list.push(ChildOutcome { household: h as u32, child, band, rank, amount });
                });
            }
            out.push(outcome);
        }
    }
}
