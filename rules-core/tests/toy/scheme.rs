//! `toy_allowance`: a test-only scheme (cargo feature `toy`) that shows what adding a scheme takes
//! — this file, one line in `schemes/registry.rs`, and its ruleset folder and conformance cases
//! beside this file — and nothing in the engine, the CLI or the bindings. Each month it pays
//! `per_child` yen for every child born by the month's last day. Not a real benefit.

use crate::calendar::YearMonth;
use crate::error::RulesetError;
use crate::household::{Role, ValidHousehold};
use crate::money::Yen;
use crate::ruleset::{check_yen, Param, Parameters, RulesetFile, RulesetInfo, Validity, MAX_YEN};
use crate::scheme::{Code, Query, Scheme, SchemeFile};
use crate::schemes::registry::{Load, SchemeFiles, Shared};
use crate::schemes::{MonthResult, Outcome, Payment, Status};
use std::sync::Arc;

/// The toy's parameters (`toy_allowance/2026`).
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct ToyParams {
    /// Yen a month per child.
    per_child: Param<Yen>,
}

impl Parameters for ToyParams {
    fn validate(&self, validity: &Validity, errors: &mut Vec<(String, String)>) {
        self.per_child.validate("per_child", validity, errors);
        check_yen("per_child", &self.per_child, MAX_YEN, |y| vec![*y], errors);
    }
}

/// The toy scheme.
#[derive(Debug)]
pub(crate) struct Toy {
    meta: SchemeFile,
    file: RulesetFile<ToyParams>,
    info: Vec<RulesetInfo>,
}

impl Load for Toy {
    fn load(files: SchemeFiles, _: &Shared) -> Result<Self, RulesetError> {
        let (file, info) = files.single::<ToyParams>()?;
        Ok(Toy { meta: files.meta, file, info: vec![info] })
    }
}

impl Toy {
    fn month(&self, hh: &ValidHousehold, m: YearMonth) -> MonthResult {
        let mut r = MonthResult::empty(self.meta.id.clone(), m, Status::NotInForce);
        if !self.file.valid.contains(m) {
            return r;
        }
        r.regime = Some(Code::new("2026"));
        let Some(per_child) = self.file.parameters.per_child.at(m).and_then(|d| d.value) else {
            r.status = Status::NotKnown;
            r.reason = Some(Code::new("amount_not_known"));
            return r;
        };
        let born = |p: &&crate::household::Person| p.birth_date.is_some_and(|b| b <= m.last_day());
        let children = hh.household().persons.iter().filter(|p| p.role == Role::Child).filter(born).count();
        if children == 0 {
            r.status = Status::NotEligible;
            r.reason = Some(Code::new("no_child"));
        } else {
            r.status = Status::Eligible;
            r.amount = per_child * children as Yen;
        }
        r
    }
}

impl Scheme for Toy {
    fn meta(&self) -> &SchemeFile {
        &self.meta
    }

    fn rulesets(&self) -> &[RulesetInfo] {
        &self.info
    }

    fn rulesets_for(&self, m: YearMonth) -> Vec<&RulesetInfo> {
        self.info.iter().filter(|_| self.file.valid.contains(m)).collect()
    }

    fn reads_income(&self, _: YearMonth) -> bool {
        false
    }

    fn income_year(&self, _: YearMonth) -> Option<i32> {
        None
    }

    fn months(&self, hh: &ValidHousehold, months: &mut dyn Iterator<Item = YearMonth>, _: bool) -> Vec<MonthResult> {
        months.map(|m| self.month(hh, m)).collect()
    }

    fn evaluate(&self, hh: &ValidHousehold, query: &Query, trace: bool) -> Vec<Outcome> {
        Outcome::monthly(self, hh, query, trace)
    }

    fn payments(&self, _: &[MonthResult]) -> Vec<Payment> {
        Vec::new()
    }

    fn into_any(self: Arc<Self>) -> Arc<dyn std::any::Any + Send + Sync> {
        self
    }
}
