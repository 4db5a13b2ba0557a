//! The household input model: persons, their relationships, income by calendar year,
//! applications (認定請求) and residence. Unknown fields are rejected; every input error names its
//! JSON pointer (see [`crate::error::InputError`]).

use crate::money::Yen;
use chrono::NaiveDate;

mod insurance;
mod pregnancy;
pub use insurance::{
    ChildcareLeave, ExtensionReason, HealthInsurance, InsuranceKind, InsuredStatus, LeaveExtension, LeaveKind,
    PensionCategory, PensionPeriod, PremiumRate, ReducedHours, Remuneration, SpouseExemption, UnitFacts, WageMonth,
    WageMonths,
};
pub(crate) use pregnancy::validate as validate_pregnancies;
pub use pregnancy::{
    Facility, LeavePay, MaternityLeave, OutcomeKind, Pregnancy, PregnancyOutcome, MAX_FETUSES, MAX_PREGNANCIES,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A household: the persons who live together and what the rules need to know about them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Household {
    /// Parents (who may claim) and children.
    pub persons: Vec<Person>,
    /// Applications made (認定請求). With none for a scheme, results are the entitlement as if
    /// claimed in time ("entitlement mode").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applications: Vec<Application>,
    /// Residence history (住民登録), oldest first. Each later entry is a move on its `since` date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub residence: Vec<Residence>,
    /// Pregnancies (妊娠) and how they ended, for the pregnancy and birth schemes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pregnancies: Vec<Pregnancy>,
    /// 世帯主 (head of the household in the 住民基本台帳), by person id: the 国保 premium is
    /// levied on them, and their 所得 counts in the 軽減 even when they are not in 国保
    /// (擬制世帯主).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub householder: Option<String>,
}

/// The person's place in the household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A parent (父又は母) of the household's children, who may claim.
    Parent,
    /// 養育者: raises the children without being their parent (e.g. a grandmother raising an
    /// orphan); may claim 児童扶養手当 and 特別児童扶養手当.
    Guardian,
    /// 扶養義務者 living in the household (民法第877条第1項: 直系血族・兄弟姉妹, e.g. a
    /// grandparent): never a claimant, but their income is tested by the income-tested allowances.
    Relative,
    /// A child of the household.
    Child,
}

impl Role {
    /// The stable snake_case name (as in JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Parent => "parent",
            Role::Guardian => "guardian",
            Role::Relative => "relative",
            Role::Child => "child",
        }
    }
}

/// Why the children qualify for 児童扶養手当 (児童扶養手当法第4条第1項各号, 施行令第1条の2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChildRearingReason {
    /// 父母が婚姻を解消した児童.
    Divorce,
    /// 父又は母が死亡した児童.
    ParentDeceased,
    /// 父又は母が政令で定める程度の障害の状態にある児童.
    ParentDisabled,
    /// 父又は母の生死が明らかでない児童.
    ParentMissing,
    /// 父又は母に1年以上遺棄されている児童.
    Abandoned,
    /// 父又は母が配偶者暴力防止法の保護命令を受けた児童.
    ProtectionOrder,
    /// 父又は母が1年以上拘禁されている児童.
    Detained,
    /// 婚姻によらないで生まれた児童.
    Unmarried,
    /// 父母がいない、又は父母が監護しない児童 (a guardian's claim), without saying which: the
    /// income test then is undetermined where 法第9条 and 第9条の2 differ.
    ParentsAbsent,
    /// 孤児等 (a guardian's claim): the father is dead or missing and there is no mother, or the
    /// reverse, or a case of 施行令第2条の3 (法第9条第1項's exclusion) — tested all or nothing
    /// (法第9条の2).
    Orphan,
    /// A guardian's claim in every other case (e.g. both parents alive but not caring for the
    /// children, or one dead and the other alive but not caring): tested on the 本人 table with
    /// 一部支給 (法第9条).
    ParentsNotCaring,
}

/// The 特別児童扶養手当 disability grade (施行令別表第3) as certified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SpecialChildGrade {
    /// 1級.
    #[serde(rename = "grade_1")]
    Grade1,
    /// 2級.
    #[serde(rename = "grade_2")]
    Grade2,
    /// Judged not to reach 2級.
    None,
}

/// A child's disability as certified or judged for each allowance — an input, never inferred from
/// handbook (手帳) grades. An absent field is not known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Disability {
    /// 特別児童扶養手当の障害等級 (施行令別表第3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special_child_grade: Option<SpecialChildGrade>,
    /// 障害児福祉手当の重度障害児 (施行令別表第1: 日常生活において常時の介護を必要とする).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severe: Option<bool>,
    /// 児童扶養手当の障害 (施行令別表第1), which makes a child a 児童 until 20.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_rearing: Option<bool>,
}

/// A person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Unique id within the household, referenced by applications.
    pub id: String,
    /// Parent or child.
    pub role: Role,
    /// Date of birth (required for children).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<NaiveDate>,
    /// Date of death, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub death_date: Option<NaiveDate>,
    /// Child: in the claimant's 監護 and 生計 (lives with and is supported by the claimant).
    /// Defaults to true.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub in_care: bool,
    /// Child from 18歳年度末 to 22歳年度末: the 監護相当・生計費の負担についての確認書 (2024-10 reform).
    /// Absent = not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extended_care: Option<ExtendedCare>,
    /// Claimant of 児童扶養手当 (parent or guardian): why the children qualify. Absent: no claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_rearing_reason: Option<ChildRearingReason>,
    /// Child: the disability as certified or judged (absent: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disability: Option<Disability>,
    /// Child: lives in a 児童福祉施設 or similar facility (入所, not 通所), which excludes the child
    /// from 児童扶養手当, 特別児童扶養手当 and 障害児福祉手当. Defaults to false.
    #[serde(default, skip_serializing_if = "is_false")]
    pub in_facility: bool,
    /// Child: can receive a public pension paid for disability (障害を支給事由とする年金), which
    /// excludes the child from 特別児童扶養手当 and 障害児福祉手当. Defaults to false.
    #[serde(default, skip_serializing_if = "is_false")]
    pub disability_pension: bool,
    /// Income by calendar year (`"2023"`) of a parent, guardian or relative, or of a child for
    /// 障害児福祉手当 (the child's own income). A missing year is unknown income.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(feature = "schema", schemars(with = "BTreeMap<String, IncomeYear>"))]
    pub income: BTreeMap<IncomeYearKey, IncomeYear>,
    /// Health insurance (医療保険) over time, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub health_insurance: Vec<HealthInsurance>,
    /// 国民年金 category (第1号・第2号・第3号) over time, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pension: Vec<PensionPeriod>,
    /// 標準報酬月額 by month with the current insurer (`"2024-05"`), for 出産手当金 and the premiums.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub standard_monthly_remuneration: Remuneration,
    /// 標準賞与額 by the month the bonus is paid.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub standard_bonus: Remuneration,
    /// 育児休業等, in date order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub childcare_leave: Vec<ChildcareLeave>,
    /// 雇用保険: wages and 賃金支払基礎日数 by month (the leave benefits' eligibility and 賃金日額);
    /// absent: not insured under 雇用保険, or not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wage_months: Option<WageMonths>,
    /// 雇用保険: the days in the 2 years before a leave (or 時短) on which the person could not
    /// be paid for 30 days or more in a row for 疾病・負傷 or another 省令 reason (30 to 731): the
    /// 2 years are lengthened by them, a month for each 30 days, to at most 4 (雇用保険法第61条の7
    /// 第1項括弧書). Absent: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookback_extension_days: Option<u32>,
    /// The health insurance premium rate (with 介護 where it applies) over time, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub health_premium_rate: Vec<PremiumRate>,
    /// 育児時短就業, in date order (the wages of its months are in `wage_months`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reduced_hours: Vec<ReducedHours>,
    /// 出生後休業支援給付金: why the spouse's leave is not needed, when it is not (absent: the
    /// spouse in the household, and their leaves, decide).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spouse_exemption: Option<SpouseExemption>,
}

impl Person {
    /// The 国民年金 category in force on `day` (`None`: not given for that day).
    pub(crate) fn pension_on(&self, day: NaiveDate) -> Option<PensionCategory> {
        let i = self.pension.partition_point(|p| p.since <= day);
        i.checked_sub(1).map(|i| self.pension[i].category)
    }

    /// The health insurance in force on `day`, with its index in `health_insurance`.
    pub(crate) fn insurance_on(&self, day: NaiveDate) -> Option<(usize, &HealthInsurance)> {
        let i = self.health_insurance.partition_point(|h| h.since <= day);
        i.checked_sub(1).map(|i| (i, &self.health_insurance[i]))
    }

    /// A person with only an id and a role (in care, no dates, no income).
    pub fn new(id: impl Into<String>, role: Role) -> Self {
        Person {
            id: id.into(),
            role,
            birth_date: None,
            death_date: None,
            in_care: true,
            extended_care: None,
            child_rearing_reason: None,
            disability: None,
            in_facility: false,
            disability_pension: false,
            income: BTreeMap::new(),
            health_insurance: Vec::new(),
            pension: Vec::new(),
            standard_monthly_remuneration: BTreeMap::new(),
            standard_bonus: BTreeMap::new(),
            childcare_leave: Vec::new(),
            wage_months: None,
            lookback_extension_days: None,
            health_premium_rate: Vec::new(),
            reduced_hours: Vec::new(),
            spouse_exemption: None,
        }
    }
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A calendar year used as a key of [`Person::income`], written as a four-digit string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct IncomeYearKey(pub i32);

impl<'de> Deserialize<'de> for IncomeYearKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        match s.parse::<i32>() {
            Ok(y) if s.len() == 4 && (1900..=9999).contains(&y) => Ok(IncomeYearKey(y)),
            _ => Err(serde::de::Error::custom(format!(
                "income year must be a four-digit calendar year such as \"2023\", got {s:?}"
            ))),
        }
    }
}

/// The 確認書 for an 18–22-year-old (監護相当・生計費の負担).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExtendedCare {
    /// Whether the claimant 監護相当 cares for and bears the 生計費 of the child.
    pub confirmed: bool,
    /// When the 確認書 was submitted; the child counts from the month after (or from April when it
    /// is on or before 15 April after the child's 18歳年度末). Absent = in time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_on: Option<NaiveDate>,
}

/// One calendar year's income and deductions of a parent, as the benefit rules read them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IncomeYear {
    /// 給与等の収入金額 (gross salary). Not together with `employment_income`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salary: Option<Yen>,
    /// 給与所得 (after 給与所得控除), when known instead of the gross salary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employment_income: Option<Yen>,
    /// 公的年金等に係る雑所得 (after 公的年金等控除).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub pension_income: Yen,
    /// All other 所得 (事業, 不動産, 退職, 山林, 分離譲渡 …).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub other_income: Yen,
    /// 養育費 received in the year from the children's other parent (児童扶養手当 counts 80 %).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub child_support: Yen,
    /// Deductions the benefit rules allow.
    #[serde(default, skip_serializing_if = "Deductions::is_empty")]
    pub deductions: Deductions,
    /// 扶養親族等の数 (total), when given directly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dependants: Option<u32>,
    /// 扶養親族等 who are not children in the household (e.g. a spouse with low income); the
    /// household's children are then added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_dependants: Option<u32>,
    /// Of the 扶養親族等, 老人控除対象配偶者・老人扶養親族.
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub elderly_dependants: u32,
    /// Of the 扶養親族等, 特定扶養親族 and 控除対象扶養親族 aged 16–18 (additions to the limits of
    /// 児童扶養手当 and 特別児童扶養手当).
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub specified_dependants: u32,
    /// 所得金額調整控除 (子ども・特別障害者等を有する者等, from 2020 income): whether it applies to
    /// the `salary`. Absent = derived: a 特別障害者控除 claimed (`deductions.specially_disabled`),
    /// or, for a parent or guardian, a child of the household in care, under 23 on 31 December and
    /// with 合計所得金額 within the 扶養親族 limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub income_adjustment: Option<bool>,
}

fn is_zero(v: &Yen) -> bool {
    *v == 0
}

fn is_zero_u32(v: &u32) -> bool {
    *v == 0
}

/// Deductions (控除) the benefit income rules subtract.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Deductions {
    /// 雑損控除 (actual amount).
    #[serde(default)]
    pub casualty_loss: Yen,
    /// 医療費控除 (actual amount).
    #[serde(default)]
    pub medical: Yen,
    /// 小規模企業共済等掛金控除 (actual amount).
    #[serde(default)]
    pub small_business_mutual_aid: Yen,
    /// Number of 障害者控除 (ordinary).
    #[serde(default)]
    pub disabled: u32,
    /// Number of 特別障害者控除.
    #[serde(default)]
    pub specially_disabled: u32,
    /// 寡婦控除.
    #[serde(default)]
    pub widow: bool,
    /// ひとり親控除.
    #[serde(default)]
    pub single_parent: bool,
    /// 勤労学生控除.
    #[serde(default)]
    pub working_student: bool,
    /// 配偶者特別控除 (actual amount; deducted by 児童扶養手当, 特別児童扶養手当 and
    /// 障害児福祉手当).
    #[serde(default)]
    pub spouse_special: Yen,
}

impl Deductions {
    fn is_empty(&self) -> bool {
        *self == Deductions::default()
    }
}

/// An application (認定請求) for a scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// The id of the scheme applied for (see `kodomo schemes`).
    pub scheme: crate::scheme::SchemeId,
    /// The id of the person who applied (the 受給者): a parent (児童手当), a parent or guardian
    /// (児童扶養手当, 特別児童扶養手当), the child (障害児福祉手当).
    pub claimant: String,
    /// The date the application was received.
    pub date: NaiveDate,
    /// The municipality (全国地方公共団体コード) applied to; must be the residence then, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(regex(pattern = r"^[0-9]{5,6}$")))]
    pub municipality: Option<String>,
    /// The part of a grant applied for (a `part` code of the scheme's labels, e.g. `first`);
    /// absent: every part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// The pregnancy applied for, by id; absent: every pregnancy of the claimant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pregnancy: Option<String>,
}

/// A period of residence in one municipality.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Residence {
    /// 全国地方公共団体コード (6 digits with check digit, or 5 without).
    #[cfg_attr(feature = "schema", schemars(regex(pattern = r"^[0-9]{5,6}$")))]
    pub municipality: String,
    /// First day of residence (the move date; for later entries the 転出予定日 of the previous one).
    pub since: NaiveDate,
}

/// A household that has passed [`crate::Engine::validate`]: the only form the rules read. Every
/// application's claimant is resolved to a person, every reference and date checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidHousehold {
    household: Household,
    /// The person index of each application's claimant.
    claimants: Vec<usize>,
}

impl ValidHousehold {
    /// Only the engine's validation builds one.
    pub(crate) fn new(household: Household, claimants: Vec<usize>) -> Self {
        ValidHousehold { household, claimants }
    }

    /// The household.
    pub fn household(&self) -> &Household {
        &self.household
    }

    /// The household, to edit and validate again.
    pub fn into_inner(self) -> Household {
        self.household
    }

    /// The applications for `scheme` with their index in `applications` and claimant index.
    pub(crate) fn applications_for<'a>(
        &'a self,
        scheme: &'a crate::scheme::SchemeId,
    ) -> impl Iterator<Item = (usize, &'a Application, usize)> + 'a {
        self.household
            .applications
            .iter()
            .enumerate()
            .filter(move |(_, a)| &a.scheme == scheme)
            .map(|(i, a)| (i, a, self.claimants[i]))
    }
}

impl std::ops::Deref for ValidHousehold {
    type Target = Household;

    fn deref(&self) -> &Household {
        &self.household
    }
}
