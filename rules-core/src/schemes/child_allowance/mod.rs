//! 児童手当 (child allowance) — 児童手当法 (昭和46年法律第73号), every regime since 2012-04.
//!
//! Two logic versions, each reading its own ruleset file:
//! - `2012` (2012-04 – 2024-09): amounts by age band and rank in the pool of children to
//!   18歳年度末, paid to 15歳年度末; from 2012-06 the income test with 特例給付, from 2022-06 the
//!   所得上限限度額; payments in February, June and October.
//! - `2024` (2024-10 –): no income test, paid to 18歳年度末, 第3子以降 30,000 with a counting pool to
//!   22歳年度末 (監護相当・生計費の負担), payments in every even month.
//!
//! Months before 2012-04 (子ども手当) are "not in force".
//!
//! Files by concern: `keys` (each child's key months and band), `tiers` (the 2012 income-test
//! tiers), `amounts` (rank and amount per child), `shared` (the core both the single and the
//! population path run), `claimant` (one household's claimant, income test and applications),
//! `month` (a month's answer and status), `trace` (the explanation), `batch` (the population path),
//! `params` (the ruleset files' types); this file holds the scheme, its resolved parameters and its
//! entry points.

mod amounts;
pub(crate) mod batch;
mod claimant;
mod keys;
mod month;
mod params;
mod shared;
mod tiers;
mod trace;

use self::amounts::*;
use self::claimant::*;
use self::keys::*;
pub use self::shared::BatchOutcome;
use self::tiers::*;
pub use self::tiers::{DependantsInput, IncomeInput};

pub(crate) use params::{Params2012, Params2024};

use self::params::{constant, Limit};
use crate::calendar::{self, YearMonth};
use crate::concepts::child::{self, ChildDates};
use crate::error::RulesetError;
use crate::explain::{InputUse, ParamUse, TraceStep, Tracer};
use crate::household::{Application, Household, IncomeYear, Role, ValidHousehold};
use crate::income::LimitTable;
use crate::income::{self, EmploymentIncomeParams, IncomeBreakdown, IncomeGap, IncomeRules};
use crate::money::Yen;
use crate::ruleset::{RulesetFile, RulesetInfo};
use crate::scheme::{Code, Query, Scheme, SchemeFile};
use crate::schemes::registry::{Load, SchemeFiles, Shared};
use crate::schemes::{
    group_payments, yen, Band, ChildResult, IncomeTest, Lang, MonthResult, PayMonth, Payment, Status,
};
use chrono::{Duration, NaiveDate};
use serde_json::json;
use std::sync::Arc;

/// The first month of 児童手当 as encoded (2012 regime).
const RULE_REGIME: &str = "child_allowance.regime";

/// The 2012 regime's parameters resolved for a span of months (values constant within it).
#[derive(Debug, Clone)]
struct Month2012 {
    under_3: Yen,
    primary_first_second: Yen,
    primary_third: Yen,
    lower_secondary: Yen,
    /// 特例給付; `None` while there is no income test.
    special: Option<Yen>,
    limit: Option<LimitTable>,
    upper: Option<LimitTable>,
    switch_month: u32,
    income_rules: IncomeRules,
    payment_months: Vec<PayMonth>,
}

/// The 2024 regime's parameters resolved for a span of months.
#[derive(Debug, Clone)]
struct Month2024 {
    under_3: Yen,
    three_or_older: Yen,
    third_or_later: Yen,
    payment_months: Vec<PayMonth>,
}

/// Ages (constant per logic version, validated) that define each child's key months.
#[derive(Debug, Clone, Copy)]
struct Ages {
    young: u32,
    primary: u32,
    paid_2012: u32,
    pool_2012: u32,
    paid_2024: u32,
    pool_2024: u32,
    grace_days: u32,
    /// The 15日特例's days (児童手当法第8条第3項) of each regime.
    claim_grace_2012: u32,
    claim_grace_2024: u32,
}

/// 児童手当 with both logic versions and their resolved parameters.
#[derive(Debug, Clone)]
pub(crate) struct ChildAllowance {
    r2012: RulesetFile<Params2012>,
    r2024: RulesetFile<Params2024>,
    pub(crate) meta: SchemeFile,
    pub(crate) info: [RulesetInfo; 2],
    seg2012: Vec<(YearMonth, Month2012)>,
    seg2024: Vec<(YearMonth, Month2024)>,
    ages: Ages,
    transitional_deadline: NaiveDate,
    employment: Arc<RulesetFile<EmploymentIncomeParams>>,
}

/// A child's key months for 児童手当, computed once per household from the birth date (legal
/// calendar).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChildKeys {
    /// Birth, death, care (the person index: in the household, or in a batch household).
    pub(crate) dates: ChildDates,
    young_last: YearMonth,
    primary_last: YearMonth,
    paid_2012_last: YearMonth,
    pool_2012_last: YearMonth,
    paid_2024_last: YearMonth,
    pool_2024_last: YearMonth,
    extended: Extended,
}

/// Whether an 18–22-year-old counts in the 2024 pool (監護相当・生計費の負担の確認書).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Extended {
    /// Not known.
    Unknown,
    /// Not confirmed: not counted.
    No,
    /// Confirmed: counted from this month on.
    From(YearMonth),
}

fn segments<P, M>(
    validity_from: YearMonth,
    froms: impl Iterator<Item = YearMonth>,
    params: &P,
    resolve: impl Fn(&P, YearMonth) -> M,
) -> Vec<(YearMonth, M)> {
    let mut months: Vec<YearMonth> = std::iter::once(validity_from).chain(froms).collect();
    months.sort();
    months.dedup();
    months.into_iter().map(|m| (m, resolve(params, m))).collect()
}

fn segment<M>(segs: &[(YearMonth, M)], month: YearMonth) -> &M {
    let i = segs.partition_point(|(from, _)| *from <= month).saturating_sub(1);
    &segs[i].1
}

macro_rules! froms {
    ($p:expr; $($f:ident),+) => { [$($p.$f.values.iter().map(|v| v.from).collect::<Vec<_>>()),+].into_iter().flatten() };
}

impl ChildAllowance {
    /// Build from the parsed ruleset files.
    fn new(
        meta: SchemeFile,
        (r2012, i2012): (RulesetFile<Params2012>, RulesetInfo),
        (r2024, i2024): (RulesetFile<Params2024>, RulesetInfo),
        employment: Arc<RulesetFile<EmploymentIncomeParams>>,
    ) -> Result<Self, RulesetError> {
        let contiguous = r2012.valid.to.map(YearMonth::next) == Some(r2024.valid.from);
        if !contiguous {
            return Err(RulesetError {
                ruleset: r2024.id.clone(),
                path: "/valid/from".into(),
                message: "must start the month after child_allowance/2012 ends".into(),
            });
        }
        let p = &r2012.parameters;
        let v = |x: Option<&crate::ruleset::Dated<Yen>>| x.and_then(|d| d.value).unwrap_or(0);
        let seg2012 = segments(
            r2012.valid.from,
            froms!(p; amount_under_3, amount_primary_first_second, amount_primary_third_or_later, amount_lower_secondary,
                special_benefit_amount, income_limit, upper_income_limit, income_year_switch_month, income_rules, payment_months),
            p,
            |p, m| Month2012 {
                under_3: v(p.amount_under_3.at(m)),
                primary_first_second: v(p.amount_primary_first_second.at(m)),
                primary_third: v(p.amount_primary_third_or_later.at(m)),
                lower_secondary: v(p.amount_lower_secondary.at(m)),
                special: p.special_benefit_amount.at(m).and_then(|d| d.value),
                limit: p.income_limit.at(m).and_then(|d| d.value.clone()),
                upper: p.upper_income_limit.at(m).and_then(|d| d.value.clone()),
                switch_month: p.income_year_switch_month.at(m).and_then(|d| d.value).unwrap_or(6),
                income_rules: p.income_rules.at(m).and_then(|d| d.value.clone()).unwrap_or_default(),
                payment_months: p.payment_months.at(m).and_then(|d| d.value.clone()).unwrap_or_default(),
            },
        );
        let q = &r2024.parameters;
        let seg2024 = segments(
            r2024.valid.from,
            froms!(q; amount_under_3, amount_3_or_older, amount_third_or_later, payment_months),
            q,
            |q, m| Month2024 {
                under_3: v(q.amount_under_3.at(m)),
                three_or_older: v(q.amount_3_or_older.at(m)),
                third_or_later: v(q.amount_third_or_later.at(m)),
                payment_months: q.payment_months.at(m).and_then(|d| d.value.clone()).unwrap_or_default(),
            },
        );
        let ages = Ages {
            young: constant(&p.young_child_age),
            primary: constant(&p.primary_age),
            paid_2012: constant(&p.paid_age),
            pool_2012: constant(&p.counting_pool_age),
            paid_2024: constant(&q.paid_age),
            pool_2024: constant(&q.counting_pool_age),
            grace_days: constant(&q.confirmation_grace_days),
            claim_grace_2012: constant(&p.application_grace_days),
            claim_grace_2024: constant(&q.application_grace_days),
        };
        if constant(&q.young_child_age) != ages.young {
            return Err(RulesetError {
                ruleset: r2024.id.clone(),
                path: "/parameters/young_child_age".into(),
                message: "must equal the 2012 regime's (a change needs new band logic)".into(),
            });
        }
        let transitional_deadline =
            q.transitional_application_deadline.values.first().and_then(|d| d.value).unwrap_or(NaiveDate::MIN);
        Ok(Self { r2012, r2024, meta, info: [i2012, i2024], seg2012, seg2024, ages, transitional_deadline, employment })
    }

    fn first_month(&self) -> YearMonth {
        self.r2012.valid.from
    }

    fn is_2012(&self, month: YearMonth) -> bool {
        self.r2012.valid.contains(month)
    }
}

impl Load for ChildAllowance {
    fn load(files: SchemeFiles, shared: &Shared) -> Result<Self, RulesetError> {
        let r2012 = files.version::<Params2012>(0)?;
        let r2024 = files.version::<Params2024>(1)?;
        Self::new(files.meta, r2012, r2024, shared.employment.clone())
    }
}

impl Scheme for ChildAllowance {
    fn meta(&self) -> &SchemeFile {
        &self.meta
    }

    fn rulesets(&self) -> &[RulesetInfo] {
        &self.info
    }

    fn rulesets_for(&self, m: YearMonth) -> Vec<&RulesetInfo> {
        ChildAllowance::rulesets_for(self, m)
    }

    fn reads_income(&self, m: YearMonth) -> bool {
        self.is_2012(m)
    }

    fn income_year(&self, m: YearMonth) -> Option<i32> {
        self.income_year_for(m)
    }

    fn months(
        &self,
        hh: &ValidHousehold,
        months: &mut dyn Iterator<Item = YearMonth>,
        trace: bool,
    ) -> Vec<MonthResult> {
        let prep = self.prepare(hh);
        let mut out = Vec::new();
        for m in months {
            out.push(self.evaluate(&prep, m, trace));
        }
        out
    }

    fn evaluate(&self, hh: &ValidHousehold, query: &Query, trace: bool) -> Vec<crate::schemes::Outcome> {
        crate::schemes::Outcome::monthly(self, hh, query, trace)
    }

    fn payments(&self, months: &[MonthResult]) -> Vec<Payment> {
        ChildAllowance::payments(self, months)
    }

    fn into_any(self: std::sync::Arc<Self>) -> std::sync::Arc<dyn std::any::Any + Send + Sync> {
        self
    }
}

#[cfg(test)]
mod tests;
