//! What 特別児童扶養手当 and 障害児福祉手当 share (特別児童扶養手当等の支給に関する法律): a disabled
//! child under 20, not in a facility and without a disability pension, and its line in a result.

use super::{excluded, Core, Eligibility, Kid, Prepared};
use crate::calendar::YearMonth;
use crate::explain::{InputUse, TraceStep, Tracer};
use crate::money::Yen;
use crate::scheme::Code;
use crate::schemes::{Band, ChildResult};
use serde_json::json;

/// A child's best and worst amounts in a month and what decides them.
pub(crate) struct ChildCase {
    pub(crate) band: Band,
    pub(crate) eligibility: Eligibility,
    pub(crate) grade: Option<&'static str>,
    /// Amount if eligible (the best grade when the grade is not known).
    pub(crate) best: Yen,
    /// Amount if the unknown resolves against the child.
    pub(crate) worst: Yen,
}

/// A disabled child's eligibility, and the lines of a month's children.
pub(crate) struct DisabledChild;

impl DisabledChild {
    /// A disabled child's band and eligibility in month `m` under 20, not in a facility, without a
    /// disability pension (特児扶 法第3条, 障害児福祉手当 法第17条), with the disability `judged`
    /// (`None`: no disability given; `Some(None)`: the judgement is not given).
    pub(crate) fn eligibility<G: Copy>(
        k: &Kid,
        m: YearMonth,
        judged: Option<Option<G>>,
        qualifies: impl Fn(G) -> bool,
    ) -> (Band, Eligibility, Option<G>) {
        if let Some(b) = excluded(k, m) {
            return (b, Eligibility::No, None);
        }
        if m > k.under_20_last {
            return (Band::AgedOut, Eligibility::No, None);
        }
        if k.pension {
            return (Band::DisabilityPension, Eligibility::No, None);
        }
        match judged {
            Some(None) => (Band::Under20, Eligibility::Unknown, None),
            Some(Some(g)) if qualifies(g) => (Band::Under20, Eligibility::Yes, Some(g)),
            _ => (Band::NoQualifyingDisability, Eligibility::No, None),
        }
    }

    pub(crate) fn child_results(prep: &Prepared, cases: &[ChildCase], decided: Option<&[Yen]>) -> Vec<ChildResult> {
        let mut rank = 0;
        prep.kids
            .iter()
            .zip(cases)
            .enumerate()
            .map(|(i, (k, c))| {
                let r = (c.eligibility == Eligibility::Yes).then(|| {
                    rank += 1;
                    rank
                });
                ChildResult {
                    id: prep.hh.persons[k.dates.person].id.clone(),
                    band: c.band,
                    rank: r,
                    amount: decided.map(|a| a[i]),
                    grade: c.grade.map(Code::new),
                }
            })
            .collect()
    }

    pub(crate) fn trace_children(
        core: &Core,
        prep: &Prepared,
        m: YearMonth,
        cases: &[ChildCase],
        citation: &str,
        tr: &mut Tracer,
    ) {
        for (k, c) in prep.kids.iter().zip(cases) {
            let (bja, ben) = c.band.text();
            tr.step(|| TraceStep {
                rule: core.rule("child"),
                citation: citation.to_owned(),
                branch: c.band.as_str().into(),
                ja: format!(
                    "{}（{}生）: {m}分は{bja}{}。",
                    prep.hh.persons[k.dates.person].id,
                    k.dates.birth,
                    c.grade.map_or(String::new(), |g| format!("（{g}）"))
                ),
                en: format!(
                    "{} (born {}): {m} {ben}{}.",
                    prep.hh.persons[k.dates.person].id,
                    k.dates.birth,
                    c.grade.map_or(String::new(), |g| format!(" ({g})"))
                ),
                parameters: vec![],
                inputs: vec![
                    InputUse { path: format!("/persons/{}/birth_date", k.dates.person), value: json!(k.dates.birth) },
                    InputUse {
                        path: format!("/persons/{}/disability", k.dates.person),
                        value: json!(prep.hh.persons[k.dates.person].disability),
                    },
                ],
            });
        }
    }
}
