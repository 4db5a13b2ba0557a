//! 出産育児一時金 (childbirth lump-sum grant) — 健康保険法第101条 (家族出産育児一時金 第114条),
//! 施行令第36条; 国民健康保険法第58条 (by 条例, at the same figures). Per baby by the 出産日: the
//! 施行令 amount, plus the 産科医療補償制度 加算 for a birth at a participating facility at 22 weeks
//! or more; a 出産 is 妊娠85日以上 (死産・流産・人工妊娠中絶 included). With the 直接支払制度 the
//! facility is paid up to its charge and the insured person receives the 差額.

use crate::concepts::on_day::{applied_late, each_pregnancy, used, value_on, years_after, DayRules, Draft};
use crate::concepts::pregnancy::PregnancyRef;
use crate::household::{InsuranceKind, InsuredStatus, ValidHousehold};
use crate::money::Yen;
use crate::ruleset::{check_yen, Param, Parameters, RulesetFile, Validity, MAX_YEN};
use crate::schemes::registry::Shared;
use crate::schemes::Grant;
use chrono::NaiveDate;

const ID: &str = "childbirth_lump_sum";

/// The parameters of `childbirth_lump_sum/2006`.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct LumpSumParams {
    /// 施行令第36条本文: the amount per baby without the 加算.
    base: Param<Yen>,
    /// 施行令第36条ただし書: the 産科医療補償制度 加算 (0 before it existed).
    addition: Param<Yen>,
    /// A 出産 is 妊娠 this many days or more.
    min_gestation_days: Param<u32>,
    /// The 加算 needs 在胎 this many days or more (22週 = 154日).
    addition_min_gestation_days: Param<u32>,
    /// 時効: years from the day after the birth (法第193条).
    claim_years: Param<u32>,
}

impl Parameters for LumpSumParams {
    fn validate(&self, validity: &Validity, errors: &mut Vec<(String, String)>) {
        self.base.validate("base", validity, errors);
        self.addition.validate("addition", validity, errors);
        self.min_gestation_days.validate("min_gestation_days", validity, errors);
        self.addition_min_gestation_days.validate("addition_min_gestation_days", validity, errors);
        self.claim_years.validate("claim_years", validity, errors);
        check_yen("base", &self.base, MAX_YEN, |y| vec![*y], errors);
        check_yen("addition", &self.addition, MAX_YEN, |y| vec![*y], errors);
    }
}

/// 出産育児一時金 with its ruleset.
#[derive(Debug)]
pub(crate) struct ChildbirthLumpSum {
    file: RulesetFile<LumpSumParams>,
}

impl DayRules for ChildbirthLumpSum {
    type Params = LumpSumParams;
    type Body = Vec<Grant>;

    fn new(file: RulesetFile<LumpSumParams>, _: &Shared) -> Self {
        ChildbirthLumpSum { file }
    }

    fn decide(&self, hh: &ValidHousehold, as_of: NaiveDate, draft: &mut Draft<Vec<Grant>>) {
        each_pregnancy(hh, draft, |g, draft| self.pregnancy(hh, g, as_of, draft));
    }
}

impl ChildbirthLumpSum {
    fn pregnancy(&self, hh: &ValidHousehold, g: &PregnancyRef, as_of: NaiveDate, draft: &mut Draft<Vec<Grant>>) {
        let p = &self.file.parameters;
        let rs = self.file.id.as_str();
        let Some(o) = g.g.outcome.as_ref().filter(|o| o.date <= as_of) else {
            draft.because("none_due");
            return;
        };
        let birth = o.date;
        if !self.file.valid.contains(crate::calendar::YearMonth::of(birth)) {
            draft.not_in_force = true;
            return;
        }
        let (Some(base), Some(add), Some(min_days), Some(add_days), Some(years)) = (
            value_on(&p.base, birth),
            value_on(&p.addition, birth),
            value_on(&p.min_gestation_days, birth),
            value_on(&p.addition_min_gestation_days, birth),
            value_on(&p.claim_years, birth),
        ) else {
            draft.not_known = true;
            draft.because("amount_not_known");
            return;
        };
        match PregnancyRef::is_childbirth(o, *min_days) {
            Some(false) => {
                draft.because("not_a_birth");
                return;
            }
            None => {
                draft.missing(g.at("outcome/gestation_days"));
                return;
            }
            Some(true) => {}
        }
        // The insurer on the day of the birth, and who is paid (被保険者).
        let mother = &hh.persons[g.person];
        if mother.health_insurance.is_empty() {
            draft.missing(g.person_at("health_insurance"));
            return;
        }
        let Some((_, ins)) = mother.insurance_on(birth) else {
            draft.because("not_insured");
            return;
        };
        let payee = match (ins.kind, ins.status) {
            (InsuranceKind::MutualAid | InsuranceKind::LateElderly, _) => {
                draft.not_known = true;
                draft.because("insurer_not_encoded");
                return;
            }
            (InsuranceKind::NationalHealth, _) => {
                draft.warn("paid_to_householder");
                None
            }
            (_, InsuredStatus::Dependant) => {
                draft.warn("family_grant");
                ins.insured_person.clone()
            }
            (_, InsuredStatus::Insured) => Some(g.g.person.clone()),
        };
        let Some(babies) = g.babies(o) else {
            draft.missing(g.at("outcome/babies"));
            return;
        };
        // The 加算: a participating facility and 在胎22週以後 (死産を含む).
        let with_addition = match (o.facility.map(|f| f.obstetric_compensation), o.gestation_days) {
            _ if *add == 0 => Some(false),
            (Some(false), _) => Some(false),
            (Some(true), Some(d)) => Some(d >= *add_days),
            (Some(true), None) | (None, _) => None,
        };
        let Some(with_addition) = with_addition else {
            let missing = if o.facility.is_none() { "outcome/facility" } else { "outcome/gestation_days" };
            draft.missing(g.at(missing));
            draft.open(base * babies as Yen, (base + add) * babies as Yen);
            return;
        };
        let per_baby = base + if with_addition { *add } else { 0 };
        let total = per_baby * babies as Yen;
        let deadline = years_after(birth, *years);
        if applied_late(hh, ID, "lump_sum", g.index, deadline) {
            draft.because("time_barred");
            return;
        }
        draft.step("amount", &p.base.citation, || {
            (
                format!(
                    "{birth} の出産: 1児 {per_baby}円（{}）× {babies}児 = {total}円",
                    if with_addition {
                        format!("{base}円 + 産科医療補償制度 加算 {add}円")
                    } else {
                        format!("{base}円、加算なし")
                    }
                ),
                format!(
                    "birth on {birth}: {per_baby} yen a baby ({}) × {babies} = {total} yen",
                    if with_addition { format!("{base} + the 加算 {add}") } else { format!("{base}, no 加算") }
                ),
                vec![used(rs, "base", &p.base, birth), used(rs, "addition", &p.addition, birth)],
            )
        });
        let of = g.at("");
        let line = |part, amount, payee: Option<String>| {
            let mut l = Grant::new(part, birth, babies, amount, of.clone());
            l.payee = payee;
            l.deadline = Some(deadline);
            l
        };
        match o.facility.filter(|f| f.direct_payment).and_then(|f| f.charge) {
            Some(charge) => {
                // 直接支払制度: the facility receives up to its charge; the rest is the 差額.
                draft.body.push(line("paid_to_facility", charge.min(total), None));
                if charge < total {
                    draft.body.push(line("difference", total - charge, payee));
                }
            }
            None => draft.body.push(line("lump_sum", total, payee)),
        }
    }
}
