//! 国民健康保険 産前産後期間の保険料軽減 (National Health Insurance premium reduction around
//! childbirth) — 国民健康保険法施行令第29条の7第5項第8号・第9号 (from 2024-01-01): the 所得割
//! and 均等割 (after any 7割・5割・2割軽減) of the person giving birth are removed for the month
//! before the month of the due date to two months after it — from three months before for a
//! 多胎妊娠 — and months before 2024-01 are not (令和5年政令第243号附則第2条). A birth is 妊娠
//! 85日以上 (死産・流産・人工妊娠中絶 included). The yen: the months' twelfths of that fiscal
//! year's 所得割 and 均等割 at the municipality's rates, under its 賦課限度額.

use crate::calendar::YearMonth;
use crate::concepts::nhi::{self, share_of, NhiRules, NhiYear, Reduction};
use crate::concepts::on_day::{applications, each_pregnancy, DayRules, Draft, Exempt};
use crate::concepts::pregnancy::PregnancyRef;
use crate::household::ValidHousehold;
use crate::ruleset::{Param, Parameters, RulesetFile, Validity};
use crate::schemes::registry::Shared;
use chrono::NaiveDate;
use std::sync::Arc;

const ID: &str = "nhi_maternity_reduction";

/// The parameters of `nhi_maternity_reduction/2024`.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct MaternityReductionParams {
    /// Months before the base month (出産予定月の前月).
    months_before: Param<u32>,
    /// Months before it for a 多胎妊娠 (三月前).
    months_before_multiple: Param<u32>,
    /// Months after it (翌々月).
    months_after: Param<u32>,
    /// The 届出 may be made this many months before the due date.
    notify_months_before_due: Param<u32>,
    /// A 出産 is 妊娠 this many days or more.
    min_gestation_days: Param<u32>,
}

impl Parameters for MaternityReductionParams {
    fn validate(&self, validity: &Validity, errors: &mut Vec<(String, String)>) {
        self.months_before.validate("months_before", validity, errors);
        self.months_before_multiple.validate("months_before_multiple", validity, errors);
        self.months_after.validate("months_after", validity, errors);
        self.notify_months_before_due.validate("notify_months_before_due", validity, errors);
        self.min_gestation_days.validate("min_gestation_days", validity, errors);
    }
}

/// 国保 産前産後期間の保険料軽減 with its ruleset and the 国保 rules.
#[derive(Debug)]
pub(crate) struct NhiMaternityReduction {
    file: RulesetFile<MaternityReductionParams>,
    nhi: Arc<NhiRules>,
}

impl DayRules for NhiMaternityReduction {
    type Params = MaternityReductionParams;
    type Body = Exempt;

    fn new(file: RulesetFile<MaternityReductionParams>, shared: &Shared) -> Self {
        NhiMaternityReduction { file, nhi: shared.nhi.clone() }
    }

    fn decide(&self, hh: &ValidHousehold, as_of: NaiveDate, draft: &mut Draft<Exempt>) {
        each_pregnancy(hh, draft, |g, draft| self.pregnancy(hh, g, as_of, draft));
    }
}

impl NhiMaternityReduction {
    fn pregnancy(&self, hh: &ValidHousehold, g: &PregnancyRef, as_of: NaiveDate, draft: &mut Draft<Exempt>) {
        let p = &self.file.parameters;
        let params = [
            &p.months_before,
            &p.months_before_multiple,
            &p.months_after,
            &p.notify_months_before_due,
            &p.min_gestation_days,
        ];
        let Some(rule) = g.perinatal_rule(&self.file.valid, params, draft) else { return };
        // The 届出 may be made from six months before the due date, and after the birth.
        let Some(opens) = g.perinatal_opens(rule, as_of, draft) else { return };
        let mother = &hh.persons[g.person];
        if mother.health_insurance.is_empty() {
            return draft.missing(g.person_at("health_insurance"));
        }
        // 第9号: months from 2024-01 (附則第2条) in which she is a 国保 被保険者.
        let applied = applications(hh, ID, "reduction", g.index).next().map(|a| a.date);
        let months =
            g.perinatal_months(rule, applied, |m| self.file.valid.contains(m) && nhi::insured_in(mother, m), draft);
        let (Some(&first), Some(&last)) = (months.first(), months.last()) else {
            return draft.because("no_nhi_month");
        };
        draft.body.notify_from = Some(draft.body.notify_from.map_or(opens, |d| d.min(opens)));
        draft.step("window", &p.months_before.citation, || {
            (
                format!("{first}〜{last} の国保被保険者の{}か月の所得割・均等割を軽減", months.len()),
                format!("the 所得割 and 均等割 of {} months in 国保, {first} to {last}, removed", months.len()),
                Vec::new(),
            )
        });
        for (fy, code, ms) in nhi::by_year(hh, &months) {
            let waived = self.year_waived(hh, g.person, fy, code, &ms, draft);
            draft.body.months_waived(&ms, waived);
        }
    }

    /// The yen of months `ms` of fiscal year `fy` in municipality `code` (`None`: not known).
    fn year_waived(
        &self,
        hh: &ValidHousehold,
        person: usize,
        fy: i32,
        code: Option<&str>,
        ms: &[YearMonth],
        draft: &mut Draft<Exempt>,
    ) -> Option<crate::money::Yen> {
        let mother = &hh.persons[person];
        let mut base_used = 0;
        let (yen, rates) = self.nhi.waive(hh, fy, code, draft, |year, rates, draft| {
            // She is in 国保 in these months, so her base was read with the year's household.
            let Some(base) = year.base(person).flatten() else {
                draft.warn("base_not_encoded");
                draft.not_known = true;
                return None;
            };
            base_used = base;
            // Each month its twelfth of the year's 所得割 and 均等割 (the 介護分 in months at 40–64).
            let mut cut: Reduction = [0; 3];
            for m in ms {
                let care = nhi::care_age_in(mother, *m);
                let levy = NhiYear::income_levy(rates, base, care);
                let capita = year.per_capita(rates, care)?;
                let month = share_of(std::array::from_fn(|k| levy[k] + capita[k]), 1, 12, 10);
                (0..3).for_each(|k| cut[k] += month[k]);
            }
            Some(cut)
        })?;
        let base = base_used;
        draft.step("amount", &self.file.parameters.months_before.citation, || {
            (
                format!(
                    "{fy}年度 {}か月: 所得割の基礎 {base}円の所得割と均等割の12分の{} → {yen}円（{}）",
                    ms.len(),
                    ms.len(),
                    rates
                ),
                format!(
                    "FY{fy}, {} months: {}/12 of the 所得割 on a base of {base} yen and of the 均等割 → {yen} yen ({})",
                    ms.len(),
                    ms.len(),
                    rates
                ),
                Vec::new(),
            )
        });
        Some(yen)
    }
}
