//! The 2012 regime's income-test tiers (本則・特例給付・支給なし) and the inputs that decide them.

use super::*;

/// Income-test tier of the 2012 regime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tier {
    /// No income test in force, or below the 所得制限限度額: the full amounts.
    Full,
    /// 特例給付.
    Special,
    /// At or above the 所得上限限度額: nothing.
    Nothing,
}

/// A set of possible tiers (bit set), plus whether a needed figure is not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Tiers {
    pub(super) bits: u8,
    pub(super) not_known: bool,
}

impl Tiers {
    pub(super) fn one(t: Tier) -> Self {
        Self { bits: 1 << t as u8, not_known: false }
    }
    pub(super) fn add(&mut self, t: Tier) {
        self.bits |= 1 << t as u8;
    }
    pub(super) fn union(self, o: Self) -> Self {
        Self { bits: self.bits | o.bits, not_known: self.not_known || o.not_known }
    }
    pub(super) fn iter(self) -> impl Iterator<Item = Tier> {
        [Tier::Full, Tier::Special, Tier::Nothing].into_iter().filter(move |t| self.bits & (1 << *t as u8) != 0)
    }
    pub(super) fn single(self) -> Option<Tier> {
        let mut it = self.iter();
        match (it.next(), it.next()) {
            (Some(t), None) => Some(t),
            _ => None,
        }
    }
}

/// The income test outcome's stable name.
pub(super) fn tier_name(t: Tier) -> &'static str {
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
pub(super) struct TierCalc {
    pub(super) tiers: Tiers,
    pub(super) limit: Option<Limit>,
    pub(super) upper: Option<Limit>,
}

impl Month2012 {
    /// Income test for a known 所得額 and count (limits are strict: 未満).
    pub(super) fn tier(&self, income: Yen, dependants: u32, elderly: u32) -> TierCalc {
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
    pub(super) fn income_year(&self, m: YearMonth) -> i32 {
        if m.month() >= self.switch_month {
            m.year() - 1
        } else {
            m.year() - 2
        }
    }

    /// Every tier possible in this month (for an unknown income).
    pub(super) fn all_tiers(&self) -> Tiers {
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
    pub(super) fn tiers_for(&self, income: IncomeInput, dependants: DependantsInput) -> Tiers {
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
