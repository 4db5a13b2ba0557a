#!/usr/bin/env bash
# Property-based tests of the HTTP service's OpenAPI document: schemathesis generates requests for
# every operation of /openapi.json (valid and invalid ones) against `kodomo serve` on a free
# loopback port, and checks every response: no 5xx, each valid against the document. Needs the
# built binary (KODOMO_BIN, default target/debug/kodomo) and .venv-api (scripts/setup.sh).
# One check is left out: `positive_data_acceptance` expects a 2xx for every request the schema
# allows, but a household can be well-formed and still invalid — a pregnancy of no person, dates
# out of order — which the engine answers with 422 and the pointer (the issue's "422 for a
# well-formed but invalid household"); JSON Schema cannot express references or date order.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${KODOMO_BIN:-target/debug/kodomo}"
exec 3< <(exec "$bin" serve --addr 127.0.0.1:0 --quiet)
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
read -r line <&3
url="${line#listening on }"
.venv-api/bin/schemathesis run "$url/openapi.json" \
  --checks all \
  --exclude-checks positive_data_acceptance \
  --max-examples "${API_EXAMPLES:-50}" \
  --workers 2 \
  --seed 1 \
  --suppress-health-check all
