// Every case in conformance/ through the WASM API: the same expected values, to the yen.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Engine, match, root } from "./load.mjs";

function files(dir) {
  return readdirSync(dir).sort().flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : f.endsWith(".json") ? [p] : [];
  });
}

const engine = new Engine();
const cases = files(join(root, "conformance")).flatMap((f) => JSON.parse(readFileSync(f, "utf8")).cases);

test("the corpus is there", () => assert.ok(cases.length >= 136, `${cases.length} cases`));

for (const c of cases) {
  test(c.id, () => {
    const errs = [];
    if (c.expect_error) {
      assert.throws(() => engine.evaluate(c.household, "2024-01"), (e) => {
        match("error", c.expect_error, { code: e.code, path: e.path }, errs);
        return e instanceof Error;
      });
    } else if (c.month) {
      // A scheme answering person by person is matched by the expected beneficiary.
      const ben = c.expect.beneficiary;
      const r = engine
        .evaluate(c.household, c.month, { trace: true })
        .schemes.find((s) => s.scheme === c.scheme && (ben === undefined || s.beneficiary === ben));
      match("", c.expect, r, errs);
    } else {
      const t = engine.timeline(c.household, c.span.from, c.span.to, { scheme: c.scheme });
      t.months = Object.fromEntries(t.months.map((m) => [m.month, m]));
      match("", c.expect, t, errs);
    }
    assert.deepEqual(errs, []);
  });
}
