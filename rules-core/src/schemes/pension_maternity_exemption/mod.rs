//! 国民年金 産前産後期間の保険料免除 (National Pension premium exemption around childbirth) —
//! 国民年金法第88条の2 (from 2019-04-01): a 第1号被保険者's premiums for the month before the
//! month of the due date (or of the birth) to two months after it are exempt — from three months
//! before for a 多胎妊娠 — and count as paid (納付済期間). The 届出 may be made from six months
//! before the due date. A birth is 妊娠85日以上 (死産・流産・人工妊娠中絶 included).

use crate::concepts::on_day::{applications, each_pregnancy, used, value_on, DayRules, Draft, Exempt};
use crate::schemes::registry::Shared;

const ID: &str = "pension_maternity_exemption";
use crate::concepts::pregnancy::PregnancyRef;
use crate::household::{PensionCategory, ValidHousehold};
use crate::money::Yen;
use crate::ruleset::{check_yen, Param, Parameters, RulesetFile, Validity, MAX_YEN};
use chrono::NaiveDate;

/// The parameters of `pension_maternity_exemption/2019`.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct PensionExemptionParams {
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
    /// 国民年金保険料 (定額) per month, by fiscal year.
    premium: Param<Yen>,
}

impl Parameters for PensionExemptionParams {
    fn validate(&self, validity: &Validity, errors: &mut Vec<(String, String)>) {
        self.months_before.validate("months_before", validity, errors);
        self.months_before_multiple.validate("months_before_multiple", validity, errors);
        self.months_after.validate("months_after", validity, errors);
        self.notify_months_before_due.validate("notify_months_before_due", validity, errors);
        self.min_gestation_days.validate("min_gestation_days", validity, errors);
        self.premium.validate("premium", validity, errors);
        check_yen("premium", &self.premium, MAX_YEN, |y| vec![*y], errors);
    }
}

/// 国民年金 産前産後期間の保険料免除 with its ruleset.
#[derive(Debug)]
pub(crate) struct PensionMaternityExemption {
    file: RulesetFile<PensionExemptionParams>,
}

impl DayRules for PensionMaternityExemption {
    type Params = PensionExemptionParams;
    type Body = Exempt;

    fn new(file: RulesetFile<PensionExemptionParams>, _: &Shared) -> Self {
        PensionMaternityExemption { file }
    }

    fn decide(&self, hh: &ValidHousehold, as_of: NaiveDate, draft: &mut Draft<Exempt>) {
        each_pregnancy(hh, draft, |g, draft| self.pregnancy(hh, g, as_of, draft));
    }
}

impl PensionMaternityExemption {
    fn pregnancy(&self, hh: &ValidHousehold, g: &PregnancyRef, as_of: NaiveDate, draft: &mut Draft<Exempt>) {
        let p = &self.file.parameters;
        let rs = self.file.id.as_str();
        let params = [
            &p.months_before,
            &p.months_before_multiple,
            &p.months_after,
            &p.notify_months_before_due,
            &p.min_gestation_days,
        ];
        let Some(rule) = g.perinatal_rule(&self.file.valid, params, draft) else { return };
        // 施行規則第73条の7: the 届出 may be made from six months before the due date, and in any
        // case once the pregnancy has ended (第73条の6).
        let Some(opens) = g.perinatal_opens(rule, as_of, draft) else { return };
        let mother = &hh.persons[g.person];
        if mother.pension.is_empty() {
            return draft.missing(g.person_at("pension"));
        }
        // 国民年金法第88条の2: only months from 2019-04 (平成28年法律第114号附則第4条), and only
        // those as a 第1号被保険者 (a month counts in the category held at its end). 施行規則
        // 第73条の6: a 届出 after the birth takes the birth date (年管管発1206第1号).
        let applied = applications(hh, ID, "exemption", g.index).next().map(|a| a.date);
        let months = g.perinatal_months(
            rule,
            applied,
            |m| self.file.valid.contains(m) && mother.pension_on(m.last_day()) == Some(PensionCategory::First),
            draft,
        );
        let (Some(&first), Some(&last)) = (months.first(), months.last()) else {
            return draft.because("no_first_category_month");
        };
        // 国民年金法第91条: a month's premium is due by the end of the next month; a 届出 after
        // that may find premiums already paid, which are refunded (or set against others).
        if applied.is_none_or(|a| a > first.next().last_day()) {
            draft.warn("refund_if_paid");
        }
        draft.body.notify_from = Some(draft.body.notify_from.map_or(opens, |d| d.min(opens)));
        for m in &months {
            draft.body.month(*m, value_on(&p.premium, m.first_day()).copied());
        }
        draft.step("window", &p.months_before.citation, || {
            (
                format!("{first}〜{last} の第1号被保険者の{}か月の保険料を免除（納付済期間）", months.len()),
                format!(
                    "the premiums of {} months as a 第1号被保険者, {first} to {last}, exempt (counted as paid)",
                    months.len()
                ),
                vec![used(rs, "premium", &p.premium, first.first_day())],
            )
        });
    }
}
