//! Readable text of results (the CLI's `--format text`, the bindings' `explain()`), in Japanese
//! or English.

use super::{Evaluation, ExemptionOutcome, GrantOutcome, MonthResult, Status, Timeline, WageUnitsOutcome};
use crate::money::Yen;
use std::fmt::Write;

/// Output language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// 日本語.
    #[default]
    Ja,
    /// English.
    En,
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "ja" => Ok(Lang::Ja),
            "en" => Ok(Lang::En),
            _ => Err(format!("unknown language {s:?} (expected ja or en)")),
        }
    }
}

/// `12,345円` / `12,345 yen`.
pub fn yen(amount: Yen, lang: Lang) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if amount < 0 { "-" } else { "" };
    match lang {
        Lang::Ja => format!("{sign}{grouped}円"),
        Lang::En => format!("{sign}{grouped} yen"),
    }
}

fn status_text(s: Status, lang: Lang) -> &'static str {
    match (s, lang) {
        (Status::Eligible, Lang::Ja) => "支給対象",
        (Status::Eligible, Lang::En) => "eligible",
        (Status::NotEligible, Lang::Ja) => "支給なし",
        (Status::NotEligible, Lang::En) => "not eligible",
        (Status::Undetermined, Lang::Ja) => "未確定（入力不足）",
        (Status::Undetermined, Lang::En) => "undetermined (inputs missing)",
        (Status::NotInForce, Lang::Ja) => "制度の施行前",
        (Status::NotInForce, Lang::En) => "not in force",
        (Status::NotKnown, Lang::Ja) => "必要な数値が未確定（不明）",
        (Status::NotKnown, Lang::En) => "a figure needed is not known",
    }
}

/// The names and labels a scheme's metadata gives, in one language.
struct Labels<'a> {
    meta: Option<&'a crate::scheme::SchemeFile>,
    lang: Lang,
}

impl<'a> Labels<'a> {
    fn of(engine: &'a crate::Engine, scheme: &crate::scheme::SchemeId, lang: Lang) -> Self {
        Labels { meta: engine.scheme_meta(scheme.as_str()), lang }
    }

    fn pick<'t>(&self, t: &'t crate::ruleset::Text) -> &'t str {
        if self.lang == Lang::Ja {
            &t.ja
        } else {
            &t.en
        }
    }

    /// The scheme's name, in English with the Japanese beside it (its id when not loaded).
    fn name(&self, id: &str) -> String {
        match self.meta {
            None => id.to_owned(),
            Some(m) if self.lang == Lang::Ja => m.name.ja.clone(),
            Some(m) => format!("{} ({})", m.name.en, m.name.ja),
        }
    }

    /// The label of `code` of `kind` (`reason`, `band`, …); the code itself when not labelled.
    fn code<'c>(&'c self, kind: &str, code: &'c str) -> &'c str {
        self.meta.and_then(|m| m.labels.get(kind)).and_then(|l| l.get(code)).map_or(code, |t| self.pick(t))
    }
}

impl MonthResult {
    /// A readable explanation: status, amount, per-child lines and the trace (when traced), with
    /// the scheme's names and labels from `engine`.
    pub fn explain(&self, engine: &crate::Engine, lang: Lang) -> String {
        let labels = Labels::of(engine, &self.scheme, lang);
        let mut s = String::new();
        let ja = lang == Lang::Ja;
        let _ = write!(
            s,
            "{} {}{}: {}",
            labels.name(self.scheme.as_str()),
            self.month,
            if ja { "分" } else { "" },
            status_text(self.status, lang)
        );
        if self.status == Status::Eligible {
            let _ = write!(s, " {}", yen(self.amount, lang));
        }
        if let Some(r) = self.range {
            let _ = write!(s, " ({} – {})", yen(r.min, lang), yen(r.max, lang));
        }
        if let Some(reason) = &self.reason {
            let _ = write!(s, " [{reason}: {}]", labels.code("reason", reason.as_str()));
        }
        s.push('\n');
        if let Some(c) = &self.claimant {
            let _ = writeln!(s, "  {}: {c}", if ja { "受給者" } else { "claimant" });
        }
        for c in &self.children {
            let rank = c.rank.map_or("-".to_owned(), |r| if ja { format!("第{r}子") } else { format!("#{r}") });
            let amount = c.amount.map_or("?".to_owned(), |a| yen(a, lang));
            let _ = writeln!(s, "  {:<10} {:<28} {:<5} {amount}", c.id, labels.code("band", c.band.as_str()), rank);
        }
        if !self.missing.is_empty() {
            let _ = writeln!(
                s,
                "  {}: {}",
                if ja { "判定に必要な入力" } else { "inputs that would decide it" },
                self.missing.join(", ")
            );
        }
        for step in self.trace.iter().flatten() {
            let _ = writeln!(s, "  - {} [{}]", if ja { &step.ja } else { &step.en }, step.rule);
            let _ = writeln!(s, "      {}", step.citation);
            for p in &step.parameters {
                let to = p.to.map_or(String::new(), |t| t.to_string());
                let _ = writeln!(s, "      {} = {} ({}..{to}; {})", p.name, p.value, p.from, p.source);
            }
        }
        s
    }
}

impl Evaluation {
    /// All schemes' explanations, the leave calendar, the total and the receipt.
    pub fn explain(&self, engine: &crate::Engine, lang: Lang) -> String {
        let mut s: String = self.schemes.iter().map(|r| r.explain(engine, lang)).collect();
        s.push_str(&self.leave_calendar(engine, lang));
        for (kind, total) in &self.totals {
            let _ = writeln!(s, "{}: {}", kind_total(*kind, lang), yen(*total, lang));
        }
        let _ = writeln!(
            s,
            "receipt: {} · rulesets {} {}",
            self.receipt.engine, self.receipt.rulesets_version, self.receipt.rulesets_hash
        );
        s
    }
}

impl Timeline {
    /// Month-by-month amounts and the payment schedule.
    pub fn explain(&self, engine: &crate::Engine, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        let labels = Labels::of(engine, &self.scheme, lang);
        let mut s = format!("{} {}..{}\n", labels.name(self.scheme.as_str()), self.from, self.to);
        for m in &self.months {
            let extra = m.range.map_or(String::new(), |r| format!(" ({} – {})", yen(r.min, lang), yen(r.max, lang)));
            let _ = writeln!(
                s,
                "  {}  {:>10}  {}{extra}{}",
                m.month,
                yen(m.amount, lang),
                status_text(m.status, lang),
                m.reason.as_ref().map_or(String::new(), |r| format!(" [{r}]"))
            );
        }
        let _ = writeln!(s, "{}:", if ja { "支払" } else { "payments" });
        for p in &self.payments {
            let months: Vec<String> = p.months.iter().map(|m| m.to_string()).collect();
            let _ = writeln!(
                s,
                "  {}  {:>10}  {} {}",
                p.payment_month,
                yen(p.amount, lang),
                if ja { "対象月" } else { "for" },
                months.join(", ")
            );
        }
        let _ = writeln!(s, "{}: {}", if ja { "合計" } else { "total" }, yen(self.total, lang));
        let _ = writeln!(
            s,
            "receipt: {} · rulesets {} {}",
            self.receipt.engine, self.receipt.rulesets_version, self.receipt.rulesets_hash
        );
        s
    }
}

impl Evaluation {
    /// The household's leaves and their benefits by date, the parents side by side: every
    /// 支給単位期間 paid and every grant paid by the day (出産手当金), first day first. Empty
    /// without a leave benefit paid.
    fn leave_calendar(&self, engine: &crate::Engine, lang: Lang) -> String {
        use super::Outcome as O;
        let ja = lang == Lang::Ja;
        let mut rows = Vec::new();
        for o in &self.schemes {
            let labels = Labels::of(engine, o.scheme(), lang);
            let name = labels.name(o.scheme().as_str());
            match o {
                O::WageUnits(w) => {
                    let who = w.head.beneficiary.clone().unwrap_or_default();
                    for u in w.units.iter().filter(|u| u.amount > 0) {
                        let rate = match u.rate_change {
                            Some(c) => format!("{}%→{}%", u.rate_percent, c.rate_percent),
                            None => format!("{}%", u.rate_percent),
                        };
                        rows.push((u.from, u.to, who.clone(), name.clone(), rate, u.amount));
                    }
                }
                O::Grant(g) => {
                    let who = g.head.beneficiary.clone().unwrap_or_default();
                    for x in g.grants.iter().filter(|x| x.amount > 0) {
                        if let (Some(from), Some(to), Some(per_day)) = (x.from, x.to, x.per_day) {
                            let per = if ja {
                                format!("日額{}", yen(per_day, lang))
                            } else {
                                format!("{} a day", yen(per_day, lang))
                            };
                            rows.push((from, to, who.clone(), name.clone(), per, x.amount));
                        }
                    }
                }
                _ => {}
            }
        }
        if !rows.iter().any(|r| r.0 != r.1)
            || !self.schemes.iter().any(|o| matches!(o, O::WageUnits(w) if w.amount > 0))
        {
            return String::new();
        }
        rows.sort_by(|a, b| (a.0, &a.2).cmp(&(b.0, &b.2)));
        let mut s = format!("{}\n", if ja { "休業と給付（日付順）:" } else { "leave and benefits by date:" });
        for (from, to, who, name, rate, amount) in rows {
            let _ = writeln!(s, "  {from}..{to}  {who:<6} {name}  {rate}  {:>12}", yen(amount, lang));
        }
        s
    }
}

/// "Total" of one kind of benefit.
fn kind_total(kind: crate::scheme::BenefitKind, lang: Lang) -> &'static str {
    use crate::scheme::BenefitKind as K;
    let ja = lang == Lang::Ja;
    match kind {
        K::Monthly => {
            if ja {
                "合計（月額）"
            } else {
                "total (monthly)"
            }
        }
        K::Grant => {
            if ja {
                "合計（一時金）"
            } else {
                "total (grants)"
            }
        }
        K::WageUnits => {
            if ja {
                "合計（給付金）"
            } else {
                "total (leave benefits)"
            }
        }
        K::Exemption => {
            if ja {
                "合計（免除額）"
            } else {
                "total (premiums waived)"
            }
        }
        K::CostShare => {
            if ja {
                "合計（助成額）"
            } else {
                "total (co-payments covered)"
            }
        }
        K::FeeCap => {
            if ja {
                "合計（保育料の軽減）"
            } else {
                "total (fees covered)"
            }
        }
        K::Coupons => {
            if ja {
                "合計（クーポン）"
            } else {
                "total (coupons)"
            }
        }
    }
}

impl super::Outcome {
    /// A readable explanation of any kind of outcome (a monthly result in full; the other
    /// kinds' status, amount and reason).
    pub fn explain(&self, engine: &crate::Engine, lang: Lang) -> String {
        use super::Outcome as O;
        let head = match self {
            O::Monthly(r) => return r.explain(engine, lang),
            O::Grant(o) => &o.head,
            O::WageUnits(o) => &o.head,
            O::Exemption(o) => &o.head,
            O::CostShare(o) => &o.head,
            O::FeeCap(o) => &o.head,
            O::Coupons(o) => &o.head,
        };
        let labels = Labels::of(engine, &head.scheme, lang);
        let mut s = labels.name(head.scheme.as_str());
        if let Some(b) = &head.beneficiary {
            let _ = write!(s, " ({b})");
        }
        let _ = write!(s, ": {}", status_text(head.status, lang));
        if let Some(a) = self.amount().filter(|_| head.status == Status::Eligible) {
            let _ = write!(s, " {}", yen(a, lang));
        }
        if let Some(reason) = &head.reason {
            let _ = write!(s, " [{reason}: {}]", labels.code("reason", reason.as_str()));
        }
        s.push('\n');
        if let O::Grant(o) = self {
            let ja = lang == Lang::Ja;
            for g in &o.grants {
                let _ = write!(s, "  {:<28} {:>12}", labels.code("part", g.part.as_str()), yen(g.amount, lang));
                if let (Some(from), Some(to), Some(days), Some(per_day)) = (g.from, g.to, g.days, g.per_day) {
                    let _ =
                        write!(s, "  {from}..{to} {days}{} × {}", if ja { "日" } else { " days" }, yen(per_day, lang));
                } else if let Some(date) = g.date {
                    let _ = write!(s, "  {date}");
                }
                if let Some(deadline) = g.deadline {
                    let _ = write!(s, "  {} {deadline}", if ja { "期限" } else { "apply by" });
                }
                s.push('\n');
            }
        }
        if let O::WageUnits(o) = self {
            let ja = lang == Lang::Ja;
            for u in &o.units {
                let rates = match u.rate_change {
                    Some(c) => format!("{}% → {}% {}", u.rate_percent, c.rate_percent, c.from),
                    None => format!("{}%", u.rate_percent),
                };
                let _ = write!(
                    s,
                    "  {}..{} {}{} × {} {} × {rates} {:>12}{}",
                    u.from,
                    u.to,
                    u.days,
                    if ja { "日" } else { " days" },
                    if ja { "賃金日額" } else { "daily wage" },
                    yen(u.daily_wage, lang),
                    yen(u.amount, lang),
                    match (u.cap.is_some(), ja) {
                        (true, true) => "（上限）",
                        (true, false) => " (cap)",
                        _ => "",
                    }
                );
                if u.pay > 0 {
                    let _ = write!(s, "  {} {}", if ja { "賃金" } else { "pay" }, yen(u.pay, lang));
                }
                if let Some(r) = &u.reason {
                    let _ = write!(s, "  [{}]", labels.code("reason", r.as_str()));
                }
                if let Some(d) = u.apply_by {
                    let _ = write!(s, "  {} {d}", if ja { "申請期限" } else { "apply by" });
                }
                s.push('\n');
            }
        }
        if let O::Exemption(o) = self {
            let ja = lang == Lang::Ja;
            let months: Vec<String> = o.months.iter().map(|m| m.to_string()).collect();
            if !months.is_empty() {
                let _ = writeln!(s, "  {} {}", if ja { "免除月" } else { "months exempt" }, months.join(", "));
            }
            if let Some(d) = o.notify_from {
                let _ = writeln!(s, "  {} {d}", if ja { "届出は次の日から" } else { "notify from" });
            }
        }
        if let O::Grant(GrantOutcome { head, .. })
        | O::Exemption(ExemptionOutcome { head, .. })
        | O::WageUnits(WageUnitsOutcome { head, .. }) = self
        {
            for w in &head.warnings {
                let _ = writeln!(s, "  ! {}", labels.code("warning", w.as_str()));
            }
        }
        s
    }
}
