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

pub(crate) mod batch;
mod params;

pub(crate) use params::{Params2012, Params2024};

use self::params::{constant, payment_month, Limit};
use crate::calendar::{self, YearMonth};
use crate::error::RulesetError;
use crate::explain::{InputUse, ParamUse, TraceStep, Tracer};
use crate::household::{Application, Household, IncomeYear, Role, ValidHousehold};
use crate::income::LimitTable;
use crate::income::{self, EmploymentIncomeParams, IncomeBreakdown, IncomeGap, IncomeRules};
use crate::money::Yen;
use crate::ruleset::{RulesetFile, RulesetInfo};
use crate::scheme::{Code, Scheme, SchemeFile};
use crate::schemes::registry::{Load, SchemeFiles, Shared};
use crate::schemes::{group_payments, yen, Band, ChildResult, IncomeTest, Lang, MonthResult, Payment, Status};
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
    payment_months: Vec<u32>,
}

/// The 2024 regime's parameters resolved for a span of months.
#[derive(Debug, Clone)]
struct Month2024 {
    under_3: Yen,
    three_or_older: Yen,
    third_or_later: Yen,
    payment_months: Vec<u32>,
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

/// A child's key months, computed once per household from the birth date (legal calendar).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChildKeys {
    /// Index of the person in the household (or of the child in a batch household).
    pub(crate) person: u32,
    pub(crate) birth: NaiveDate,
    born: YearMonth,
    young_last: YearMonth,
    primary_last: YearMonth,
    paid_2012_last: YearMonth,
    pool_2012_last: YearMonth,
    paid_2024_last: YearMonth,
    pool_2024_last: YearMonth,
    died: Option<YearMonth>,
    in_care: bool,
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

/// Income-test tier of the 2012 regime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tier {
    /// No income test in force, or below the 所得制限限度額: the full amounts.
    Full,
    /// 特例給付.
    Special,
    /// At or above the 所得上限限度額: nothing.
    Nothing,
}

/// A set of possible tiers (bit set), plus whether a needed figure is not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Tiers {
    bits: u8,
    not_known: bool,
}

impl Tiers {
    fn one(t: Tier) -> Self {
        Self { bits: 1 << t as u8, not_known: false }
    }
    fn add(&mut self, t: Tier) {
        self.bits |= 1 << t as u8;
    }
    fn union(self, o: Self) -> Self {
        Self { bits: self.bits | o.bits, not_known: self.not_known || o.not_known }
    }
    fn iter(self) -> impl Iterator<Item = Tier> {
        [Tier::Full, Tier::Special, Tier::Nothing].into_iter().filter(move |t| self.bits & (1 << *t as u8) != 0)
    }
    fn single(self) -> Option<Tier> {
        let mut it = self.iter();
        match (it.next(), it.next()) {
            (Some(t), None) => Some(t),
            _ => None,
        }
    }
}

/// The income test outcome's stable name.
fn tier_name(t: Tier) -> &'static str {
    match t {
        Tier::Full => "below_limit",
        Tier::Special => "special_benefit",
        Tier::Nothing => "at_or_above_upper_limit",
    }
}

/// The claimant's income as the batch path and the single path both feed it to the income test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncomeInput {
    /// 所得額 known.
    Known(Yen),
    /// Not given.
    Unknown,
    /// Given as a salary for a year whose 給与所得控除 the rulesets do not know.
    NotKnown,
    /// The household has no parent who could claim.
    NoClaimant,
}

/// 扶養親族等の数 as known: exactly, or at least a number (only the children are known).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DependantsInput {
    /// Exactly this many, of which `elderly` 老人.
    Exact {
        /// 扶養親族等の数.
        count: u32,
        /// 老人控除対象配偶者・老人扶養親族.
        elderly: u32,
    },
    /// At least this many (the rest not given).
    AtLeast(u32),
}

/// One tier decision with the figures behind it.
#[derive(Debug, Clone, Copy)]
struct TierCalc {
    tiers: Tiers,
    limit: Option<Limit>,
    upper: Option<Limit>,
}

impl Month2012 {
    /// Income test for a known 所得額 and count (limits are strict: 未満).
    fn tier(&self, income: Yen, dependants: u32, elderly: u32) -> TierCalc {
        let Some(table) = &self.limit else {
            return TierCalc { tiers: Tiers::one(Tier::Full), limit: None, upper: None };
        };
        let limit = table.limit(dependants, elderly, 0);
        let upper = self.upper.as_ref().map(|u| u.limit(dependants, elderly, 0));
        let mut tiers = Tiers::default();
        match limit {
            Limit::Exact(l) | Limit::AtLeast(l) if income < l => tiers.add(Tier::Full),
            Limit::Exact(_) => match upper {
                None => tiers.add(Tier::Special),
                Some(Limit::Exact(u)) => tiers.add(if income < u { Tier::Special } else { Tier::Nothing }),
                Some(Limit::AtLeast(u)) if income < u => tiers.add(Tier::Special),
                Some(Limit::AtLeast(_)) => tiers.not_known = true,
            },
            Limit::AtLeast(_) => tiers.not_known = true,
        }
        TierCalc { tiers, limit: Some(limit), upper }
    }

    /// The calendar year whose income applies to month `m` (the June switch).
    fn income_year(&self, m: YearMonth) -> i32 {
        if m.month() >= self.switch_month {
            m.year() - 1
        } else {
            m.year() - 2
        }
    }

    /// Every tier possible in this month (for an unknown income).
    fn all_tiers(&self) -> Tiers {
        let mut t = Tiers::one(Tier::Full);
        if self.limit.is_some() {
            t.add(Tier::Special);
        }
        if self.upper.is_some() {
            t.add(Tier::Nothing);
        }
        t
    }

    /// Tiers for an income input and a dependants input (the shared core of both paths).
    fn tiers_for(&self, income: IncomeInput, dependants: DependantsInput) -> Tiers {
        if self.limit.is_none() {
            return Tiers::one(Tier::Full);
        }
        match (income, dependants) {
            (IncomeInput::NotKnown, _) => Tiers { bits: 0, not_known: true },
            (IncomeInput::Unknown | IncomeInput::NoClaimant, _) => self.all_tiers(),
            (IncomeInput::Known(i), DependantsInput::Exact { count, elderly }) => self.tier(i, count, elderly).tiers,
            // More dependants only raise the limits: from the tier at the known minimum up to Full.
            (IncomeInput::Known(i), DependantsInput::AtLeast(n)) => {
                let worst = self.tier(i, n, 0).tiers;
                let mut t = worst.union(Tiers::one(Tier::Full));
                if worst.bits & (1 << Tier::Nothing as u8) != 0 {
                    t.add(Tier::Special);
                }
                t
            }
        }
    }
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

impl ChildKeys {
    /// The child as the 所得金額調整控除 reads it. The batch path has no child income; the
    /// single path replaces `income` with the child's own.
    fn young_dependant(&self) -> income::YoungDependant<'static> {
        income::YoungDependant {
            person: self.person,
            birth: self.birth,
            died: self.died,
            // Supported: in care, or (18–22) with a confirmed 監護相当・生計費の負担.
            in_care: self.in_care || matches!(self.extended, Extended::From(_)),
            income: None,
        }
    }
}

impl ChildAllowance {
    /// The key months of a child (legal calendar; closed forms tested against the definitions).
    pub(crate) fn child_keys(
        &self,
        person: u32,
        birth: NaiveDate,
        died: Option<NaiveDate>,
        in_care: bool,
        extended: Extended,
    ) -> ChildKeys {
        let a = self.ages;
        let fy_end = |n| calendar::fiscal_year_end_month_after_age(birth, n);
        ChildKeys {
            person,
            birth,
            born: YearMonth::of(birth),
            young_last: calendar::birthday_month(birth, a.young),
            primary_last: fy_end(a.primary),
            paid_2012_last: fy_end(a.paid_2012),
            pool_2012_last: fy_end(a.pool_2012),
            paid_2024_last: fy_end(a.paid_2024),
            pool_2024_last: fy_end(a.pool_2024),
            died: died.map(YearMonth::of),
            in_care,
            extended,
        }
    }

    /// When an 18–22-year-old's 確認書 counts from (J22, J24): the month after it was submitted,
    /// or the month after the 18歳年度末 when submitted within the grace days after it.
    pub(crate) fn extended_from(&self, birth: NaiveDate, confirmed_on: Option<NaiveDate>) -> YearMonth {
        let Some(on) = confirmed_on else {
            return YearMonth::new(1, 1).unwrap_or(YearMonth::of(NaiveDate::MIN));
        };
        let end = calendar::fiscal_year_end_after_age(birth, self.ages.paid_2024);
        match end {
            Some(end)
                if end.checked_add_signed(Duration::days(i64::from(self.ages.grace_days))).is_none_or(|l| on <= l) =>
            {
                YearMonth::of(end).next()
            }
            _ => YearMonth::of(on).next(),
        }
    }
}

/// The band of a child in a month.
fn band(k: &ChildKeys, m: YearMonth) -> Band {
    if m <= k.born {
        Band::NotBorn
    } else if k.died.is_some_and(|d| m > d) {
        Band::Deceased
    } else if !k.in_care && m <= k.pool_2012_last.max(k.paid_2024_last) {
        // 監護・生計 decides to 18歳年度末; after it the 確認書 (監護相当・生計費の負担) does, and
        // living apart does not disqualify (FACTS.md §1.3, J22–J25).
        Band::NotInCare
    } else if m <= k.young_last {
        Band::Under3
    } else if m <= k.primary_last {
        Band::Primary
    } else if m <= k.paid_2012_last {
        Band::LowerSecondary
    } else if m <= k.pool_2012_last.max(k.paid_2024_last) {
        Band::UpperSecondary
    } else if m <= k.pool_2024_last {
        Band::YoungAdult
    } else {
        Band::Adult
    }
}

/// Rank the children `counted` in the pool (oldest first) and price each; `sink(index, band,
/// rank, amount)` sees every child. Returns the total. Shared by both logic versions.
fn rank_and_price(
    m: YearMonth,
    kids: &[ChildKeys],
    counted: impl Fn(&ChildKeys, Band) -> bool,
    price: impl Fn(&ChildKeys, Band, u32) -> Yen,
    mut sink: impl FnMut(usize, Band, Option<u32>, Yen),
) -> Yen {
    let mut rank = 0u32;
    let mut total = 0;
    for (i, k) in kids.iter().enumerate() {
        let b = band(k, m);
        if !counted(k, b) {
            sink(i, b, None, 0);
            continue;
        }
        rank += 1;
        let amount = price(k, b, rank);
        total += amount;
        sink(i, b, Some(rank), amount);
    }
    total
}

/// Whether a band is a 児童 band (to 18歳年度末).
fn is_child_band(b: Band) -> bool {
    matches!(b, Band::Under3 | Band::Primary | Band::LowerSecondary | Band::UpperSecondary)
}

/// Per-child amounts under the 2012 regime for one tier: pool to 18歳年度末, paid to 15歳年度末.
fn sum_2012(
    p: &Month2012,
    m: YearMonth,
    kids: &[ChildKeys],
    tier: Tier,
    sink: impl FnMut(usize, Band, Option<u32>, Yen),
) -> Yen {
    let counted = |k: &ChildKeys, b| is_child_band(b) && m <= k.pool_2012_last;
    let price = |k: &ChildKeys, b, rank| match (tier, b) {
        _ if m > k.paid_2012_last => 0,
        (Tier::Nothing, _) => 0,
        (Tier::Special, _) => p.special.unwrap_or(0),
        (Tier::Full, Band::Under3) => p.under_3,
        (Tier::Full, Band::Primary) if rank >= 3 => p.primary_third,
        (Tier::Full, Band::Primary) => p.primary_first_second,
        (Tier::Full, _) => p.lower_secondary,
    };
    rank_and_price(m, kids, counted, price, sink)
}

/// Per-child amounts under the 2024 regime: paid to 18歳年度末, pool to 22歳年度末 with the 確認書;
/// children whose 確認書 is not known count when `assume_counted`.
fn sum_2024(
    p: &Month2024,
    m: YearMonth,
    kids: &[ChildKeys],
    assume_counted: bool,
    sink: impl FnMut(usize, Band, Option<u32>, Yen),
) -> Yen {
    let paid = |k: &ChildKeys, b| is_child_band(b) && m <= k.paid_2024_last;
    let counted = |k: &ChildKeys, b| {
        paid(k, b)
            || (b == Band::YoungAdult
                && match k.extended {
                    Extended::Unknown => assume_counted,
                    Extended::No => false,
                    Extended::From(from) => m >= from,
                })
    };
    let price = |k: &ChildKeys, b, rank| match b {
        _ if !paid(k, b) => 0,
        _ if rank >= 3 => p.third_or_later,
        Band::Under3 => p.under_3,
        _ => p.three_or_older,
    };
    rank_and_price(m, kids, counted, price, sink)
}

/// The 2024 per-child breakdown when some 確認書 are not known: a child's rank and amount are
/// reported where both scenarios (unknown children counted or not) agree, `None` where they differ.
fn children_2024(
    p: &Month2024,
    m: YearMonth,
    kids: &[ChildKeys],
    mut sink: impl FnMut(usize, Band, Option<u32>, Option<Yen>),
) {
    let mut counted: Vec<(Option<u32>, Yen)> = Vec::with_capacity(kids.len());
    sum_2024(p, m, kids, true, |_, _, rank, amount| counted.push((rank, amount)));
    let mut i = 0;
    sum_2024(p, m, kids, false, |k, band, rank, amount| {
        let (rank_if_counted, amount_if_counted) = counted[i];
        i += 1;
        sink(k, band, rank.filter(|r| Some(*r) == rank_if_counted), (amount == amount_if_counted).then_some(amount));
    });
}

/// Whether any 確認書-unknown child could change the 2024 result in month `m`.
fn extended_unknown_matters(p: &Month2024, m: YearMonth, kids: &[ChildKeys]) -> bool {
    kids.iter().any(|k| k.extended == Extended::Unknown && band(k, m) == Band::YoungAdult)
        && sum_2024(p, m, kids, false, |_, _, _, _| {}) != sum_2024(p, m, kids, true, |_, _, _, _| {})
}

/// Result of the batch path for one household.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Status.
    pub status: Status,
    /// Amount (0 unless eligible).
    pub amount: Yen,
    /// Lowest possible amount (= amount unless undetermined).
    pub min: Yen,
    /// Highest possible amount (= amount unless undetermined).
    pub max: Yen,
}

impl ChildAllowance {
    /// The shared core: status and amounts for children keys, an income input and a dependants
    /// input, in entitlement mode. Used by the batch path directly and by the single path (which
    /// adds the breakdown, the trace and applications).
    pub(crate) fn core(
        &self,
        m: YearMonth,
        kids: &[ChildKeys],
        income: IncomeInput,
        dependants: DependantsInput,
    ) -> BatchOutcome {
        if m < self.first_month() {
            return BatchOutcome { status: Status::NotInForce, amount: 0, min: 0, max: 0 };
        }
        if income == IncomeInput::NoClaimant {
            return BatchOutcome { status: Status::NotEligible, amount: 0, min: 0, max: 0 };
        }
        let (min, max, not_known) = if self.is_2012(m) {
            let p = segment(&self.seg2012, m);
            let no_child = sum_2012(p, m, kids, Tier::Full, |_, _, _, _| {}) == 0;
            let tiers = if no_child { Tiers::one(Tier::Full) } else { p.tiers_for(income, dependants) };
            let mut range: Option<(Yen, Yen)> = None;
            for t in tiers.iter() {
                let a = sum_2012(p, m, kids, t, |_, _, _, _| {});
                range = Some(range.map_or((a, a), |(lo, hi)| (lo.min(a), hi.max(a))));
            }
            let (lo, hi) = range.unwrap_or((0, 0));
            (lo, hi, tiers.not_known)
        } else {
            let p = segment(&self.seg2024, m);
            let lo = sum_2024(p, m, kids, false, |_, _, _, _| {});
            let hi = sum_2024(p, m, kids, true, |_, _, _, _| {});
            (lo, hi, false)
        };
        let status = if not_known {
            Status::NotKnown
        } else if min != max {
            Status::Undetermined
        } else if max > 0 {
            Status::Eligible
        } else {
            Status::NotEligible
        };
        let amount = if status == Status::Eligible { max } else { 0 };
        BatchOutcome { status, amount, min, max }
    }
}

impl ChildAllowance {
    /// The per-child breakdown matching [`ChildAllowance::core`]: `sink(child, band, rank,
    /// amount)` with the child's index as given to [`ChildAllowance::child_keys`]; amounts only
    /// when the result is determined, as in the single path.
    pub(crate) fn core_children(
        &self,
        m: YearMonth,
        kids: &[ChildKeys],
        income: IncomeInput,
        dependants: DependantsInput,
        mut sink: impl FnMut(u32, Band, Option<u32>, Option<Yen>),
    ) {
        if m < self.first_month() || income == IncomeInput::NoClaimant {
            return;
        }
        if self.is_2012(m) {
            let p = segment(&self.seg2012, m);
            let no_child = sum_2012(p, m, kids, Tier::Full, |_, _, _, _| {}) == 0;
            let tiers = if no_child { Tiers::one(Tier::Full) } else { p.tiers_for(income, dependants) };
            let single = tiers.single().filter(|_| !tiers.not_known);
            sum_2012(p, m, kids, single.unwrap_or(Tier::Full), |i, band, rank, amount| {
                sink(kids[i].person, band, rank, single.map(|_| amount))
            });
        } else {
            let p = segment(&self.seg2024, m);
            children_2024(p, m, kids, |i, band, rank, amount| sink(kids[i].person, band, rank, amount));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The single-household path: breakdown, claimant, applications, residence, trace.

/// A household prepared for 児童手当: validated, children keyed and sorted oldest first.
pub(crate) struct Prepared<'h> {
    hh: &'h Household,
    kids: Vec<ChildKeys>,
    parents: Vec<usize>,
    /// This scheme's applications, by date, resolved once.
    apps: Vec<PreparedApp<'h>>,
    /// How far each application covers (memoised).
    reach: Vec<crate::schemes::Reach>,
}

/// An application (認定請求) with what every month needs from it, computed once per household.
struct PreparedApp<'h> {
    /// Index in `household.applications`.
    index: usize,
    /// The claimant's person index.
    claimant: usize,
    /// First month it covers (15日特例, reform back-pay included).
    start: YearMonth,
    /// The municipality applied to.
    municipality: Option<&'h str>,
}

/// A claimant's income for a year, as far as known.
struct ParentIncome {
    person: usize,
    breakdown: Option<Result<IncomeBreakdown, IncomeGap>>,
    dependants: Option<DependantsInput>,
}

impl ParentIncome {
    fn input(&self) -> IncomeInput {
        match &self.breakdown {
            None => IncomeInput::Unknown,
            Some(Err(_)) => IncomeInput::NotKnown,
            Some(Ok(b)) => IncomeInput::Known(b.income),
        }
    }
}

/// Who claims: fixed by an application, or the parent with the higher 所得額.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClaimantRule {
    Fixed(usize),
    HigherIncome,
}

/// Result of claimant selection and the income test for a month.
struct IncomeOutcome {
    tiers: Tiers,
    claimant: Option<usize>,
    /// The claimant's 所得額 computation, when determined.
    breakdown: Option<IncomeBreakdown>,
    test: Option<IncomeTest>,
    missing: Vec<String>,
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
                Some(self.child_keys(i as u32, birth, p.death_date, p.in_care, extended))
            })
            .collect();
        kids.sort_by_key(|k| k.birth);
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

    fn parent_income(&self, prep: &Prepared, person: usize, year: i32, rules: &IncomeRules) -> ParentIncome {
        let key = crate::household::IncomeYearKey(year);
        let iy = prep.hh.persons[person].income.get(&key);
        let young = prep.kids.iter().map(|k| income::YoungDependant {
            income: prep.hh.persons[k.person as usize].income.get(&key),
            ..k.young_dependant()
        });
        self.year_income(iy, person, year, rules, &prep.kids, young)
    }

    /// A parent's 所得額 and 扶養親族等の数 for an income year (`None`: not given); `young` are the
    /// household's children as the 所得金額調整控除 reads them.
    fn year_income<'a>(
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
    fn dependants(kids: &[ChildKeys], iy: &IncomeYear, year: i32) -> DependantsInput {
        let dec31 = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
        let december = YearMonth::of(dec31);
        // Children born and alive at 31 December, supported: in care up to 18歳年度末, or with a
        // confirmed 監護相当・生計費の負担 after it. Other adult dependants go in other_dependants.
        let supported =
            |k: &&ChildKeys| (k.in_care && december <= k.pool_2012_last) || matches!(k.extended, Extended::From(_));
        let children =
            kids.iter().filter(|k| k.birth <= dec31 && k.died.is_none_or(|d| d > december)).filter(supported).count()
                as u32;
        match income::dependants_count(iy, children) {
            (count, true) => DependantsInput::Exact { count, elderly: iy.elderly_dependants },
            (count, false) => DependantsInput::AtLeast(count),
        }
    }

    /// Claimant and income test for month `m` of the 2012 regime.
    fn income_outcome(&self, prep: &Prepared, p: &Month2012, m: YearMonth, candidates: &[usize]) -> IncomeOutcome {
        let year = p.income_year(m);
        let incomes: Vec<ParentIncome> =
            candidates.iter().map(|&c| self.parent_income(prep, c, year, &p.income_rules)).collect();
        // The claimant is the parent with the higher 所得額 (J31); ties go to the first listed.
        let known_max = incomes
            .iter()
            .filter_map(|pi| match &pi.breakdown {
                Some(Ok(b)) => Some((b.income, pi)),
                _ => None,
            })
            .fold(None::<(Yen, &ParentIncome)>, |acc, (inc, pi)| match acc {
                Some((best, _)) if best >= inc => acc,
                _ => Some((inc, pi)),
            });
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
            .map(|(i, iy)| self.year_income(*iy, i, year, rules, kids, kids.iter().map(ChildKeys::young_dependant)))
            .collect();
        if incomes.iter().any(|pi| pi.input() == IncomeInput::NotKnown) {
            return (IncomeInput::NotKnown, DependantsInput::AtLeast(0));
        }
        let mut best: Option<(Yen, DependantsInput)> = None;
        for pi in &incomes {
            match (pi.input(), best) {
                (IncomeInput::Known(i), Some((b, _))) if b >= i => {}
                (IncomeInput::Known(i), _) => best = Some((i, pi.dependants.unwrap_or(DependantsInput::AtLeast(0)))),
                _ => return (IncomeInput::Unknown, DependantsInput::AtLeast(0)),
            }
        }
        best.map_or((IncomeInput::Unknown, DependantsInput::AtLeast(0)), |(i, d)| (IncomeInput::Known(i), d))
    }

    fn responsible<'h>(prep: &Prepared<'h>, m: YearMonth) -> Result<Option<&'h str>, ()> {
        crate::schemes::responsible(prep.hh, m)
    }

    /// The municipality an application was made to.
    fn app_municipality<'h>(prep: &Prepared<'h>, a: &'h Application) -> Option<&'h str> {
        a.municipality
            .as_deref()
            .or_else(|| prep.hh.residence.iter().rev().find(|r| r.since <= a.date).map(|r| r.municipality.as_str()))
    }

    /// First month an application covers: the month after it, or after the birth or move it
    /// follows within 15 days (第8条2項・3項, J5, J36); for those newly eligible by the 2024
    /// reform who applied by the transitional deadline, 2024-10 (J8, J33).
    fn app_start(&self, prep: &Prepared, a: &Application, claimant: usize) -> YearMonth {
        let events = prep.kids.iter().map(|k| k.birth).chain(prep.hh.residence.iter().map(|r| r.since));
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
    fn claim_grace(&self, date: NaiveDate) -> (u32, &'static str, &crate::ruleset::Param<u32>, YearMonth) {
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
    fn rules_allow(&self, prep: &Prepared, m: YearMonth, claimant: usize) -> bool {
        let r = self.month_rules(prep, m, ClaimantRule::Fixed(claimant), &mut Tracer::new(false));
        r.max > 0 || r.not_known
    }

    /// Whether the pre-reform rules (the 2012 regime's last parameters) would have paid
    /// `claimant` in month `m` — to tell who was newly made eligible by the 2024 reform.
    fn old_rules_allow(&self, prep: &Prepared, m: YearMonth, claimant: usize) -> bool {
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
    fn covering<'p>(&self, prep: &'p Prepared, m: YearMonth) -> Option<&'p PreparedApp<'p>> {
        let ok = |app: &PreparedApp, k: YearMonth| {
            (Self::responsible(prep, k) == Ok(app.municipality) || prep.hh.residence.is_empty())
                && if k < self.first_month() {
                    // An application made under 子ども手当 (before 2012-04, out of scope) carries
                    // over into 児童手当 while there was a child to 中学校修了 (15歳年度末),
                    // 子ども手当's only condition (FACTS.md §1.2, J10); this approximates the
                    // carry-over, whose 経過措置 FACTS.md does not give.
                    prep.kids.iter().any(|c| c.in_care && c.born < k && k <= c.paid_2012_last)
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

/// The rules' answer for a month before applications are considered.
struct RulesMonth {
    min: Yen,
    max: Yen,
    not_known: bool,
    reason: Option<&'static str>,
    claimant: Option<usize>,
    children: Vec<ChildResult>,
    income_test: Option<IncomeTest>,
    missing: Vec<String>,
}

impl ChildAllowance {
    /// The 2012 regime's answer for month `m` with parameters `p`; the income test reads the
    /// higher-earning living parent (J31) even when another parent applied.
    fn rules_2012(
        &self,
        prep: &Prepared,
        p: &Month2012,
        m: YearMonth,
        parents: &[usize],
        fixed: Option<usize>,
        tr: &mut Tracer,
    ) -> RulesMonth {
        let ids = |i: usize| prep.hh.persons[prep.kids[i].person as usize].id.clone();
        // Equal incomes: the applicant stays the 受給者 (listed first; the higher earner wins otherwise).
        let order: Vec<usize> = fixed
            .filter(|f| parents.contains(f))
            .into_iter()
            .chain(parents.iter().copied().filter(|&i| Some(i) != fixed))
            .collect();
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

    fn month_rules(&self, prep: &Prepared, m: YearMonth, rule: ClaimantRule, tr: &mut Tracer) -> RulesMonth {
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
            let ids = |i: usize| prep.hh.persons[prep.kids[i].person as usize].id.clone();
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
                    .map(|k| format!("/persons/{}/extended_care", k.person))
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
        group_payments(months, |m| {
            if self.is_2012(m) {
                payment_month(&segment(&self.seg2012, m).payment_months, m)
            } else {
                payment_month(&segment(&self.seg2024, m).payment_months, m)
            }
        })
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

// ---------------------------------------------------------------------------------------------
// Trace text.

/// A parameter of one of the two 児童手当 rulesets, for the trace.
type ParamRef<'a, R> = (&'static str, &'a crate::ruleset::Param<R>);

impl ChildAllowance {
    fn uses<T: serde::Serialize>(&self, regime: &str, list: &[ParamRef<'_, T>], m: YearMonth) -> Vec<ParamUse> {
        let (id, to) = if regime == "2012" {
            (&self.r2012.id, self.r2012.valid.to)
        } else {
            (&self.r2024.id, self.r2024.valid.to)
        };
        list.iter().filter_map(|(name, p)| ParamUse::of(id, name, p, m, to)).collect()
    }

    /// One step for the counting pool (ages), then one per child with the amount parameter used.
    fn child_steps<'a>(
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
            let person = k.person as usize;
            let birth = k.birth;
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

    fn trace_2012(
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

    fn trace_2024(&self, prep: &Prepared, m: YearMonth, children: &[ChildResult], tr: &mut Tracer) {
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

    fn trace_claim(
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

    fn outcome(&self, hh: &ValidHousehold, month: YearMonth, trace: bool) -> crate::schemes::Outcome {
        crate::schemes::Outcome::monthly(self, hh, month, trace)
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
