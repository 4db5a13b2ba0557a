//! 国民健康保険 未就学児の均等割軽減 (National Health Insurance: half the per-capita premium of a
//! pre-school child) — 国民健康保険法施行令第29条の7第5項第6号・第7号 (from FY2022, 令和3年政令
//! 第253号): the 均等割 of a 被保険者 up to the first 31 March on or after the day they reach 6
//! (6歳に達する日以後の最初の3月31日) is halved, after the 7割・5割・2割軽減 where one applies
//! (8.5割, 7.5割, 6割 or 5割 in all). Answered child by child for the fiscal year of the day asked;
//! the yen: the months' twelfths at the municipality's rates, under its 賦課限度額.

use crate::calendar::{self, YearMonth};
use crate::concepts::nhi::{self, share_of, NhiRules};
use crate::concepts::on_day::{value_on, DayRules, Draft, Exempt};
use crate::household::{InsuranceKind, Role, ValidHousehold};
use crate::ruleset::{Param, Parameters, RulesetFile, Validity};
use crate::schemes::registry::Shared;
use chrono::NaiveDate;
use std::sync::Arc;

/// The parameters of `nhi_preschool_reduction/2022`.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct PreschoolReductionParams {
    /// The age whose first 31 March after it ends the reduction (六歳に達する日以後の最初の三月
    /// 三十一日).
    age: Param<u32>,
    /// The share of the (reduced) 均等割 removed, in tenths (十分の五).
    share_tenths: Param<u32>,
}

impl Parameters for PreschoolReductionParams {
    fn validate(&self, validity: &Validity, errors: &mut Vec<(String, String)>) {
        self.age.validate("age", validity, errors);
        self.share_tenths.validate("share_tenths", validity, errors);
        for (i, v) in self.share_tenths.values.iter().enumerate() {
            if v.value.is_some_and(|t| !(1..=10).contains(&t)) {
                errors.push((format!("/parameters/share_tenths/values/{i}/value"), "expected 1 to 10 tenths".into()));
            }
        }
    }
}

/// 国保 未就学児の均等割軽減 with its ruleset and the 国保 rules.
#[derive(Debug)]
pub(crate) struct NhiPreschoolReduction {
    file: RulesetFile<PreschoolReductionParams>,
    nhi: Arc<NhiRules>,
}

impl DayRules for NhiPreschoolReduction {
    type Params = PreschoolReductionParams;
    type Body = Exempt;

    fn new(file: RulesetFile<PreschoolReductionParams>, shared: &Shared) -> Self {
        NhiPreschoolReduction { file, nhi: shared.nhi.clone() }
    }

    /// Every child who is ever in 国保.
    fn subjects(&self, hh: &ValidHousehold) -> Vec<usize> {
        (0..hh.persons.len())
            .filter(|&i| hh.persons[i].role == Role::Child)
            .filter(|&i| hh.persons[i].health_insurance.iter().any(|h| h.kind == InsuranceKind::NationalHealth))
            .collect()
    }

    fn decide(&self, hh: &ValidHousehold, as_of: NaiveDate, draft: &mut Draft<Exempt>) {
        let Some(i) = draft.person else {
            return draft.because("no_child_in_nhi");
        };
        let p = &self.file.parameters;
        let fy = calendar::fiscal_year(as_of);
        let (april, march) = (YearMonth::from_parts_saturating(fy, 4), YearMonth::from_parts_saturating(fy + 1, 3));
        let (Some(age), Some(share)) =
            (value_on(&p.age, april.first_day()), value_on(&p.share_tenths, april.first_day()))
        else {
            draft.not_in_force = true;
            return;
        };
        let child = &hh.persons[i];
        let Some(birth) = child.birth_date else {
            return draft.missing(format!("/persons/{i}/birth_date"));
        };
        // 第6号: up to the first 31 March on or after the day the child reaches 6.
        let Some(end) = calendar::fiscal_year_end_after_age(birth, *age) else {
            return draft.because("school_age");
        };
        if end < april.first_day() {
            return draft.because("school_age");
        }
        let months: Vec<YearMonth> = april
            .through(march)
            .filter(|m| m.last_day() >= birth && m.first_day() <= end && nhi::insured_in(child, *m))
            .collect();
        let (Some(&first), Some(&last)) = (months.first(), months.last()) else {
            return draft.because("not_in_nhi");
        };
        draft.step("preschool", &p.age.citation, || {
            (
                format!("{end}（6歳に達する日以後の最初の3月31日）まで: {fy}年度の{first}〜{last}の{}か月の均等割を{share}割軽減", months.len()),
                format!("up to {end} (the first 31 March after reaching 6): the 均等割 of {} months of FY{fy}, {first} to {last}, reduced by {share}0 %", months.len()),
                Vec::new(),
            )
        });
        for (fy, code, ms) in nhi::by_year(hh, &months) {
            let waived = self.year_waived(hh, fy, code, &ms, *share, draft);
            draft.body.months_waived(&ms, waived);
        }
    }
}

impl NhiPreschoolReduction {
    /// The yen of months `ms` of fiscal year `fy` in municipality `code` (`None`: not known).
    fn year_waived(
        &self,
        hh: &ValidHousehold,
        fy: i32,
        code: Option<&str>,
        ms: &[YearMonth],
        share: u32,
        draft: &mut Draft<Exempt>,
    ) -> Option<crate::money::Yen> {
        // 第7号: half of the 均等割 after the 7割・5割・2割軽減 (a child has no 介護分).
        let months = ms.len() as u32;
        let (yen, rates) = self.nhi.waive(hh, fy, code, draft, |year, rates, _| {
            Some(share_of(year.per_capita(rates, false)?, months, 12, share))
        })?;
        draft.step("amount", &self.file.parameters.share_tenths.citation, || {
            (
                format!(
                    "{fy}年度 {}か月: 軽減後の均等割の12分の{}の{share}割 → {yen}円（{}）",
                    ms.len(),
                    ms.len(),
                    rates
                ),
                format!(
                    "FY{fy}, {} months: {share}/10 of {}/12 of the reduced 均等割 → {yen} yen ({})",
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
