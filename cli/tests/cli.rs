//! End-to-end tests of the `kodomo` binary: output, exit codes and error messages.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn kodomo(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kodomo"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn kodomo");
    if let Some(text) = stdin {
        // A child that stops before reading (bad usage) closes the pipe: not the test's concern.
        let _ = child.stdin.take().expect("stdin").write_all(text.as_bytes());
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("run")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const FAMILY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/family.json");

#[test]
fn eval_prints_json_with_amount_and_receipt() {
    let out = kodomo(&["eval", FAMILY, "--month", "2025-06"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    // examples/family.json in 2025-06 (FACTS.md §1.3, 2024 reform): hana (19, 確認書) counts as 第1子
    // but is not paid; sota 10,000 as 第2子; mei (under 3) is 第3子 → 30,000.
    assert_eq!(v["totals"], serde_json::json!({"monthly": 40_000}));
    assert_eq!((v["schema_version"].as_str(), v["schemes"][0]["kind"].as_str()), (Some("0.2"), Some("monthly")));
    assert_eq!(v["schemes"][0]["children"][2]["rank"], 3);
    assert!(v["receipt"]["rulesets_hash"].as_str().is_some_and(|h| h.starts_with("sha256:")));
}

#[test]
fn eval_reads_standard_input_and_explains_in_text() {
    let hh = r#"{"persons":[{"id":"p","role":"parent"},{"id":"c","role":"child","birth_date":"2024-01-31"}]}"#;
    let out = kodomo(&["eval", "-", "--month", "2025-01", "--format", "text", "--lang", "en", "--trace"], Some(hh));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    // Under 3 in 2025-01 → 15,000 (FACTS.md §1.3).
    assert!(s.contains("15,000 yen"), "{s}");
    assert!(s.contains("child_allowance.2024.child_amount"), "{s}");
}

#[test]
fn timeline_lists_payments() {
    // A timeline names its scheme.
    let out = kodomo(&["timeline", FAMILY, "--from", "2024-10", "--to", "2024-11"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("kodomo schemes"), "{}", text(&out.stderr));
    let out =
        kodomo(&["timeline", FAMILY, "--from", "2024-10", "--to", "2024-11", "--scheme", "child_allowance"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    // 10・11月分 are paid in December 2024 (FACTS.md §1.5, J8).
    assert_eq!(v["payments"][0]["payment_month"], "2024-12");
    assert_eq!(v["payments"][0]["months"], serde_json::json!(["2024-10", "2024-11"]));
}

#[test]
fn bad_input_names_the_path_and_exits_1() {
    let out = kodomo(
        &["eval", "-", "--month", "2025-01"],
        Some(r#"{"persons":[{"id":"c","role":"child","birth_date":"2023-02-29"}]}"#),
    );
    assert_eq!(out.status.code(), Some(1));
    let e = text(&out.stderr);
    assert!(e.contains("/persons/0/birth_date") && e.contains("invalid_date"), "{e}");
    // Trailing data and a duplicate key are errors too (issue 18 item 6), never silently ignored.
    for (input, expected) in [
        (r#"{"persons":[]} {"persons":[]}"#, "unexpected data after the JSON document"),
        (r#"{"persons":[{"id":"a","id":"b","role":"child","birth_date":"2023-02-01"}]}"#, "duplicate key \"id\""),
    ] {
        let out = kodomo(&["eval", "-", "--month", "2025-01"], Some(input));
        assert_eq!(out.status.code(), Some(1), "{input}");
        let e = text(&out.stderr);
        assert!(e.contains(expected) && e.contains("invalid_json"), "{e}");
    }
    let out = kodomo(&["eval", "/no/such/file.json", "--month", "2025-01"], None);
    assert_eq!(out.status.code(), Some(1));
    let out = kodomo(&["eval", FAMILY, "--month", "2025-13"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("YYYY-MM"));
}

#[test]
fn bad_usage_exits_2() {
    for args in [
        &["frobnicate"][..],
        &["eval", FAMILY][..],
        &["eval", FAMILY, "--month"][..],
        &[][..],
        &["rulesets", "--format", "xml"][..],
    ] {
        let out = kodomo(args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(text(&out.stderr).contains("USAGE"));
    }
}

#[test]
fn rulesets_schema_example_and_demo() {
    let out = kodomo(&["rulesets"], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let ids: Vec<&str> = v["rulesets"].as_array().expect("list").iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(
        ids,
        [
            "municipal/382019/nhi_rates",
            "municipal/382060/nhi_rates",
            "employment_insurance/leave_benefits",
            "income/employment_income_deduction",
            "nhi/income_reduction",
            "child_allowance/2012",
            "child_allowance/2024",
            "child_rearing_allowance/2019",
            "special_child_allowance/2018",
            "disabled_child_welfare_allowance/2019",
            "birth_support_grant/2022",
            "pregnancy_support_benefit/2025",
            "childbirth_lump_sum/2006",
            "maternity_allowance/2016",
            "pension_maternity_exemption/2019",
            "social_insurance_premium_exemption/2014",
            "nhi_maternity_reduction/2024",
            "nhi_preschool_reduction/2022",
            "postnatal_leave_benefit/2022",
            "childcare_leave_benefit/2013",
            "post_birth_leave_support_benefit/2025",
            "reduced_hours_benefit/2025"
        ]
    );
    let out = kodomo(&["schema"], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(v["properties"]["persons"].is_object());
    let out = kodomo(&["example"], None);
    assert!(serde_json::from_slice::<serde_json::Value>(&out.stdout).is_ok());
    let out = kodomo(&["demo", "--lang", "en"], None);
    assert!(out.status.success());
    // The fifth example, hand-checked (雇用保険法第61条の7・第61条の8・第61条の10, research note
    // issue-12 §Q2, §Q5, §Q6): the father's 賃金日額 420,000 × 6 ÷ 180 = 14,000, the mother's
    // 330,000 × 6 ÷ 180 = 11,000 (both within the 2024-08 and 2025-08 limits).
    let demo = text(&out.stdout);
    for line in [
        // 出生時育児休業給付金: 14 + 14 days, 14,000 × 28 × 67 % = 262,640.
        "Benefit for postnatal paternity leave (出生時育児休業給付金) (f): eligible 262,640 yen",
        // 出生後休業支援給付金: 28 days × 13 %: 14,000 → 50,960 (the mother on 産後休業), 11,000 →
        // 40,040 (the father's 28 days in the 8 weeks).
        "Post-birth leave support benefit (出生後休業支援給付金) (f): eligible 50,960 yen",
        "Post-birth leave support benefit (出生後休業支援給付金) (m): eligible 40,040 yen",
        // The mother: 6 units × 221,100 (67 %) + 4 × 165,000 (50 %) + 4 days × 5,500 = 2,008,600;
        // the father was on leave first, so she is under the プラス too: her year (施行規則第101条の
        // 27) is 365 − 57 days (the birth day and 56 産後 days) = 308 from 2025-08-06, to 2026-06-09.
        "Childcare leave benefit (育児休業給付金) (m): eligible 2,008,600 yen",
        // The father (パパ・ママ育休プラス, 4/1–7/31, 28 出生時 days count toward the 180): 3 × 281,400
        // + 31 days × 9,380 = 1,134,980.
        "Childcare leave benefit (育児休業給付金) (f): eligible 1,134,980 yen",
        // 育児時短就業給付金 July 2026: wage 260,000 < 90 % of 330,000 → 10 % = 26,000.
        "Benefit for shortened working hours (育児時短就業給付金) (m): eligible 26,000 yen",
    ] {
        assert!(demo.contains(line), "{line}\n{demo}");
    }
    // The third example's twins: 出産育児一時金 2 × 500,000 (施行令第36条, from 2023-04-01).
    assert!(
        text(&out.stdout).contains("Childbirth lump-sum grant (出産育児一時金) (m): eligible 1,000,000 yen"),
        "{}",
        text(&out.stdout)
    );
    let s = text(&out.stdout);
    // The demo's 2024-04..2025-03 timeline: 6 × 10,000 (特例給付 × 2) + 6 × 50,000 = 360,000.
    assert!(s.contains("total: 360,000 yen"), "{s}");
    // The single-parent example in 2025-08 (docs/python-tutorial.md §6, FACTS.md §2.2–2.4):
    // 児童扶養手当 一部支給 37,700 + 9,640.
    assert!(s.contains("Child-rearing allowance (児童扶養手当) 2025-08: eligible 47,340 yen"), "{s}");
    // The 国保 example, FY2025 at 西条市's rates (docs/research/issue-11-nhi-reductions.md §4.2):
    // 軽減判定所得 2,400,000 > 430,000 + 560,000 × 3 → no 7割・5割・2割軽減. 未就学児: (28,840 +
    // 11,730) / 2 = 20,285, and 9/12 of it for the July newborn = 15,213. 産前産後 (2025-06..09):
    // (170,000 × 6.71 % + 170,000 × 2.78 % + 40,570) × 4/12 = (11,407 + 4,726 + 40,570) / 3 = 18,901.
    for amount in ["eligible 20,285 yen", "eligible 15,213 yen", "eligible 18,901 yen"] {
        assert!(s.contains(amount), "{amount}: {s}");
    }
}

#[test]
fn timeline_of_another_scheme() {
    // 児童扶養手当 for one child, full amount (FACTS.md §2.2 FY2025 46,690; §2.4 全部支給 limit
    // 1,070,000 for 1 dependant from 2024-11; 2025-05/06 read 2023 income): paid in 2025-07 (§2.5).
    let hh = r#"{"persons": [
        {"id": "mother", "role": "parent", "child_rearing_reason": "divorce",
         "income": {"2023": {"employment_income": 1000000, "dependants": 1}}},
        {"id": "c1", "role": "child", "birth_date": "2018-06-01"}]}"#;
    let out = kodomo(
        &["timeline", "-", "--from", "2025-05", "--to", "2025-06", "--scheme", "child_rearing_allowance"],
        Some(hh),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["total"], 2 * 46_690);
    assert_eq!(v["payments"][0]["payment_month"], "2025-07");
    let out = kodomo(&["timeline", "-", "--from", "2025-05", "--to", "2025-06", "--scheme", "nope"], Some(hh));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("child_rearing_allowance"), "{}", text(&out.stderr));
}

#[test]
fn io_failures_are_errors_never_panics() {
    use std::os::unix::ffi::OsStrExt;
    // Issue 18 item 5. A non-UTF-8 argument: bad usage (exit 2), not a panic (101).
    let out = Command::new(env!("CARGO_BIN_EXE_kodomo"))
        .arg("eval")
        .arg(std::ffi::OsStr::from_bytes(b"\xff\xfe.json"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("not valid UTF-8"));
    // A full standard output: the output is lost, so the exit status says so.
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    let out = Command::new(env!("CARGO_BIN_EXE_kodomo"))
        .args(["eval", FAMILY, "--month", "2025-06"])
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("cannot write the output"), "{}", text(&out.stderr));
    // Standard error closed as well: still an exit status, no panic.
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    let status = Command::new(env!("CARGO_BIN_EXE_kodomo"))
        .args(["eval", "/no/such/file.json", "--month", "2025-06"])
        .stderr(full)
        .status()
        .expect("run");
    assert_eq!(status.code(), Some(1));
    // Input beyond --max-input-bytes is refused before it is parsed.
    let hh = r#"{"persons":[{"id":"p","role":"parent"}]}"#;
    let out = kodomo(&["eval", "-", "--month", "2025-06", "--max-input-bytes", "10"], Some(hh));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("larger than 10 bytes"), "{}", text(&out.stderr));
    let out = kodomo(&["eval", "-", "--month", "2025-06", "--max-input-bytes", &hh.len().to_string()], Some(hh));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        kodomo(&["eval", "-", "--month", "2025-06", "--max-input-bytes", "lots"], Some(hh)).status.code(),
        Some(2)
    );
}

#[test]
fn schemes_lists_every_scheme_with_its_rulesets() {
    let out = kodomo(&["schemes"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let list = v.as_array().expect("a list");
    // The four national allowances (FACTS.md §1–3), monthly, then the pregnancy and birth grants.
    let ids: Vec<&str> = list.iter().filter_map(|s| s["id"].as_str()).collect();
    assert_eq!(
        ids,
        [
            "child_allowance",
            "child_rearing_allowance",
            "special_child_allowance",
            "disabled_child_welfare_allowance",
            "birth_support_grant",
            "pregnancy_support_benefit",
            "childbirth_lump_sum",
            "maternity_allowance",
            "pension_maternity_exemption",
            "social_insurance_premium_exemption",
            "nhi_maternity_reduction",
            "nhi_preschool_reduction",
            "postnatal_leave_benefit",
            "childcare_leave_benefit",
            "post_birth_leave_support_benefit",
            "reduced_hours_benefit"
        ]
    );
    let kinds: Vec<&str> = list.iter().filter_map(|s| s["kind"].as_str()).collect();
    assert_eq!(
        kinds,
        [
            "monthly",
            "monthly",
            "monthly",
            "monthly",
            "grant",
            "grant",
            "grant",
            "grant",
            "exemption",
            "exemption",
            "exemption",
            "exemption",
            "wage_units",
            "wage_units",
            "wage_units",
            "wage_units"
        ]
    );
    let ca = &list[0];
    assert_eq!(
        (ca["name"]["ja"].as_str(), ca["kind"].as_str(), ca["level"].as_str()),
        (Some("児童手当"), Some("monthly"), Some("national"))
    );
    assert_eq!(
        ca["rulesets"],
        serde_json::json!(["child_allowance/2012", "child_allowance/2024", "income/employment_income_deduction"])
    );
    assert_eq!(ca["labels"]["band"]["under_3"]["ja"], "3歳未満");
    let out = kodomo(&["schemes", "--format", "text", "--lang", "en"], None);
    assert!(text(&out.stdout).contains("Special child-rearing allowance"), "{}", text(&out.stdout));
}

/// A folder laid out as `rulesets/`: one scheme (a copy of 児童扶養手当's logic under a municipal id).
fn bundle_dir(name: &str, logic: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kodomo-cli-{name}-{}", std::process::id()));
    let scheme = dir.join("municipal/999999/rearing_copy");
    std::fs::create_dir_all(&scheme).expect("mkdir");
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../rulesets/national/child_rearing_allowance");
    let meta = std::fs::read_to_string(format!("{root}/scheme.json")).expect("read");
    let meta = meta.replace("\"id\": \"child_rearing_allowance\"", "\"id\": \"municipal/999999/rearing_copy\"");
    let file = std::fs::read_to_string(format!("{root}/2019.json")).expect("read");
    let file = file.replace("\"logic\": \"child_rearing_allowance/2019\"", &format!("\"logic\": \"{logic}\""));
    std::fs::write(scheme.join("scheme.json"), meta).expect("write");
    std::fs::write(scheme.join("2019.json"), file).expect("write");
    dir
}

#[test]
fn rules_bundles_and_validate() {
    let good = bundle_dir("good", "child_rearing_allowance/2019");
    let good = good.to_str().expect("utf-8 path");
    let out = kodomo(&["validate", good], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("ok: 2 files") && text(&out.stdout).contains("municipal/999999/rearing_copy"));
    // The added scheme is evaluated like any other (FACTS.md §2.2: 児童扶養手当 FY2025 全部支給 46,690).
    let hh = r#"{"persons": [
        {"id": "mother", "role": "parent", "child_rearing_reason": "divorce",
         "income": {"2023": {"employment_income": 1000000, "dependants": 1}}},
        {"id": "c1", "role": "child", "birth_date": "2018-06-01"}]}"#;
    let out = kodomo(
        &[
            "timeline",
            "-",
            "--rules",
            good,
            "--scheme",
            "municipal/999999/rearing_copy",
            "--from",
            "2025-06",
            "--to",
            "2025-06",
        ],
        Some(hh),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["total"], 46_690);
    let out = kodomo(&["schemes", "--rules", good], None);
    assert!(text(&out.stdout).contains("municipal/999999/rearing_copy"));
    // A bad bundle: every error with file and pointer, exit 1.
    let bad = bundle_dir("bad", "template/unknown@1");
    std::fs::create_dir_all(bad.join("municipal/999999/broken")).expect("mkdir");
    std::fs::write(bad.join("municipal/999999/broken/scheme.json"), "{").expect("write");
    let out = kodomo(&["validate", bad.to_str().expect("utf-8")], None);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("municipal/999999/broken/scheme.json: (document): EOF while parsing"), "{err}");
    assert!(err.contains("template/unknown@1"), "{err}");
    let _ = std::fs::remove_dir_all(good);
    let _ = std::fs::remove_dir_all(bad);
}

/// The toy scheme of `rules-core/tests/toy/` (a test-only registry entry, see rules-core/tests/toy.rs)
/// through the binary: listed, validated, evaluated and put on a timeline from its bundle folder.
#[test]
fn the_toy_scheme_runs_from_its_bundle() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../rules-core/tests/toy/rulesets");
    let out = kodomo(&["validate", dir], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = kodomo(&["schemes", "--rules", dir], None);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(list.as_array().expect("list").iter().any(|s| s["id"] == "toy_allowance" && s["kind"] == "monthly"));
    // The toy rule, per_child 1,000 (rules-core/tests/toy/conformance/toy_allowance.json): two
    // children born by 2026-06-30 give 2,000.
    let hh = r#"{"persons": [{"id": "p", "role": "parent"},
        {"id": "c1", "role": "child", "birth_date": "2020-01-15"},
        {"id": "c2", "role": "child", "birth_date": "2026-06-30"}]}"#;
    let out = kodomo(&["eval", "-", "--rules", dir, "--month", "2026-06"], Some(hh));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let toy = v["schemes"].as_array().expect("schemes").iter().find(|s| s["scheme"] == "toy_allowance").expect("toy");
    assert_eq!((toy["status"].as_str(), toy["amount"].as_i64()), (Some("eligible"), Some(2000)));
    let args = ["timeline", "-", "--rules", dir, "--scheme", "toy_allowance", "--from", "2026-05", "--to", "2026-07"];
    let out = kodomo(&args, Some(hh));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["total"], 5000, "2026-05: one child (1,000); 06 and 07: two (2,000 each)");
}
