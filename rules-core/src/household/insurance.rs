//! Health insurance, pension and employment inputs of a person (医療保険・国民年金・報酬・育児休業):
//! what the birth, premium and leave schemes read. Validated in `pregnancy.rs`'s `validate`.

use crate::calendar::YearMonth;
use crate::money::Yen;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The kind of public health insurance (医療保険者の種別).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum InsuranceKind {
    /// 国民健康保険 (市町村 or 国保組合).
    NationalHealth,
    /// 全国健康保険協会管掌健康保険 (協会けんぽ).
    Kyokai,
    /// 健康保険組合.
    HealthSociety,
    /// 船員保険.
    Seamen,
    /// 共済組合.
    MutualAid,
    /// 後期高齢者医療.
    LateElderly,
}

/// Insured person or dependant (被保険者・被扶養者).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum InsuredStatus {
    /// 被保険者 (国保: every member).
    Insured,
    /// 被扶養者 of an employee's insurance.
    Dependant,
}

/// One period of a person's health insurance, from `since` to the next entry's `since`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HealthInsurance {
    /// First day.
    pub since: NaiveDate,
    /// The kind of insurer.
    pub kind: InsuranceKind,
    /// 被保険者 or 被扶養者.
    pub status: InsuredStatus,
    /// For a dependant: the 被保険者, by person id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insured_person: Option<String>,
    /// 任意継続被保険者.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub voluntary: bool,
    /// The insurer's 全被保険者の標準報酬月額の平均 (健康保険法第99条第2項第2号), for a
    /// 健康保険組合 (協会けんぽ's is in the ruleset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all_insured_average: Option<Yen>,
}

/// The 国民年金 category of a person (被保険者の種別).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PensionCategory {
    /// 第1号被保険者 (self-employed, students, the unemployed: pays the 国民年金保険料 itself).
    First,
    /// 第2号被保険者 (厚生年金 or 共済 members).
    Second,
    /// 第3号被保険者 (a 第2号's dependent spouse).
    Third,
    /// 任意加入被保険者.
    Voluntary,
    /// Not insured (e.g. abroad, or 60 and over).
    None,
}

/// One period of a person's 国民年金 category, from `since` to the next entry's `since`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PensionPeriod {
    /// First day.
    pub since: NaiveDate,
    /// The category.
    pub category: PensionCategory,
}

/// The kind of a 育児休業等.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum LeaveKind {
    /// 育児休業 (育児・介護休業法第5条).
    #[default]
    Childcare,
    /// 出生時育児休業 (産後パパ育休, 同法第9条の2, from 2022-10): within 8 weeks of the birth.
    Postnatal,
}

/// 育児休業等 (childcare leave) of a person: the days from `from` to `to`, and what the leave
/// benefits read (the child, work and pay during it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ChildcareLeave {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// 育児休業 (default) or 出生時育児休業.
    #[serde(default, skip_serializing_if = "is_childcare")]
    pub kind: LeaveKind,
    /// The child, by person id (needed for 出生時育児休業).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child: Option<String>,
    /// Days worked during the leave (就業日数).
    #[serde(default, skip_serializing_if = "is_zero_days")]
    pub days_worked: u32,
    /// Hours worked during the leave (就業時間), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_worked: Option<u32>,
    /// Wages paid for the leave's days (休業期間中の賃金).
    #[serde(default, skip_serializing_if = "is_zero_yen")]
    pub pay: Yen,
    /// 育児休業: the work and pay of each 支給単位期間 in order, one entry per unit (absent: no
    /// work and no pay in any unit). A 育児休業's work and pay are given here, not in
    /// `days_worked`, `hours_worked` and `pay`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<UnitFacts>,
    /// 育児休業 after the child's first birthday (1歳6か月・2歳までの延長): why it was extended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<LeaveExtension>,
}

/// Work and pay in one 支給単位期間 of a 育児休業.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UnitFacts {
    /// Days worked in the unit (就業日数).
    #[serde(default, skip_serializing_if = "is_zero_days")]
    pub days_worked: u32,
    /// Hours worked in the unit (就業時間), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_worked: Option<u32>,
    /// Wages paid for the unit (支給単位期間中に支払われた賃金).
    #[serde(default, skip_serializing_if = "is_zero_yen")]
    pub pay: Yen,
}

/// Why a 育児休業 runs past the child's first birthday (雇用保険法施行規則第101条の25).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LeaveExtension {
    /// The reason.
    pub reason: ExtensionReason,
    /// For `nursery` from 2025-04: whether the 公共職業安定所長 accepts that the 保育所 application
    /// aims at a speedy return to work (速やかな職場復帰のため). Absent: not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted: Option<bool>,
}

/// The reason for extending a 育児休業.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExtensionReason {
    /// 保育所等における保育の利用を希望し、申込みを行っているが、当面その実施が行われない.
    Nursery,
    /// The person who was to care for the child cannot (配偶者の死亡・負傷・疾病・離婚等, 産前産後).
    Caregiver,
}

fn is_childcare(k: &LeaveKind) -> bool {
    *k == LeaveKind::Childcare
}

fn is_zero_days(n: &u32) -> bool {
    *n == 0
}

fn is_zero_yen(y: &Yen) -> bool {
    *y == 0
}

/// 育児時短就業 (shortened working hours to care for a child under 2, 雇用保険法第61条の12): the
/// days from `from` to `to` (absent: still running).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReducedHours {
    /// First day.
    pub from: NaiveDate,
    /// Last day (absent: still running).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    /// The child, by person id.
    pub child: String,
}

/// Why a parent's 出生後休業支援給付金 does not need the spouse's leave (雇用保険法第61条の10第2項,
/// 施行規則).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SpouseExemption {
    /// 配偶者がいない (第1号).
    NoSpouse,
    /// The spouse is not the child's legal parent (配偶者が子と法律上の親子関係がない, 省令).
    NotLegalParent,
    /// Living apart because of domestic violence (配偶者から暴力を受け別居中, 省令).
    Violence,
    /// The spouse is not employed (無業者, 第2号).
    NotEmployed,
    /// The spouse is self-employed or freelance (自営業者・フリーランス等, 第2号).
    SelfEmployed,
    /// The spouse is employed but not under 雇用保険, or cannot take a 育児休業 (省令).
    CannotTakeLeave,
    /// The spouse took 産後休業 or an equivalent leave (第3号).
    MaternityLeave,
}

/// One month of wages under 雇用保険 (a 賃金月, by the employer's 賃金締切日).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WageMonth {
    /// Wages paid for the month (賃金; bonuses excluded).
    pub wages: Yen,
    /// 賃金支払基礎日数.
    pub paid_days: u32,
    /// Hours paid (賃金支払基礎時間数), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<u32>,
}

/// 雇用保険 被保険者 months of a person, by month (`"2025-03"`), as the leave benefits read them.
pub type WageMonths = BTreeMap<YearMonth, WageMonth>;

/// A person's health insurance premium rate (健康保険料率, with the 介護保険料率 where it applies)
/// from a month on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PremiumRate {
    /// First month.
    pub since: YearMonth,
    /// The rate in hundredths of a percent (10.03 % = 1003).
    pub basis_points: u32,
}

/// 標準報酬月額 by month with the current insurer (`"2024-05"` → yen).
pub type Remuneration = BTreeMap<YearMonth, Yen>;
