//! Money: integer yen (円), exact rates and named rounding rules.
//!
//! No floating point is used anywhere in a computation of money. A rate is an exact ratio of
//! integers; every rounding step is one of the named [`Rounding`] rules, each of which a scheme
//! cites from its law.

use serde::{Deserialize, Serialize};

/// An amount of money in yen (円). Signed so that differences are representable.
pub type Yen = i64;

/// An exact rate `numerator / denominator` (e.g. 0.0243007 = 243007 / 10000000).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Rate {
    /// Numerator.
    pub numerator: i64,
    /// Denominator, strictly positive.
    pub denominator: i64,
}

impl Rate {
    /// `percent` % as an exact rate.
    pub const fn percent(percent: i64) -> Self {
        Self { numerator: percent, denominator: 100 }
    }

    /// `amount × rate`, rounded by `rounding`. Computed in i128, so it cannot overflow for any yen
    /// amount and any rate whose parts fit in i64.
    pub fn apply(self, amount: Yen, rounding: Rounding) -> Yen {
        rounding.divide(i128::from(amount) * i128::from(self.numerator), i128::from(self.denominator))
    }
}

/// A named rounding rule. Each scheme states which one its law prescribes at each step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// 円未満切捨て: drop fractions of a yen (toward negative infinity).
    FloorYen,
    /// 10円未満四捨五入: round half up to a multiple of 10 yen.
    HalfUpTenYen,
    /// 円未満四捨五入: round half up to whole yen.
    HalfUpYen,
    /// 円未満切上げ: raise fractions of a yen to the next yen (toward positive infinity).
    CeilYen,
}

impl Rounding {
    /// `numerator / denominator` rounded by this rule (`denominator > 0`).
    fn divide(self, numerator: i128, denominator: i128) -> Yen {
        let value = match self {
            Rounding::FloorYen => numerator.div_euclid(denominator),
            Rounding::HalfUpTenYen => {
                // round(n / (10 d)) half up, then × 10.
                let d10 = denominator * 10;
                (numerator * 2 + d10).div_euclid(d10 * 2) * 10
            }
            Rounding::HalfUpYen => (numerator * 2 + denominator).div_euclid(denominator * 2),
            Rounding::CeilYen => -(-numerator).div_euclid(denominator),
        };
        // Saturate rather than wrap: inputs are validated far below these bounds.
        value.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as Yen
    }

    /// Round an amount already in whole yen (for [`Rounding::FloorYen`] a no-op).
    pub fn round(self, amount: Yen) -> Yen {
        self.divide(i128::from(amount), 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_yen_truncates_toward_negative_infinity() {
        assert_eq!(Rate::percent(10).apply(8_333_339, Rounding::FloorYen), 833_333);
        assert_eq!(Rate::percent(30).apply(-1, Rounding::FloorYen), -1);
    }

    #[test]
    fn half_up_ten_yen() {
        // FACTS.md §2.2 check arithmetic: 1,430,000 × 0.0243007 = 34,750.001 → 34,750.
        let r = Rate { numerator: 243_007, denominator: 10_000_000 };
        assert_eq!(r.apply(1_430_000, Rounding::HalfUpTenYen), 34_750);
        assert_eq!(Rounding::HalfUpTenYen.round(34_745), 34_750);
        assert_eq!(Rounding::HalfUpTenYen.round(34_744), 34_740);
        assert_eq!(Rounding::HalfUpTenYen.round(0), 0);
    }

    #[test]
    fn half_up_yen() {
        // 養育費 × 80 % (児童扶養手当法施行令第4条: 1円未満四捨五入): 1,234,567 × 0.8 = 987,653.6.
        assert_eq!(Rate::percent(80).apply(1_234_567, Rounding::HalfUpYen), 987_654);
        // 0.5 rounds up: 5 × 0.5 = 2.5 → 3.
        assert_eq!(Rate::percent(50).apply(5, Rounding::HalfUpYen), 3);
        assert_eq!(Rate::percent(80).apply(12, Rounding::HalfUpYen), 10);
    }

    #[test]
    fn ceil_yen() {
        // 所得金額調整控除: 1円未満の端数は切上げ (secondary only, docs/research/issue-9.md §1c): 10 % of 1,234,567 = 123,456.7.
        assert_eq!(Rate::percent(10).apply(1_234_567, Rounding::CeilYen), 123_457);
        assert_eq!(Rate::percent(10).apply(1_234_560, Rounding::CeilYen), 123_456);
        assert_eq!(Rate::percent(10).apply(0, Rounding::CeilYen), 0);
        assert_eq!(Rate::percent(10).apply(-15, Rounding::CeilYen), -1);
    }
}
