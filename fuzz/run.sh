#!/usr/bin/env bash
# Build the fuzz targets and run each for SECONDS (default 60), seeded from conformance/ (the
# households of every case) and the override tests. usage: fuzz/run.sh [SECONDS] [TARGET...]
# A finding (a panic) stops that target with a non-zero exit; its input is kept in
# fuzz/artifacts/<target>/ (reproduce with
# `RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none --debug-assertions <target> <file>`).
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(household_json overrides arrow_batch)
[ -d "$HOME/.cargo/bin" ] && export PATH="$HOME/.cargo/bin:$PATH"
[ "$(cargo fuzz --version 2>/dev/null)" = "cargo-fuzz 0.13.2" ] || cargo install cargo-fuzz --version 0.13.2 --locked
# cargo-fuzz passes -Z flags; the stable toolchain accepts them with RUSTC_BOOTSTRAP. No sanitizer:
# the code is safe Rust (unsafe_code = "forbid"), so a panic is the finding to look for, and
# debug assertions turn every integer overflow into one.
export RUSTC_BOOTSTRAP=1
flags=(--sanitizer none --debug-assertions)

# Seeds: every conformance household, and overrides taken from the tests.
mkdir -p seeds/household_json seeds/overrides seeds/arrow_batch
python3 - <<'PY'
import json, glob, hashlib, os
for f in sorted(glob.glob("../conformance/*/*.json")):
    for case in json.load(open(f, encoding="utf-8"))["cases"]:
        text = json.dumps(case["household"], ensure_ascii=False).encode()
        open(os.path.join("seeds/household_json", hashlib.sha1(text).hexdigest()), "wb").write(text)
overrides = [
    {"child_allowance/2024.amount_third_or_later": [{"from": "2026-04", "value": 40000, "source": "reform A"}]},
    {"child_allowance/2024.confirmation_grace_days": {"from": "2024-10", "value": 366}},
    {"child_rearing_allowance/2019.child_age": {"from": "2019-04", "value": 18}},
    {"income/employment_income_deduction.adjustment": {"from": "2020-01", "value": {"salary_over": 8500000, "salary_cap": 10000000, "percent": 10, "dependant_age_under": 23, "dependant_income_limit": 480000}}},
]
for o in overrides:
    text = json.dumps(o).encode()
    open(os.path.join("seeds/overrides", hashlib.sha1(text).hexdigest()), "wb").write(text)
PY

for t in "${targets[@]}"; do cargo fuzz build "${flags[@]}" "$t"; done
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  log="$(mktemp)"
  if cargo fuzz run "${flags[@]}" "$t" "corpus/$t" "seeds/$t" -- -max_total_time="$secs" -rss_limit_mb=4096 \
      -print_final_stats=1 >"$log" 2>&1; then
    runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo "?")
    echo "fuzz: $t: $runs executions in ${secs}s, no finding"
  else
    tail -n 40 "$log"
    echo "fuzz: $t: FINDING (see fuzz/artifacts/$t/)" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
done
