//! Household JSON → parse and validate → evaluate (with trace) and timelines of every scheme.
//! Any input may be rejected; none may panic.
#![no_main]

use kodomo_rules::{Engine, Options, YearMonth};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static ENGINE: LazyLock<Engine> = LazyLock::new(|| Engine::new().expect("the embedded rulesets load"));

fn month(s: &str) -> YearMonth {
    s.parse().expect("a constant month")
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(hh) = ENGINE.parse_household(text) else { return };
    for m in ["2012-05", "2016-06", "2019-11", "2021-06", "2024-09", "2024-10", "2025-08"] {
        let _ = ENGINE.evaluate(&hh, month(m), Options::trace(true));
    }
    for scheme in ENGINE.schemes() {
        let _ = ENGINE.timeline(&hh, scheme.meta.id.as_str(), month("2018-01"), month("2026-12"), Options::default());
    }
});
