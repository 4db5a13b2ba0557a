#!/usr/bin/env bash
# The main job: evaluate the embedded example household and print a readable explanation.
# Pass --lang en for English.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh rust
cargo run --quiet --release --locked -p kodomo-cli -- demo "$@"
