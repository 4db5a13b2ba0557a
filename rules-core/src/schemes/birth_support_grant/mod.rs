//! 出産・子育て応援給付金 (birth and childcare support grant) — a national budget programme run by
//! municipalities for 妊娠届 and births from 2022-04-01 to 2025-03-31: 出産応援 50,000 per
//! pregnancy after the 妊娠届 and a 面談 (also after a miscarriage or stillbirth), 子育て応援 50,000
//! per child born. Each municipality's start and deadline are data of the ruleset.

use crate::concepts::on_day::{applied_late, each_pregnancy, residence_on, used, value_on, DayRules, Draft};
use crate::concepts::pregnancy::PregnancyRef;
use crate::household::{OutcomeKind, ValidHousehold};
use crate::money::Yen;
use crate::ruleset::{check_yen, Param, Parameters, RulesetFile, Validity, MAX_YEN};
use crate::schemes::registry::Shared;
use crate::schemes::Grant;
use chrono::NaiveDate;

const ID: &str = "birth_support_grant";

/// A municipality's own dates (its 要綱).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct Municipal {
    /// 全国地方公共団体コード.
    municipality: String,
    /// The first 妊娠届 of the municipality's programme; earlier ones were paid retroactively.
    start: NaiveDate,
    /// 出産応援 is applied for 妊娠期間中 (by the birth).
    during_pregnancy: bool,
}

/// The parameters of `birth_support_grant/2022`.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct BirthSupportParams {
    /// 出産応援給付金 per pregnancy.
    birth_support: Param<Yen>,
    /// 子育て応援給付金 per child born.
    childcare_support: Param<Yen>,
    /// Municipalities' starts and deadlines.
    municipal: Param<Vec<Municipal>>,
}

impl Parameters for BirthSupportParams {
    fn validate(&self, validity: &Validity, errors: &mut Vec<(String, String)>) {
        self.birth_support.validate("birth_support", validity, errors);
        self.childcare_support.validate("childcare_support", validity, errors);
        self.municipal.validate("municipal", validity, errors);
        check_yen("birth_support", &self.birth_support, MAX_YEN, |y| vec![*y], errors);
        check_yen("childcare_support", &self.childcare_support, MAX_YEN, |y| vec![*y], errors);
    }
}

/// 出産・子育て応援給付金 with its ruleset.
#[derive(Debug)]
pub(crate) struct BirthSupportGrant {
    file: RulesetFile<BirthSupportParams>,
}

impl DayRules for BirthSupportGrant {
    type Params = BirthSupportParams;
    type Body = Vec<Grant>;

    fn new(file: RulesetFile<BirthSupportParams>, _: &Shared) -> Self {
        BirthSupportGrant { file }
    }

    fn decide(&self, hh: &ValidHousehold, as_of: NaiveDate, draft: &mut Draft<Vec<Grant>>) {
        each_pregnancy(hh, draft, |g, draft| self.pregnancy(hh, g, as_of, draft));
    }
}

impl BirthSupportGrant {
    fn pregnancy(&self, hh: &ValidHousehold, g: &PregnancyRef, as_of: NaiveDate, draft: &mut Draft<Vec<Grant>>) {
        let p = &self.file.parameters;
        let rs = self.file.id.as_str();
        let (from, to) =
            (self.file.valid.from.first_day(), self.file.valid.to.map_or(NaiveDate::MAX, |m| m.last_day()));
        let within = |d: NaiveDate| from <= d && d <= to;
        let o = g.g.outcome.as_ref();
        let payee = Some(g.g.person.clone());
        let mut covered = false;
        // 出産応援: a 妊娠届 in the programme, or before it with the birth in it (遡及).
        if let Some(notified) = g.g.notified {
            let day = notified.max(from);
            if within(notified) || (notified < from && o.is_some_and(|o| within(o.date))) {
                covered = true;
                let municipal = residence_on(hh, notified);
                let rule = value_on(&p.municipal, day).and_then(|rules| {
                    let code = municipal.ok().flatten()?;
                    rules.iter().find(|r| r.municipality.get(..5).is_some_and(|m| code.starts_with(m)))
                });
                // 妊娠期間中: by the birth, unless the pregnancy ended otherwise.
                let deadline = match (rule.filter(|r| r.during_pregnancy), o) {
                    (Some(_), Some(o)) if o.kind == OutcomeKind::Birth => o.date.min(to),
                    _ => to,
                };
                if notified > as_of {
                    draft.because("none_due");
                } else if municipal.is_err() {
                    draft.because("not_resident");
                } else if g.g.interview == Some(false) {
                    draft.because("no_interview");
                } else if applied_late(hh, ID, "birth_support", g.index, deadline) {
                    draft.because("time_barred");
                } else if let Some(amount) = value_on(&p.birth_support, day) {
                    if rule.is_some_and(|r| notified < r.start) || notified < from {
                        draft.warn("paid_retroactively");
                    }
                    draft.step("birth_support", &p.birth_support.citation, || {
                        (
                            format!("妊娠届出 {notified}: 出産応援給付金 妊娠1回につき {amount}円"),
                            format!("pregnancy notified {notified}: {amount} yen per pregnancy"),
                            vec![used(rs, "birth_support", &p.birth_support, day)],
                        )
                    });
                    let mut l = Grant::new("birth_support", notified, 1, *amount, g.at(""));
                    (l.payee, l.deadline) = (payee.clone(), Some(deadline));
                    draft.body.push(l);
                }
            }
        } else {
            draft.because("not_notified");
        }
        // 子育て応援: each child born alive in the programme.
        if let Some(o) = o.filter(|o| o.kind == OutcomeKind::Birth && within(o.date)) {
            covered = true;
            let children = if o.children.is_empty() { o.babies } else { Some(o.children.len() as u32) };
            if o.date > as_of {
                draft.because("none_due");
            } else if residence_on(hh, o.date).is_err() {
                draft.because("not_resident");
            } else if let Some(n) = children {
                if let Some(amount) = value_on(&p.childcare_support, o.date) {
                    let total = amount * n as Yen;
                    draft.step("childcare_support", &p.childcare_support.citation, || {
                        (
                            format!("{} の出生: 子育て応援給付金 {amount}円 × {n}人 = {total}円", o.date),
                            format!("born {}: {amount} yen × {n} = {total} yen", o.date),
                            vec![used(rs, "childcare_support", &p.childcare_support, o.date)],
                        )
                    });
                    let mut l = Grant::new("childcare_support", o.date, n, total, g.at(""));
                    l.payee = payee;
                    draft.body.push(l);
                }
            } else {
                draft.missing(g.at("outcome/children"));
            }
        }
        if !covered {
            draft.because("outside_programme");
        }
    }
}
