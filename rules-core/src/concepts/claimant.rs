//! Who is the 受給者 among two parents: the one who mainly supports the household (主として生計を
//! 維持する者), read as the higher 所得額 (児童手当 J31, 特別児童扶養手当 FACTS.md §13.8), with the
//! parent who applied kept on equal incomes.

use crate::money::Yen;

/// The parents in the order the rule reads them: the one who applied first (on equal incomes the
/// applicant stays the 受給者), then the others as listed.
pub(crate) fn applicant_first(parents: &[usize], applicant: Option<usize>) -> Vec<usize> {
    let applied = applicant.filter(|a| parents.contains(a));
    applied.into_iter().chain(parents.iter().copied().filter(|&i| Some(i) != applied)).collect()
}

/// The higher 所得額 and its item; on equal incomes the first listed.
pub(crate) fn higher_earner<T>(incomes: impl IntoIterator<Item = (Yen, T)>) -> Option<(Yen, T)> {
    incomes.into_iter().fold(None, |best, (income, item)| match best {
        Some((b, _)) if b >= income => best,
        _ => Some((income, item)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_higher_income_and_on_a_tie_the_applicant() {
        // J31 / FACTS.md §13.8: the higher 所得額 is the 受給者; equal incomes keep the applicant.
        assert_eq!(applicant_first(&[3, 5], Some(5)), vec![5, 3]);
        assert_eq!(applicant_first(&[3, 5], Some(9)), vec![3, 5]);
        assert_eq!(higher_earner([(100, 3), (200, 5)]), Some((200, 5)));
        assert_eq!(higher_earner([(200, 5), (200, 3)]), Some((200, 5)));
        assert_eq!(higher_earner(Vec::<(Yen, usize)>::new()), None);
    }
}
