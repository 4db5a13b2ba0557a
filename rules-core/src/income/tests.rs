use super::*;
use crate::household::{Deductions, IncomeYear};
use crate::Engine;

fn deduction_for(year: i32) -> EmploymentDeduction {
    let text = crate::ruleset::EMBEDDED
        .iter()
        .find(|(p, _, _)| p.ends_with("employment_income_deduction.json"))
        .map(|(_, t, _)| *t)
        .expect("embedded");
    let (file, _) = crate::ruleset::load::<EmploymentIncomeParams, true>("test", text, None).expect("valid");
    let month = crate::YearMonth::new(year, 1).expect("month");
    file.parameters.deduction.at(month).and_then(|d| d.value.clone()).expect("known year")
}

#[test]
fn employment_income_2020_matches_the_published_quick_table() {
    // 佐賀市 給与所得額の速算表 (令和3年度から令和7年度 = income 2020–2024) and OpenFisca-Japan's
    // tests, as recorded in the employment_income_deduction ruleset's source.
    let d = deduction_for(2020);
    assert_eq!(d.employment_income(550_999), 0);
    assert_eq!(d.employment_income(551_000), 1_000);
    assert_eq!(d.employment_income(1_618_999), 1_068_999);
    assert_eq!(d.employment_income(1_619_500), 1_069_000);
    assert_eq!(d.employment_income(1_621_999), 1_070_000);
    assert_eq!(d.employment_income(1_623_999), 1_072_000);
    assert_eq!(d.employment_income(1_625_000), 1_074_000);
    assert_eq!(d.employment_income(1_800_000), 1_180_000);
    assert_eq!(d.employment_income(3_600_000), 2_440_000);
    // A = 収入÷4 (千円未満切捨て): 1,628,000 → A = 407,000 → ×2.4 + 100,000.
    assert_eq!(d.employment_income(1_628_000), 407_000 * 24 / 10 + 100_000);
    // 6,599,999 → A = 1,649,000 → ×3.2 − 440,000.
    assert_eq!(d.employment_income(6_599_999), 1_649_000 * 32 / 10 - 440_000);
    // 6.6M–8.5M: 収入×0.9 − 1,100,000 (1円未満切捨て); above 8.5M: 収入 − 1,950,000.
    assert_eq!(d.employment_income(7_000_005), 7_000_005 * 9 / 10 - 1_100_000);
    assert_eq!(d.employment_income(8_500_000), 6_550_000);
    assert_eq!(d.employment_income(10_000_000), 8_050_000);
}

#[test]
fn employment_income_2025_matches_the_nta_year_end_table() {
    // 国税庁 令和7年分 年末調整のしかた: below 651,000 → 0; to 1,899,999 → 収入 − 650,000;
    // first table rows 1,900,000 → 1,250,000 and 1,904,000 → 1,252,800.
    let d = deduction_for(2025);
    assert_eq!(d.employment_income(650_999), 0);
    assert_eq!(d.employment_income(1_625_000), 975_000);
    assert_eq!(d.employment_income(1_899_999), 1_249_999);
    assert_eq!(d.employment_income(1_903_999), 1_250_000);
    assert_eq!(d.employment_income(1_904_000), 1_252_800);
}

#[test]
fn employment_income_before_2020_uses_the_65man_minimum_and_caps() {
    // 所得税法第28条第3項 as it stood: 2017–2019 cap 2,200,000 above 10,000,000.
    let d = deduction_for(2019);
    assert_eq!(d.employment_income(12_000_000), 9_800_000);
    assert_eq!(d.employment_income(8_000_000), 8_000_000 * 9 / 10 - 1_200_000);
    // 2013–2015: cap 2,450,000 above 15,000,000; up to then 5% + 1,700,000.
    let d = deduction_for(2014);
    assert_eq!(d.employment_income(20_000_000), 17_550_000);
    assert_eq!(d.employment_income(12_000_000), 12_000_000 * 95 / 100 - 1_700_000);
}

#[test]
fn scheme_income_subtracts_reduction_deductions_and_flat_amount() {
    // 児童手当 所得額 (FACTS.md §1.4): 給与所得 − 10万円 (from 2020 income) − listed deductions − 8万円.
    let rules = IncomeRules {
        flat_deduction: 80_000,
        employment_pension_reduction: 100_000,
        disabled: 270_000,
        specially_disabled: 400_000,
        widow: Some(270_000),
        single_parent: Some(350_000),
        working_student: 270_000,
        child_support_percent: 0,
        spouse_special: false,
    };
    let year = IncomeYear {
        employment_income: Some(6_000_000),
        deductions: Deductions { medical: 50_000, disabled: 1, single_parent: true, ..Deductions::default() },
        ..IncomeYear::default()
    };
    let b = scheme_income(&year, None, &rules).expect("no salary");
    assert_eq!(b.income, 6_000_000 - 100_000 - 50_000 - 270_000 - 350_000 - 80_000);
    // The reduction never exceeds 給与所得 + 年金; the result is never negative.
    let small = IncomeYear { employment_income: Some(30_000), ..IncomeYear::default() };
    let b = scheme_income(&small, None, &rules).expect("no salary");
    assert_eq!((b.employment_pension_reduction, b.income), (30_000, 0));
    // A salary for a year whose 給与所得控除 is unknown cannot be turned into 所得.
    let salary = IncomeYear { salary: Some(5_000_000), ..IncomeYear::default() };
    assert_eq!(scheme_income(&salary, None, &rules), Err(IncomeGap::DeductionNotKnown));
    // 児童扶養手当 (FACTS.md §2.4, F28): 80 % of 養育費 counts, 円未満四捨五入; a deduction whose
    // amount the rules do not know makes the 所得額 not known.
    let support = IncomeRules { child_support_percent: 80, widow: None, ..rules.clone() };
    let year = IncomeYear { employment_income: Some(2_000_000), child_support: 600_001, ..IncomeYear::default() };
    let b = scheme_income(&year, None, &support).expect("no salary");
    assert_eq!((b.child_support, b.income), (480_001, 2_000_000 - 100_000 + 480_001 - 80_000));
    let widow = IncomeYear { deductions: Deductions { widow: true, ..Deductions::default() }, ..year };
    assert_eq!(scheme_income(&widow, None, &support), Err(IncomeGap::RuleNotKnown { at_most: 2_300_001 }));
    let _ = Engine::new().expect("embedded rulesets load");
}
