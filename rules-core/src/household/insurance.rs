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

/// 育児休業等 (childcare leave) of a person: the days from `from` to `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ChildcareLeave {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

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
