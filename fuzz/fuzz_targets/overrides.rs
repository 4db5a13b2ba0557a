//! Parameter overrides (reform scenarios) as JSON text → a new engine → the example households
//! evaluated under it. Any input may be rejected; none may panic.
#![no_main]

use kodomo_rules::{Engine, Options, ValidHousehold, YearMonth};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static ENGINE: LazyLock<Engine> = LazyLock::new(|| Engine::new().expect("the embedded rulesets load"));
static HOUSEHOLDS: LazyLock<Vec<ValidHousehold>> = LazyLock::new(|| {
    [include_str!("../../examples/family.json"), include_str!("../../examples/single_parent.json")]
        .iter()
        .map(|t| ENGINE.parse_household(t).expect("the examples are valid"))
        .collect()
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(engine) = ENGINE.with_overrides_text(text) else { return };
    let (from, to): (YearMonth, YearMonth) = ("2019-04".parse().expect("month"), "2027-03".parse().expect("month"));
    for hh in HOUSEHOLDS.iter() {
        for scheme in engine.schemes() {
            let _ = engine.timeline(hh, scheme.meta.id.as_str(), from, to, Options::trace(true));
        }
    }
});
