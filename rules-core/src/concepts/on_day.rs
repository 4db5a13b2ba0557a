//! Schemes decided on a day rather than month by month — one-off grants (一時金・給付金), premium
//! exemptions around a birth, leave benefits by 支給単位期間 — as each answers: what is due by a day (grants with their date,
//! count, amount, payee and deadline; months exempt with the yen waived), the status settled once
//! from what is known and missing, applications made after a deadline (時効), residence on the day.
//!
//! A scheme implements [`DayRules`] (what it decides for a household by a day, into a [`Draft`]
//! of its outcome's [`Body`]); [`OnDay`] makes it a [`Scheme`].

use crate::calendar::YearMonth;
use crate::concepts::pregnancy::PregnancyRef;
use crate::error::RulesetError;
use crate::explain::{ParamUse, TraceStep, Tracer};
use crate::household::{Application, ValidHousehold};
use crate::money::Yen;
use crate::ruleset::{Param, Parameters, RulesetFile, RulesetInfo};
use crate::scheme::{Code, Query, Scheme, SchemeFile};
use crate::schemes::registry::{Load, SchemeFiles, Shared};
use crate::schemes::{
    ExemptionOutcome, Grant, GrantOutcome, MonthResult, Outcome, OutcomeHead, Payment, Range, Status, WageUnit,
    WageUnitsOutcome,
};
use chrono::NaiveDate;
use std::collections::BTreeSet;
use std::sync::Arc;

/// What a scheme decided on a day decides: its outcome's body for a household by a day, from its
/// one version file's parameters.
pub(crate) trait DayRules: Send + Sync + std::fmt::Debug + Sized + 'static {
    /// The parameters of the version file.
    type Params: Parameters;
    /// What the outcome holds (grants; months exempt).
    type Body: Body;

    /// The rules from their parsed, validated version file and the shared rulesets.
    fn new(file: RulesetFile<Self::Params>, shared: &Shared) -> Self;

    /// What is due by `as_of`.
    fn decide(&self, hh: &ValidHousehold, as_of: NaiveDate, draft: &mut Draft<Self::Body>);

    /// The persons the scheme answers for one by one (each an outcome, `draft.person` set), by
    /// index; empty: one outcome for the household.
    fn subjects(&self, _hh: &ValidHousehold) -> Vec<usize> {
        Vec::new()
    }
}

/// The body of a day-decided outcome: whether anything is due, its yen, and the outcome.
pub(crate) trait Body: Default + Send + Sync + 'static {
    /// Whether something is due (a grant, a month exempt).
    fn due(&self) -> bool;
    /// The yen it comes to (`None`: not computable from the inputs).
    fn amount(&self) -> Option<Yen>;
    /// The outcome of this kind.
    fn outcome(self, head: OutcomeHead) -> Outcome;
}

/// Grants (`grant` outcomes).
impl Body for Vec<Grant> {
    fn due(&self) -> bool {
        self.iter().any(|g| g.amount > 0)
    }

    fn amount(&self) -> Option<Yen> {
        Some(self.iter().map(|g| g.amount).sum())
    }

    fn outcome(self, head: OutcomeHead) -> Outcome {
        let amount = self.iter().map(|g| g.amount).sum();
        Outcome::Grant(GrantOutcome { head, grants: self, amount })
    }
}

/// 支給単位期間 of a leave benefit (`wage_units` outcomes).
impl Body for Vec<WageUnit> {
    fn due(&self) -> bool {
        self.iter().any(|u| u.amount > 0)
    }

    fn amount(&self) -> Option<Yen> {
        Some(self.iter().map(|u| u.amount).sum())
    }

    fn outcome(self, head: OutcomeHead) -> Outcome {
        let amount = self.iter().map(|u| u.amount).sum();
        Outcome::WageUnits(WageUnitsOutcome { head, units: self, amount })
    }
}

/// Months of a premium exempted (`exemption` outcomes): the months, the yen waived when every
/// month's premium is known (0 with no month), and the first day the 届出 may be made.
pub(crate) struct Exempt {
    pub(crate) months: BTreeSet<YearMonth>,
    /// The yen waived so far; `None` once a month's premium is not known.
    pub(crate) waived: Option<Yen>,
    pub(crate) bonus_months: BTreeSet<YearMonth>,
    pub(crate) notify_from: Option<NaiveDate>,
}

impl Default for Exempt {
    fn default() -> Self {
        Exempt { months: BTreeSet::new(), waived: Some(0), bonus_months: BTreeSet::new(), notify_from: None }
    }
}

impl Exempt {
    /// Exempt month `m`, whose premium is `premium` (`None`: not known).
    pub(crate) fn month(&mut self, m: YearMonth, premium: Option<Yen>) {
        if self.months.insert(m) {
            self.waived = self.waived.zip(premium).map(|(w, p)| w + p);
        }
    }

    /// Exempt months `ms`, whose premiums come to `total` (`None`: not known).
    pub(crate) fn months_waived(&mut self, ms: &[YearMonth], total: Option<Yen>) {
        self.months.extend(ms);
        self.waived = self.waived.zip(total).map(|(w, t)| w + t);
    }

    /// Exempt the bonus of month `m`, whose premium is `premium` (`None`: not known).
    pub(crate) fn bonus(&mut self, m: YearMonth, premium: Option<Yen>) {
        if self.bonus_months.insert(m) {
            self.waived = self.waived.zip(premium).map(|(w, p)| w + p);
        }
    }
}

impl Body for Exempt {
    fn due(&self) -> bool {
        !self.months.is_empty()
    }

    fn amount(&self) -> Option<Yen> {
        self.waived
    }

    fn outcome(self, head: OutcomeHead) -> Outcome {
        Outcome::Exemption(ExemptionOutcome {
            head,
            months: self.months.into_iter().collect(),
            waived: self.waived,
            bonus_months: self.bonus_months.into_iter().collect(),
            notify_from: self.notify_from,
        })
    }
}

/// Run `each` for every pregnancy of the household (its pregnant person the beneficiary), or
/// record `no_pregnancy`.
pub(crate) fn each_pregnancy<B: Body>(
    hh: &ValidHousehold,
    draft: &mut Draft<B>,
    mut each: impl FnMut(&PregnancyRef, &mut Draft<B>),
) {
    if hh.pregnancies.is_empty() {
        draft.because("no_pregnancy");
    }
    for g in PregnancyRef::all(hh) {
        draft.beneficiary.get_or_insert_with(|| g.g.person.clone());
        each(&g, draft);
    }
}

/// A scheme decided on a day: its metadata, ruleset files and rules.
#[derive(Debug)]
pub(crate) struct OnDay<R> {
    meta: SchemeFile,
    info: Vec<RulesetInfo>,
    rules: R,
}

impl<R: DayRules> Load for OnDay<R> {
    fn load(files: SchemeFiles, shared: &Shared) -> Result<Self, RulesetError> {
        let (file, info) = files.single::<R::Params>()?;
        Ok(OnDay { meta: files.meta, info: vec![info], rules: R::new(file, shared) })
    }
}

impl<R: DayRules> Scheme for OnDay<R> {
    fn meta(&self) -> &SchemeFile {
        &self.meta
    }

    fn rulesets(&self) -> &[RulesetInfo] {
        &self.info
    }

    /// Decided on a day, not by month: every version file may be read.
    fn rulesets_for(&self, _: YearMonth) -> Vec<&RulesetInfo> {
        self.info.iter().collect()
    }

    fn reads_income(&self, _: YearMonth) -> bool {
        false
    }

    fn income_year(&self, _: YearMonth) -> Option<i32> {
        None
    }

    /// No month lines.
    fn months(&self, _: &ValidHousehold, _: &mut dyn Iterator<Item = YearMonth>, _: bool) -> Vec<MonthResult> {
        Vec::new()
    }

    fn evaluate(&self, hh: &ValidHousehold, query: &Query, trace: bool) -> Vec<Outcome> {
        let subjects = self.rules.subjects(hh);
        if subjects.is_empty() {
            let mut draft = Draft { tracer: Tracer::new(trace), ..Draft::default() };
            self.rules.decide(hh, query.as_of(), &mut draft);
            return vec![draft.finish(&self.meta)];
        }
        subjects
            .into_iter()
            .map(|i| {
                let mut draft = Draft { tracer: Tracer::new(trace), person: Some(i), ..Draft::default() };
                draft.beneficiary = hh.persons.get(i).map(|p| p.id.clone());
                self.rules.decide(hh, query.as_of(), &mut draft);
                draft.finish(&self.meta)
            })
            .collect()
    }

    fn payments(&self, _: &[MonthResult]) -> Vec<Payment> {
        Vec::new()
    }

    fn into_any(self: Arc<Self>) -> Arc<dyn std::any::Any + Send + Sync> {
        self
    }
}

/// An outcome being built: its body (the grants or months found), the inputs missing, the first
/// reason nothing more is due, warnings and the trace.
#[derive(Default)]
pub(crate) struct Draft<B> {
    pub(crate) body: B,
    /// The person answered for, when the scheme answers person by person.
    pub(crate) person: Option<usize>,
    /// Inputs that would decide an amount not yet known.
    pub(crate) missing: Vec<String>,
    /// The lowest and highest amounts still possible beyond the grants found, when bounded.
    pub(crate) open: Option<(Yen, Yen)>,
    /// Why nothing (more) is due: the first reason recorded wins.
    pub(crate) reason: Option<&'static str>,
    /// A figure the rules need is not known.
    pub(crate) not_known: bool,
    /// Nothing is due because the scheme (as encoded) was not in force.
    pub(crate) not_in_force: bool,
    pub(crate) warnings: Vec<Code>,
    pub(crate) beneficiary: Option<String>,
    pub(crate) regime: Option<Code>,
    pub(crate) tracer: Tracer,
}

impl<B: Body> Draft<B> {
    /// Record why nothing (more) is due (the first reason is reported).
    pub(crate) fn because(&mut self, reason: &'static str) {
        self.reason.get_or_insert(reason);
    }

    /// An input that would decide an amount.
    pub(crate) fn missing(&mut self, pointer: String) {
        if !self.missing.contains(&pointer) {
            self.missing.push(pointer);
        }
    }

    /// A warning, once.
    pub(crate) fn warn(&mut self, code: &'static str) {
        if !self.warnings.iter().any(|w| w == &code) {
            self.warnings.push(Code::new(code));
        }
    }

    /// Add an open amount range (an undetermined grant's lowest and highest amounts).
    pub(crate) fn open(&mut self, min: Yen, max: Yen) {
        let (a, b) = self.open.unwrap_or((0, 0));
        self.open = Some((a + min, b + max));
    }

    /// Record a trace step: `build` gives its Japanese and English text and the parameters used,
    /// and runs only when tracing is on.
    pub(crate) fn step(
        &mut self,
        rule: &'static str,
        citation: &str,
        build: impl FnOnce() -> (String, String, Vec<Option<ParamUse>>),
    ) {
        self.tracer.step(|| {
            let (ja, en, params) = build();
            TraceStep {
                rule: Code::new(rule),
                citation: citation.to_owned(),
                branch: rule.to_owned(),
                ja,
                en,
                parameters: params.into_iter().flatten().collect(),
                inputs: Vec::new(),
            }
        });
    }

    /// The outcome, with its status settled: eligible when something is due; undetermined when
    /// a missing input decides it (the amount is then what is known); otherwise not known, not
    /// in force or not eligible with the first reason.
    fn finish(self, meta: &SchemeFile) -> Outcome {
        let status = if !self.missing.is_empty() {
            Status::Undetermined
        } else if self.body.due() {
            Status::Eligible
        } else if self.not_known {
            Status::NotKnown
        } else if self.not_in_force {
            Status::NotInForce
        } else {
            Status::NotEligible
        };
        let reason = match status {
            Status::Eligible | Status::Undetermined => None,
            _ => self.reason.map(Code::new),
        };
        let amount = self.body.amount().unwrap_or(0);
        let head = OutcomeHead {
            scheme: meta.id.clone(),
            status,
            reason,
            regime: self.regime,
            beneficiary: self.beneficiary,
            payer: None,
            range: self
                .open
                .filter(|_| status == Status::Undetermined)
                .map(|(min, max)| Range { min: amount + min, max: amount + max }),
            missing: self.missing,
            warnings: self.warnings,
            trace: self.tracer.finish(),
        };
        self.body.outcome(head)
    }
}

impl Grant {
    /// A grant for `part` of `count` × … = `amount`, given on `date`, from the input record `of`.
    pub(crate) fn new(part: &'static str, date: NaiveDate, count: u32, amount: Yen, of: String) -> Self {
        Grant {
            part: Code::new(part),
            date: Some(date),
            count,
            amount,
            payee: None,
            deadline: None,
            of: Some(of),
            from: None,
            to: None,
            days: None,
            per_day: None,
        }
    }
}

/// The day `years` years after `day` (民法第143条: the same date, or the month's last day when
/// there is none, e.g. 29 February). A right that can be exercised from `day` lapses at the end
/// of it (民法第140条 初日不算入).
pub(crate) fn years_after(day: NaiveDate, years: u32) -> NaiveDate {
    day.checked_add_months(chrono::Months::new(12 * years)).unwrap_or(NaiveDate::MAX)
}

/// Where the household lives on `day`: `Ok(Some(code))` in that municipality, `Ok(None)` when no
/// residence is given (resident, municipality not known), `Err(())` before the first entry (not
/// resident in Japan).
pub(crate) fn residence_on(hh: &ValidHousehold, day: NaiveDate) -> Result<Option<&str>, ()> {
    if hh.residence.is_empty() {
        return Ok(None);
    }
    let i = hh.residence.partition_point(|r| r.since <= day);
    i.checked_sub(1).map(|i| Some(hh.residence[i].municipality.as_str())).ok_or(())
}

/// The applications for `scheme` that cover `part` of pregnancy `index` (by `claimant`), oldest
/// first.
pub(crate) fn applications<'a>(
    hh: &'a ValidHousehold,
    scheme: &'a str,
    part: &'a str,
    index: usize,
) -> impl Iterator<Item = &'a Application> + 'a {
    let g = &hh.pregnancies[index];
    let mut found: Vec<&Application> = hh
        .applications
        .iter()
        .filter(move |a| a.scheme.as_str() == scheme)
        .filter(move |a| a.part.as_deref().is_none_or(|p| p == part))
        .filter(move |a| match &a.pregnancy {
            Some(id) => g.id.as_ref() == Some(id),
            None => true,
        })
        .collect();
    found.sort_by_key(|a| a.date);
    found.into_iter()
}

/// Whether `part` of pregnancy `index` was applied for only after `deadline` (時効): true when
/// applications exist for it and the first is later.
pub(crate) fn applied_late(hh: &ValidHousehold, scheme: &str, part: &str, index: usize, deadline: NaiveDate) -> bool {
    applications(hh, scheme, part, index).next().is_some_and(|a| a.date > deadline)
}

/// The dated value of `param` for `day` (`None`: the parameter has no value then, or it is null).
pub(crate) fn value_on<T>(param: &Param<T>, day: NaiveDate) -> Option<&T> {
    param.at(YearMonth::of(day))?.value.as_ref()
}

/// The trace's record of `param`'s value for `day` (built only when tracing).
pub(crate) fn used<T: serde::Serialize>(
    ruleset: &str,
    name: &str,
    param: &Param<T>,
    day: NaiveDate,
) -> Option<ParamUse> {
    ParamUse::of(ruleset, name, param, YearMonth::of(day), None)
}
