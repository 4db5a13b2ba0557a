//! The core both paths share: a month's amounts for children and an income already resolved (the
//! population path calls it directly).

use super::*;

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
                sink(kids[i].dates.person as u32, band, rank, single.map(|_| amount))
            });
        } else {
            let p = segment(&self.seg2024, m);
            children_2024(p, m, kids, |i, band, rank, amount| sink(kids[i].dates.person as u32, band, rank, amount));
        }
    }
}
