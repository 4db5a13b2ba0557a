#!/usr/bin/env bash
# Load test of `kodomo serve` on loopback — a benchmark, not a timed test (results: benches/README.md).
# wrk (Debian's, installed here) drives one-household POST /v1/evaluate requests, then one
# 1,000-household POST /v1/screen, then a 60-second soak while the server's resident memory is
# sampled. Bounded: DURATION seconds per run (default 10), SOAK seconds (default 60). wrk prints
# "Non-2xx or 3xx responses: N" when any answer is not a 200; none is the pass.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh rust
command -v wrk >/dev/null 2>&1 || apt_install wrk
cargo build --release --locked -p kodomo-cli
out=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$out"' EXIT
exec 3< <(exec target/release/kodomo serve --addr 127.0.0.1:0 --quiet --max-body-bytes 67108864)
pid=$!
read -r line <&3
url="${line#listening on }"
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
hh = json.load(open("examples/family.json"))
one = json.dumps({"household": hh, "month": "2025-06"})
open(f"{out}/evaluate.json", "w").write(one)
open(f"{out}/screen.ndjson", "w").write("".join(one + "\n" for _ in range(1000)))
for name in ("evaluate.json", "screen.ndjson"):
    open(f"{out}/{name}.lua", "w").write(
        'wrk.method = "POST"\n'
        f'local f = io.open("{out}/{name}", "rb"); wrk.body = f:read("*a"); f:close()\n'
        'wrk.headers["Content-Type"] = "application/json"\n')
PY
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$pid/status"; }
echo "== server: $url, RSS at start $(rss)"
echo "== POST /v1/evaluate, one household (examples/family.json, 2025-06), 64 connections"
wrk -t2 -c64 -d"${DURATION:-10}"s --latency -s "$out/evaluate.json.lua" "$url/v1/evaluate"
echo "== POST /v1/screen, 1,000 households per request, 1 connection"
wrk -t1 -c1 -d"${DURATION:-10}"s --latency -s "$out/screen.ndjson.lua" "$url/v1/screen"
echo "== soak: ${SOAK:-60} s of /v1/evaluate, RSS every 10 s"
wrk -t2 -c32 -d"${SOAK:-60}"s -s "$out/evaluate.json.lua" "$url/v1/evaluate" > "$out/soak.txt" &
soak=$!
for _ in $(seq $(( ${SOAK:-60} / 10 ))); do sleep 10; echo "RSS $(rss)"; done
wait "$soak"
cat "$out/soak.txt"
echo "== RSS at end $(rss)"
