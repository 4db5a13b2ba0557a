// The toy scheme of rules-core/tests/toy/ (issue 16's proof: a scheme added as its folder and one
// registry line, behind the test-only cargo feature `toy`) through the WASM package, with its
// conformance cases. scripts/test.sh builds the package with the feature and sets KODOMO_TOY=1;
// a package built without it skips these tests.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { Engine, match, root } from "./load.mjs";

const toy = join(root, "rules-core", "tests", "toy");
const skip = process.env.KODOMO_TOY !== "1" && "package built without the toy feature";

function files(dir) {
  return readdirSync(dir).sort().flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

const rules = join(toy, "rulesets");
const bundle = { files: Object.fromEntries(files(rules).map((p) => [relative(rules, p), JSON.parse(readFileSync(p, "utf8"))])) };
const cases = JSON.parse(readFileSync(join(toy, "conformance", "toy_allowance.json"), "utf8")).cases;

test("the toy scheme is listed from its bundle", { skip }, () => {
  const engine = new Engine().withRules(bundle);
  assert.ok(engine.schemes().some((s) => s.id === "toy_allowance" && s.kind === "monthly"));
  assert.ok(!new Engine().schemes().some((s) => s.id === "toy_allowance"));
});

for (const c of cases) {
  test(c.id, { skip }, () => {
    const engine = new Engine().withRules(bundle);
    const errs = [];
    if (c.month) {
      match("", c.expect, engine.evaluate(c.household, c.month).schemes.find((s) => s.scheme === c.scheme), errs);
    } else {
      const t = engine.timeline(c.household, c.span.from, c.span.to, { scheme: c.scheme });
      t.months = Object.fromEntries(t.months.map((m) => [m.month, m]));
      match("", c.expect, t, errs);
    }
    assert.deepEqual(errs, []);
  });
}
