use super::*;
use crate::household::{Deductions, IncomeYear};
use crate::Engine;

fn employment_file() -> RulesetFile<EmploymentIncomeParams> {
    let doc = crate::ruleset::Doc::embedded("national/income/employment_income_deduction.json").expect("embedded");
    crate::ruleset::load::<EmploymentIncomeParams>("test", &doc).expect("valid").0
}

fn deduction_for(year: i32) -> EmploymentDeduction {
    employment_file().salary_rules(year).deduction.cloned().expect("known year")
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
    let b = scheme_income(&year, &SalaryRules::default(), None, &rules).expect("no salary");
    assert_eq!(b.income, 6_000_000 - 100_000 - 50_000 - 270_000 - 350_000 - 80_000);
    // The reduction never exceeds 給与所得 + 年金; the result is never negative.
    let small = IncomeYear { employment_income: Some(30_000), ..IncomeYear::default() };
    let b = scheme_income(&small, &SalaryRules::default(), None, &rules).expect("no salary");
    assert_eq!((b.employment_pension_reduction, b.income), (30_000, 0));
    // A salary for a year whose 給与所得控除 is unknown cannot be turned into 所得.
    let salary = IncomeYear { salary: Some(5_000_000), ..IncomeYear::default() };
    assert_eq!(scheme_income(&salary, &SalaryRules::default(), None, &rules), Err(IncomeGap::DeductionNotKnown));
    // 児童扶養手当 (FACTS.md §2.4, F28): 80 % of 養育費 counts, 円未満四捨五入; a deduction whose
    // amount the rules do not know makes the 所得額 not known.
    let support = IncomeRules { child_support_percent: 80, widow: None, ..rules.clone() };
    let year = IncomeYear { employment_income: Some(2_000_000), child_support: 600_001, ..IncomeYear::default() };
    let b = scheme_income(&year, &SalaryRules::default(), None, &support).expect("no salary");
    assert_eq!((b.child_support, b.income), (480_001, 2_000_000 - 100_000 + 480_001 - 80_000));
    let widow = IncomeYear { deductions: Deductions { widow: true, ..Deductions::default() }, ..year };
    assert_eq!(
        scheme_income(&widow, &SalaryRules::default(), None, &support),
        Err(IncomeGap::RuleNotKnown { at_most: 2_300_001 })
    );
    let _ = Engine::new().expect("embedded rulesets load");
}

#[test]
fn employment_income_2016_and_2017_to_2019_caps_and_table() {
    // FACTS.md §13.2: 2016 cap 2,300,000 above 12,000,000 (up to it 5 % + 1,700,000).
    let d = deduction_for(2016);
    assert_eq!(d.employment_income(12_000_000), 12_000_000 - 2_300_000);
    assert_eq!(d.employment_income(13_000_000), 13_000_000 - 2_300_000);
    assert_eq!(d.employment_income(11_000_000), 11_000_000 - (550_000 + 1_700_000));
    // 2017–2019: cap 2,200,000 above 10,000,000; 2013–2015 still 5 % + 1,700,000 at 12,000,000.
    assert_eq!(deduction_for(2017).employment_income(10_000_001), 10_000_001 - 2_200_000);
    assert_eq!(deduction_for(2015).employment_income(15_000_001), 15_000_001 - 2_450_000);
    // FACTS.md §13.3 (所得税法 別表第五, 4,000円 steps): 1,625,000 → 974,000 under 2017–2019 and
    // 1,074,000 under the 2020 rules; 2,443,000 → 1,628,000 under the 2020 rules.
    assert_eq!(deduction_for(2019).employment_income(1_625_000), 974_000);
    assert_eq!(deduction_for(2020).employment_income(1_625_000), 1_074_000);
    assert_eq!(deduction_for(2020).employment_income(2_443_000), 1_628_000);
    // Every year from 2011 that the engine accepts a salary for has a 給与所得控除 except 2026.
    let file = employment_file();
    for year in 2011..=2025 {
        assert!(file.salary_rules(year).deduction.is_some(), "{year}");
    }
    assert!(file.salary_rules(2026).deduction.is_none());
}

#[test]
fn income_adjustment_amount_by_the_formula() {
    // FACTS.md §13.1, 国税庁 No.1411: (min(収入, 1,000万) − 850万) × 10 %, 1円未満切上げ, at most 150,000.
    let file = employment_file();
    assert!(file.salary_rules(2019).adjustment.is_none(), "from 2020 income only");
    let a = file.salary_rules(2020).adjustment.cloned().expect("2020");
    assert_eq!(a.amount(8_500_000), 0);
    assert_eq!(a.amount(8_500_001), 1);
    assert_eq!(a.amount(8_500_010), 1);
    assert_eq!(a.amount(8_500_011), 2);
    assert_eq!(a.amount(9_000_000), 50_000);
    assert_eq!(a.amount(10_000_000), 150_000);
    assert_eq!(a.amount(25_000_000), 150_000);
    assert_eq!(file.salary_rules(2024).adjustment.map(|a| a.dependant_income_limit), Some(480_000));
    assert_eq!(file.salary_rules(2025).adjustment.map(|a| a.dependant_income_limit), Some(580_000));
}

fn child<'a>(person: u32, birth: &str, income: Option<&'a IncomeYear>) -> YoungDependant<'a> {
    YoungDependant { person, birth: birth.parse().expect("date"), died: None, in_care: true, income }
}

#[test]
fn income_adjustment_qualification() {
    let file = employment_file();
    let rules = file.salary_rules(2024);
    let earner = IncomeYear { salary: Some(9_000_000), ..IncomeYear::default() };
    // 年齢計算ニ関スル法律: born 2002-01-02 is 22 on 2024-12-31 (23 is reached on 2025-01-01);
    // born 2002-01-01 reaches 23 on 2024-12-31, so is not under 23 then.
    assert_eq!(
        adjustment_basis(&earner, 2024, &rules, [child(3, "2002-01-02", None)]),
        Some(AdjustmentBasis::YoungDependant(3))
    );
    assert_eq!(adjustment_basis(&earner, 2024, &rules, [child(3, "2002-01-01", None)]), None);
    // Born on 31 December counts; born in the next year does not.
    assert!(adjustment_basis(&earner, 2024, &rules, [child(3, "2024-12-31", None)]).is_some());
    assert!(adjustment_basis(&earner, 2024, &rules, [child(3, "2025-01-01", None)]).is_none());
    // The child's 合計所得金額 must be within 480,000 (2024): 給与 1,030,000 → 給与所得 480,000 counts,
    // 1,040,000 → 490,000 does not.
    let low = IncomeYear { salary: Some(1_030_000), ..IncomeYear::default() };
    let high = IncomeYear { salary: Some(1_040_000), ..IncomeYear::default() };
    assert!(adjustment_basis(&earner, 2024, &rules, [child(3, "2005-05-05", Some(&low))]).is_some());
    assert!(adjustment_basis(&earner, 2024, &rules, [child(3, "2005-05-05", Some(&high))]).is_none());
    // Not in care: not the earner's 扶養親族 here.
    let away = YoungDependant { in_care: false, ..child(3, "2015-05-05", None) };
    assert!(adjustment_basis(&earner, 2024, &rules, [away]).is_none());
    // A 特別障害者控除 qualifies without a child; the explicit input wins both ways.
    let disabled =
        IncomeYear { deductions: Deductions { specially_disabled: 1, ..Deductions::default() }, ..earner.clone() };
    assert_eq!(adjustment_basis(&disabled, 2024, &rules, []), Some(AdjustmentBasis::SpeciallyDisabled));
    let no = IncomeYear { income_adjustment: Some(false), ..disabled.clone() };
    assert_eq!(adjustment_basis(&no, 2024, &rules, [child(3, "2015-05-05", None)]), None);
    let yes = IncomeYear { income_adjustment: Some(true), ..earner.clone() };
    assert_eq!(adjustment_basis(&yes, 2024, &rules, []), Some(AdjustmentBasis::Given));
    // Not for 2019 income, nor a salary at or below 8,500,000, nor a 給与所得 given directly.
    assert!(adjustment_basis(&yes, 2019, &file.salary_rules(2019), []).is_none());
    let at = IncomeYear { salary: Some(8_500_000), income_adjustment: Some(true), ..IncomeYear::default() };
    assert!(adjustment_basis(&at, 2024, &rules, []).is_none());
}

#[test]
fn income_adjustment_reduces_employment_income() {
    // FACTS.md §13.1: 収入 12,000,000 with children → 給与所得 12,000,000 − 1,950,000 − 150,000.
    let file = employment_file();
    let rules = file.salary_rules(2023);
    let year = IncomeYear { salary: Some(12_000_000), ..IncomeYear::default() };
    let flat = IncomeRules { flat_deduction: 80_000, employment_pension_reduction: 100_000, ..IncomeRules::default() };
    let b = scheme_income(&year, &rules, Some(AdjustmentBasis::Given), &flat).expect("known");
    assert_eq!((b.employment_income, b.income_adjustment, b.income), (9_900_000, 150_000, 9_720_000));
    let b = scheme_income(&year, &rules, None, &flat).expect("known");
    assert_eq!((b.employment_income, b.income_adjustment, b.income), (10_050_000, 0, 9_870_000));
}

proptest::proptest! {
    /// The 所得金額調整控除 never raises a 所得額, and more salary never lowers one (FACTS.md §13.1:
    /// the deduction rises by 10 % of the salary while 給与所得 rises by at least 90 %).
    #[test]
    fn adjustment_never_raises_income_and_salary_is_monotone(
        year in 2017i32..=2025,
        salary in 0i64..30_000_000,
        step in 0i64..2_000_000,
    ) {
        let file = employment_file();
        let rules = file.salary_rules(year);
        let flat = IncomeRules { flat_deduction: 80_000, employment_pension_reduction: 100_000, ..IncomeRules::default() };
        let at = |s: i64, basis| {
            scheme_income(&IncomeYear { salary: Some(s), ..IncomeYear::default() }, &rules, basis, &flat).expect("known").income
        };
        for basis in [None, Some(AdjustmentBasis::Given)] {
            proptest::prop_assert!(at(salary, basis) <= at(salary + step, basis));
        }
        proptest::prop_assert!(at(salary, Some(AdjustmentBasis::Given)) <= at(salary, None));
    }
}

#[test]
fn the_trace_shows_the_adjustment_with_its_citation() {
    // FACTS.md §13.1: salary 12,000,000 (2022) with a child under 23 → 所得金額調整控除 150,000.
    let engine = Engine::new().expect("rulesets");
    let hh = engine
        .parse_household(
            r#"{"persons":[{"id":"m","role":"parent","income":{"2022":{"salary":12000000,"dependants":3}}},
        {"id":"c","role":"child","birth_date":"2015-05-05"}]}"#,
        )
        .expect("household");
    let month = "2023-07".parse().expect("month");
    let r = engine.evaluate_scheme(&hh, "child_allowance", month, crate::Options::trace(true)).expect("scheme");
    let steps = r.trace.expect("trace");
    let step = steps.iter().find(|s| s.rule == "income.adjustment").expect("adjustment step");
    assert!(step.citation.contains("第41条の3の11"), "{}", step.citation);
    assert_eq!(step.branch, "young_dependant");
    assert!(step.ja.contains("150,000円") && step.inputs.iter().any(|i| i.path == "/persons/1/birth_date"), "{step:?}");
    assert_eq!(step.parameters[0].name, "income/employment_income_deduction.adjustment");
}

#[test]
fn a_year_whose_adjustment_is_not_known_has_no_known_salary_income() {
    // DESIGN.md "Never invent a figure": a null 所得金額調整控除 (status unknown) leaves a salary's
    // 所得額 not known; a 給与所得 given directly is still known.
    let file = employment_file();
    let rules = SalaryRules { adjustment_not_known: true, adjustment: None, ..file.salary_rules(2024) };
    let flat = IncomeRules::default();
    let salary = IncomeYear { salary: Some(5_000_000), ..IncomeYear::default() };
    assert_eq!(scheme_income(&salary, &rules, None, &flat), Err(IncomeGap::DeductionNotKnown));
    let given = IncomeYear { employment_income: Some(3_560_000), ..IncomeYear::default() };
    assert_eq!(scheme_income(&given, &rules, None, &flat).map(|b| b.income), Ok(3_560_000));
}
