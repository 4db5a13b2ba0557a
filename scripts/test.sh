#!/usr/bin/env bash
# The full test run: lints, every test (unit, proptest, conformance, CLI, doc) and a benchmark
# smoke run. Installs what it needs first.
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
cargo test --workspace --locked
cargo bench -p kodomo-rules --bench engine --locked -- --test
