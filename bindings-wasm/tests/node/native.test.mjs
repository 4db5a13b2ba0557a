// WASM and native agree exactly: every month case's full result (amounts, children, trace,
// receipt) equals the native CLI's JSON for the same household and month.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Engine, root } from "./load.mjs";

// The debug build that `cargo test --workspace` (scripts/test.sh) has just made, or $KODOMO_CLI.
const cli = [process.env.KODOMO_CLI, join(root, "target", "debug", "kodomo")].filter(Boolean).find(existsSync);

function files(dir) {
  return readdirSync(dir).sort().flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : f.endsWith(".json") ? [p] : [];
  });
}

test("the native CLI is built", () => assert.ok(cli, "run cargo build -p kodomo-cli first"));

const engine = new Engine();
const all = files(join(root, "conformance")).flatMap((f) => JSON.parse(readFileSync(f, "utf8")).cases);
const cases = all.filter((c) => c.month);
cases.push({ id: "examples/family.json 2024-09", household: JSON.parse(readFileSync(join(root, "examples", "family.json"), "utf8")), month: "2024-09" });

for (const c of cases) {
  test(`native = wasm: ${c.id}`, { skip: !cli }, () => {
    const run = () => execFileSync(cli, ["eval", "-", "--month", c.month, "--trace"], { input: JSON.stringify(c.household), stdio: "pipe" });
    if (c.expect_error) {
      // Both reject the input, naming the same field.
      assert.throws(run, (e) => e.status === 1 && e.stderr.toString().includes(c.expect_error.path));
      assert.throws(() => engine.evaluate(c.household, c.month), (e) => e.path === c.expect_error.path);
      return;
    }
    assert.deepEqual(engine.evaluate(c.household, c.month, { trace: true }), JSON.parse(run().toString()));
  });
}

// Timelines of every scheme agree too (months, payments, receipt).
for (const c of all.filter((c) => c.span)) {
  test(`native = wasm timeline: ${c.id}`, { skip: !cli }, () => {
    const args = ["timeline", "-", "--from", c.span.from, "--to", c.span.to, "--scheme", c.scheme];
    const native = JSON.parse(execFileSync(cli, args, { input: JSON.stringify(c.household), stdio: "pipe" }).toString());
    assert.deepEqual(engine.timeline(c.household, c.span.from, c.span.to, { scheme: c.scheme }), native);
  });
}
