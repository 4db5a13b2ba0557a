#!/usr/bin/env bash
# The full test run: lints, every Rust test (unit, proptest, conformance, CLI, doc), a benchmark
# smoke run, the Python package's tests and wheel, and the WebAssembly package's Node and browser
# tests. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

if cargo fmt --version >/dev/null 2>&1; then
  cargo fmt --all --check
else
  echo "test: rustfmt not available, skipping the format check" >&2
fi
if cargo clippy --version >/dev/null 2>&1; then
  cargo clippy --workspace --all-targets --locked -- -D warnings
else
  echo "test: clippy not available, skipping lints" >&2
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cargo test --workspace --locked 2>&1 | tee "$log"
# The HTTP service against its own OpenAPI document (schemathesis, on the debug build above).
./scripts/api_test.sh 2>&1 | tee -a "$log"
cargo bench -p kodomo-rules --bench engine --locked -- --test
# The crate a vendor depends on packages and builds on its own (its rulesets inside it).
cargo package -p kodomo-rules --locked --allow-dirty

# The bindings are built with the test-only feature `toy` (the toy scheme of rules-core/tests/toy/,
# a registry entry reached only through its bundle) and run its cases too.
export KODOMO_TOY=1

# Python package: build into the venv, run its tests (conformance, API, population, stubs, tutorial).
VIRTUAL_ENV="$PWD/.venv" PATH="$PWD/.venv/bin:$PATH" maturin develop --release --locked -F toy -m bindings-python/Cargo.toml
.venv/bin/python -m pytest -q -p no:cacheprovider bindings-python/tests 2>&1 | tee -a "$log"
# The wheel (reuses the build above) installs and imports in a fresh environment.
rm -rf target/wheels target/wheel-check
.venv/bin/maturin build --release --locked -F toy -m bindings-python/Cargo.toml -o target/wheels --interpreter .venv/bin/python
python3 -m venv target/wheel-check
target/wheel-check/bin/python -m pip install -q --disable-pip-version-check --no-index target/wheels/*.whl
target/wheel-check/bin/python -c 'import kodomo_rules as kr; assert kr.Engine().evaluate({"persons": []}, "2025-06").totals == {"monthly": 0}; print("wheel ok:", kr.__version__)'

# WebAssembly package: build (cargo → wasm-bindgen → wasm-opt → generated TypeScript types), then
# the Node tests (conformance, native = wasm, API and errors, tsc) and the browser test (Chromium).
KODOMO_WASM_FEATURES=toy bash bindings-wasm/scripts/build.sh
(cd bindings-wasm && node --test tests/node/) 2>&1 | tee -a "$log"
node bindings-wasm/tests/browser/form.test.mjs 2>&1 | tee -a "$log"
node benches/wasm_node.mjs

# Fuzzing smoke run: every fuzz target (household JSON, overrides, Arrow batch) for a few seconds,
# seeded from conformance/ (the long campaign: fuzz/run.sh SECONDS, docs/fuzzing.md).
./fuzz/run.sh "${FUZZ_SECONDS:-5}" 2>&1 | tee -a "$log"

# One plain summary line for CI (sums cargo test's "test result" lines).
awk '/^test result:/ || / passed.* in [0-9.]+s/ || /^[0-9]+ passed, [0-9]+ failed$/ {
       for (i = 2; i <= NF; i++) { if ($(i) ~ /^passed/) p += $(i-1); if ($(i) ~ /^failed/) f += $(i-1) } }
     /^# pass [0-9]+$/ { p += $3 } /^# fail [0-9]+$/ { f += $3 }
     END { printf "%d passed, %d failed\n", p, f }' "$log"
