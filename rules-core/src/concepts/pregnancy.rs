//! Facts of a pregnancy that several schemes read, derived once: whether its end is a 出産 (妊娠
//! 85日以上), how many babies it gave, whether it is a 多胎妊娠, and the inputs' JSON pointers.

use crate::household::{OutcomeKind, Pregnancy, PregnancyOutcome, ValidHousehold};

/// A pregnancy of the household with its index and the index of the pregnant person.
pub(crate) struct PregnancyRef<'a> {
    pub(crate) index: usize,
    pub(crate) person: usize,
    pub(crate) g: &'a Pregnancy,
}

impl<'a> PregnancyRef<'a> {
    /// Every pregnancy of a validated household (each person reference resolved).
    pub(crate) fn all(hh: &'a ValidHousehold) -> impl Iterator<Item = PregnancyRef<'a>> + 'a {
        hh.pregnancies.iter().enumerate().filter_map(|(index, g)| {
            let person = hh.persons.iter().position(|p| p.id == g.person)?;
            Some(PregnancyRef { index, person, g })
        })
    }

    /// The JSON pointer of the pregnancy, or of one of its fields (`"fetuses"`).
    pub(crate) fn at(&self, field: &str) -> String {
        if field.is_empty() {
            format!("/pregnancies/{}", self.index)
        } else {
            format!("/pregnancies/{}/{field}", self.index)
        }
    }

    /// The JSON pointer of a field of the pregnant person.
    pub(crate) fn person_at(&self, field: &str) -> String {
        format!("/persons/{}/{field}", self.person)
    }

    /// Whether the end of the pregnancy is a 出産 in the sense of the health insurance laws: 妊娠
    /// 85日以上, live birth, stillbirth, miscarriage and abortion alike (昭和3年 保理第644号).
    /// `None`: the gestation is not given for an end other than a live birth (a live birth counts
    /// unless its gestation is given and shorter).
    pub(crate) fn is_childbirth(o: &PregnancyOutcome, min_days: u32) -> Option<bool> {
        match (o.gestation_days, o.kind) {
            (Some(d), _) => Some(d >= min_days),
            (None, OutcomeKind::Birth) => Some(true),
            (None, _) => None,
        }
    }

    /// 出産した児の数: as given, else the live-born children listed, else the 胎児の数.
    pub(crate) fn babies(&self, o: &PregnancyOutcome) -> Option<u32> {
        o.babies.or_else(|| (!o.children.is_empty()).then_some(o.children.len() as u32)).or(self.g.fetuses)
    }

    /// 多胎妊娠: two or more fetuses or babies.
    pub(crate) fn multiple(&self) -> bool {
        let babies = self.g.outcome.as_ref().and_then(|o| self.babies(o));
        self.g.fetuses.max(babies).is_some_and(|n| n >= 2)
    }
}
