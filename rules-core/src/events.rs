//! Life events (ライフイベント) and the procedures (手続) they start: what a [`Query::Event`]
//! carries, and what [`Engine::procedures`] answers for every scheme an event touches.
//!
//! [`Query::Event`]: crate::Query::Event
//! [`Engine::procedures`]: crate::Engine::procedures

use crate::ruleset::Text;
use crate::scheme::SchemeId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A kind of life event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventKind {
    /// 妊娠届 (the pregnancy is notified to the municipality).
    PregnancyNotified,
    /// 出生 (a child is born).
    Birth,
    /// 転入 (the household moves into a municipality).
    MoveIn,
    /// 転出 (the household moves out of a municipality).
    MoveOut,
    /// ひとり親になる (a parent becomes a single parent: divorce, death, …).
    SingleParent,
    /// 障害認定 (a disability is certified).
    DisabilityCertified,
    /// 所得確定 (a year's income is assessed, in June for 住民税).
    IncomeAssessed,
    /// 入園 (a child starts at a nursery or kindergarten).
    ChildcareEntry,
    /// 育休開始 (parental leave starts).
    LeaveStart,
}

/// A life event: what happened, on which day, to whom (a person id of the household).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LifeEvent {
    /// What happened.
    pub kind: EventKind,
    /// The day it happened.
    pub date: NaiveDate,
    /// The person it concerns, if one (a child born, the parent taking leave).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
}

/// A procedure (手続) a life event calls for under one scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Procedure {
    /// The scheme.
    pub scheme: SchemeId,
    /// What to file (e.g. 認定請求書).
    pub name: Text,
    /// The last day it may be filed without loss, if the law or the municipality sets one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<NaiveDate>,
    /// The provision that sets the procedure.
    pub citation: String,
}
