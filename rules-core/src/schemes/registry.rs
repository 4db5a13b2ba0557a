//! The one list of scheme implementations, keyed by the `logic` ids of their ruleset files. The
//! engine discovers schemes from `rulesets/**/scheme.json`; each folder's version files name the
//! logic that reads them, and this list says which implementation that is. Adding a scheme adds
//! its folder under `schemes/`, its folder under `rulesets/` and one line here.

use super::birth_support_grant::BirthSupportGrant;
use super::child_allowance::ChildAllowance;
use super::child_rearing_allowance::ChildRearingAllowance;
use super::childbirth_lump_sum::ChildbirthLumpSum;
use super::childcare_leave_benefit::ChildcareLeaveBenefit;
use super::disabled_child_welfare_allowance::DisabledChildWelfareAllowance;
use super::maternity_allowance::MaternityAllowance;
use super::nhi_maternity_reduction::NhiMaternityReduction;
use super::nhi_preschool_reduction::NhiPreschoolReduction;
use super::pension_maternity_exemption::PensionMaternityExemption;
use super::post_birth_leave_support_benefit::PostBirthLeaveSupport;
use super::postnatal_leave_benefit::PostnatalLeaveBenefit;
use super::pregnancy_support_benefit::PregnancySupportBenefit;
use super::reduced_hours_benefit::ReducedHoursBenefit;
use super::social_insurance_premium_exemption::SocialInsurancePremiumExemption;
use super::special_child_allowance::SpecialChildAllowance;
use crate::concepts::employment::LeaveBenefitParams;
use crate::concepts::nhi::NhiRules;
use crate::concepts::on_day::OnDay;
use crate::error::RulesetError;
use crate::income::EmploymentIncomeParams;
use crate::ruleset::{self, Doc, Parameters, RulesetFile, RulesetInfo};
use crate::scheme::{Scheme, SchemeFile};
use std::sync::Arc;

/// Every implementation: the logic ids it reads (oldest first) and its loader, in output order.
pub(crate) const IMPLEMENTATIONS: &[(&[&str], Loader)] = &[
    (&["child_allowance/2012", "child_allowance/2024"], Loader::of::<ChildAllowance>()),
    (&["child_rearing_allowance/2019"], Loader::of::<ChildRearingAllowance>()),
    (&["special_child_allowance/2018"], Loader::of::<SpecialChildAllowance>()),
    (&["disabled_child_welfare_allowance/2019"], Loader::of::<DisabledChildWelfareAllowance>()),
    (&["birth_support_grant/2022"], Loader::of::<OnDay<BirthSupportGrant>>()),
    (&["pregnancy_support_benefit/2025"], Loader::of::<OnDay<PregnancySupportBenefit>>()),
    (&["childbirth_lump_sum/2006"], Loader::of::<OnDay<ChildbirthLumpSum>>()),
    (&["maternity_allowance/2016"], Loader::of::<OnDay<MaternityAllowance>>()),
    (&["pension_maternity_exemption/2019"], Loader::of::<OnDay<PensionMaternityExemption>>()),
    (&["social_insurance_premium_exemption/2014"], Loader::of::<OnDay<SocialInsurancePremiumExemption>>()),
    (&["nhi_maternity_reduction/2024"], Loader::of::<OnDay<NhiMaternityReduction>>()),
    (&["nhi_preschool_reduction/2022"], Loader::of::<OnDay<NhiPreschoolReduction>>()),
    (&["postnatal_leave_benefit/2022"], Loader::of::<OnDay<PostnatalLeaveBenefit>>()),
    (&["childcare_leave_benefit/2013"], Loader::of::<OnDay<ChildcareLeaveBenefit>>()),
    (&["post_birth_leave_support_benefit/2025"], Loader::of::<OnDay<PostBirthLeaveSupport>>()),
    (&["reduced_hours_benefit/2025"], Loader::of::<OnDay<ReducedHoursBenefit>>()),
];

/// Test-only implementations (cargo feature `toy`): the toy scheme of `rules-core/tests/toy/`.
#[cfg(feature = "toy")]
const TEST_ONLY: &[(&[&str], Loader)] = &[(&["toy_allowance/2026"], Loader::of::<super::toy::Toy>())];
#[cfg(not(feature = "toy"))]
const TEST_ONLY: &[(&[&str], Loader)] = &[];

#[cfg(feature = "schema")]
/// The JSON Schemas of every logic version's ruleset file, by file name under `rulesets/schema/`.
pub(crate) fn ruleset_schemas() -> Vec<(&'static str, serde_json::Value)> {
    use super::birth_support_grant::BirthSupportParams;
    use super::child_allowance::{Params2012, Params2024};
    use super::child_rearing_allowance::ChildRearingParams;
    use super::childbirth_lump_sum::LumpSumParams;
    use super::childcare_leave_benefit::ChildcareParams;
    use super::disabled_child_welfare_allowance::WelfareParams;
    use super::maternity_allowance::MaternityParams;
    use super::nhi_maternity_reduction::MaternityReductionParams;
    use super::nhi_preschool_reduction::PreschoolReductionParams;
    use super::pension_maternity_exemption::PensionExemptionParams;
    use super::post_birth_leave_support_benefit::PostBirthParams;
    use super::postnatal_leave_benefit::PostnatalParams;
    use super::pregnancy_support_benefit::SupportParams;
    use super::reduced_hours_benefit::ReducedHoursParams;
    use super::social_insurance_premium_exemption::PremiumExemptionParams;
    use super::special_child_allowance::SpecialChildParams;
    use crate::concepts::nhi::{NhiRatesParams, NhiReductionParams};
    let to = |s: schemars::Schema| serde_json::to_value(s).unwrap_or_default();
    vec![
        ("child_allowance_2012.schema.json", to(schemars::schema_for!(RulesetFile<Params2012>))),
        ("child_allowance_2024.schema.json", to(schemars::schema_for!(RulesetFile<Params2024>))),
        ("employment_income_deduction.schema.json", to(schemars::schema_for!(RulesetFile<EmploymentIncomeParams>))),
        ("child_rearing_allowance_2019.schema.json", to(schemars::schema_for!(RulesetFile<ChildRearingParams>))),
        ("special_child_allowance_2018.schema.json", to(schemars::schema_for!(RulesetFile<SpecialChildParams>))),
        ("disabled_child_welfare_allowance_2019.schema.json", to(schemars::schema_for!(RulesetFile<WelfareParams>))),
        ("birth_support_grant_2022.schema.json", to(schemars::schema_for!(RulesetFile<BirthSupportParams>))),
        ("pregnancy_support_benefit_2025.schema.json", to(schemars::schema_for!(RulesetFile<SupportParams>))),
        ("childbirth_lump_sum_2006.schema.json", to(schemars::schema_for!(RulesetFile<LumpSumParams>))),
        ("maternity_allowance_2016.schema.json", to(schemars::schema_for!(RulesetFile<MaternityParams>))),
        (
            "pension_maternity_exemption_2019.schema.json",
            to(schemars::schema_for!(RulesetFile<PensionExemptionParams>)),
        ),
        (
            "social_insurance_premium_exemption_2014.schema.json",
            to(schemars::schema_for!(RulesetFile<PremiumExemptionParams>)),
        ),
        ("nhi_maternity_reduction_2024.schema.json", to(schemars::schema_for!(RulesetFile<MaternityReductionParams>))),
        ("nhi_preschool_reduction_2022.schema.json", to(schemars::schema_for!(RulesetFile<PreschoolReductionParams>))),
        ("nhi_income_reduction.schema.json", to(schemars::schema_for!(RulesetFile<NhiReductionParams>))),
        ("nhi_rates.schema.json", to(schemars::schema_for!(RulesetFile<NhiRatesParams>))),
        ("postnatal_leave_benefit_2022.schema.json", to(schemars::schema_for!(RulesetFile<PostnatalParams>))),
        ("childcare_leave_benefit_2013.schema.json", to(schemars::schema_for!(RulesetFile<ChildcareParams>))),
        ("post_birth_leave_support_benefit_2025.schema.json", to(schemars::schema_for!(RulesetFile<PostBirthParams>))),
        ("reduced_hours_benefit_2025.schema.json", to(schemars::schema_for!(RulesetFile<ReducedHoursParams>))),
        ("leave_benefits.schema.json", to(schemars::schema_for!(RulesetFile<LeaveBenefitParams>))),
        ("scheme.schema.json", to(schemars::schema_for!(SchemeFile))),
    ]
}

/// The shared rulesets every scheme may read (loaded before the schemes).
#[derive(Debug, Clone)]
pub(crate) struct Shared {
    /// 給与所得控除 and 所得金額調整控除 (`income/employment_income_deduction`).
    pub(crate) employment: Arc<RulesetFile<EmploymentIncomeParams>>,
    /// 国保: the national 軽減 figures and each municipality's rates (`nhi/income_reduction`,
    /// `municipal/<code>/nhi_rates`).
    pub(crate) nhi: Arc<NhiRules>,
    /// 雇用保険: the 賃金日額 limits and the rules every leave benefit shares
    /// (`employment_insurance/leave_benefits`).
    pub(crate) leave_benefits: Arc<RulesetFile<LeaveBenefitParams>>,
}

/// One ruleset file: its path under `rulesets/` and its contents.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FileText<'a> {
    pub(crate) path: &'a str,
    pub(crate) doc: &'a Doc,
}

/// A scheme folder as a loader receives it: the parsed `scheme.json` and its version files in
/// the order it lists them.
pub(crate) struct SchemeFiles<'a> {
    pub(crate) meta: SchemeFile,
    pub(crate) versions: Vec<FileText<'a>>,
}

impl SchemeFiles<'_> {
    /// The `i`-th version file, parsed and validated.
    pub(crate) fn version<P: Parameters>(&self, i: usize) -> Result<(RulesetFile<P>, RulesetInfo), RulesetError> {
        let f = self.versions.get(i).ok_or_else(|| RulesetError {
            ruleset: self.meta.id.to_string(),
            path: "/versions".into(),
            message: format!("expected at least {} version files", i + 1),
        })?;
        ruleset::load::<P>(f.path, f.doc)
    }

    /// The one version file of a scheme with a single logic version.
    pub(crate) fn single<P: Parameters>(&self) -> Result<(RulesetFile<P>, RulesetInfo), RulesetError> {
        self.version::<P>(0)
    }
}

/// A scheme implementation that can be built from its folder.
pub(crate) trait Load: Scheme + Sized + 'static {
    /// Parse and validate the folder's files.
    fn load(files: SchemeFiles, shared: &Shared) -> Result<Self, RulesetError>;
}

/// Builds a scheme from its folder.
#[derive(Clone, Copy)]
pub(crate) struct Loader(pub(crate) fn(SchemeFiles, &Shared) -> Loaded);

/// A loader's result.
pub(crate) type Loaded = Result<Arc<dyn Scheme>, RulesetError>;

impl Loader {
    const fn of<T: Load>() -> Self {
        Loader(boxed::<T>)
    }
}

fn boxed<T: Load>(files: SchemeFiles, shared: &Shared) -> Loaded {
    Ok(Arc::new(T::load(files, shared)?))
}

/// The scheme the columnar (population) path runs, and that path's types.
pub(crate) type Columnar = ChildAllowance;
pub use super::child_allowance::batch::{BatchChild, ChildOutcome, PersonRow, Population, PopulationBuilder};
pub use super::child_allowance::{BatchOutcome, DependantsInput, IncomeInput};

/// The columnar path's scheme among those loaded.
pub(crate) fn columnar(schemes: &[Arc<dyn Scheme>]) -> Result<Arc<Columnar>, RulesetError> {
    schemes.iter().find_map(|s| s.clone().into_any().downcast::<Columnar>().ok()).ok_or_else(|| RulesetError {
        ruleset: "registry".into(),
        path: String::new(),
        message: "the population path needs the child allowance scheme".into(),
    })
}

/// The implementation reading logic ids `logic` (a scheme's version files, in order) and its
/// position in the output order; an error names the ids known.
pub(crate) fn implementation(scheme: &str, logic: &[String]) -> Result<(usize, Loader), RulesetError> {
    IMPLEMENTATIONS
        .iter()
        .chain(TEST_ONLY)
        .enumerate()
        .find(|(_, (ids, _))| logic.iter().all(|l| ids.contains(&l.as_str())) && !logic.is_empty())
        .map(|(i, (_, loader))| (i, *loader))
        .ok_or_else(|| {
            let known: Vec<&str> =
                IMPLEMENTATIONS.iter().chain(TEST_ONLY).flat_map(|(ids, _)| ids.iter().copied()).collect();
            RulesetError {
                ruleset: scheme.to_owned(),
                path: "/versions".into(),
                message: format!("no implementation reads logic {} (known: {})", logic.join(", "), known.join(", ")),
            }
        })
}
