//! The amount of each child: its rank in the counting pool and its band's amount, per regime.

use super::*;

/// Rank the children `counted` in the pool (oldest first) and price each; `sink(index, band,
/// rank, amount)` sees every child. Returns the total. Shared by both logic versions.
pub(super) fn rank_and_price(
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
pub(super) fn is_child_band(b: Band) -> bool {
    matches!(b, Band::Under3 | Band::Primary | Band::LowerSecondary | Band::UpperSecondary)
}

/// Per-child amounts under the 2012 regime for one tier: pool to 18歳年度末, paid to 15歳年度末.
pub(super) fn sum_2012(
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
pub(super) fn sum_2024(
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
pub(super) fn children_2024(
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
pub(super) fn extended_unknown_matters(p: &Month2024, m: YearMonth, kids: &[ChildKeys]) -> bool {
    kids.iter().any(|k| k.extended == Extended::Unknown && band(k, m) == Band::YoungAdult)
        && sum_2024(p, m, kids, false, |_, _, _, _| {}) != sum_2024(p, m, kids, true, |_, _, _, _| {})
}
