//! Derived facts shared by schemes, computed once (see `DESIGN.md`, "Concepts").

pub(crate) mod allowance;
pub(crate) mod child;
pub(crate) mod claim;
pub(crate) mod claimant;
pub(crate) mod employment;
pub(crate) mod nhi;
pub(crate) mod on_day;
pub(crate) mod pregnancy;
