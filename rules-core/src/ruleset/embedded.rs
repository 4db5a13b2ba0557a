//! The ruleset files compiled into the library, so that no file system is needed at run time.

/// `(path under rulesets/, contents)` of every embedded file.
pub(crate) const EMBEDDED: &[(&str, &str)] = &[
    (
        "national/income/employment_income_deduction.json",
        include_str!("../../../rulesets/national/income/employment_income_deduction.json"),
    ),
    ("national/child_allowance/2012.json", include_str!("../../../rulesets/national/child_allowance/2012.json")),
    ("national/child_allowance/2024.json", include_str!("../../../rulesets/national/child_allowance/2024.json")),
];
