// The JS API: inputs, outputs as plain numbers and ISO strings, errors as JS Errors with path and code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Engine } from "./load.mjs";

const engine = new Engine();
// 3歳未満 15,000円 from 2024-10 (FACTS.md §1.3).
const hh = { persons: [{ id: "p", role: "parent" }, { id: "c", role: "child", birth_date: "2023-05-10" }] };

test("evaluate: plain numbers and strings", () => {
  const r = engine.evaluate(hh, "2025-06");
  assert.deepEqual(r.totals, { monthly: 15000 });
  assert.equal(r.schema_version, "0.2");
  assert.equal(r.schemes[0].kind, "monthly");
  assert.equal(typeof r.schemes[0].amount, "number");
  assert.equal(r.schemes[0].month, "2025-06");
  assert.deepEqual(r.schemes[0].children, [{ id: "c", band: "under_3", rank: 1, amount: 15000 }]);
  assert.deepEqual(engine.evaluate(JSON.stringify(hh), "2025-06"), r);
  assert.equal(r.schemes[0].trace, undefined);
  assert.ok(engine.evaluate(hh, "2025-06", { trace: true }).schemes[0].trace.length > 2);
});

test("timeline, explain, rulesets, schema, incomeYearFor", () => {
  const t = engine.timeline(hh, "2024-10", "2024-11", { scheme: "child_allowance" });
  assert.deepEqual(t.payments, [{ payment_month: "2024-12", months: ["2024-10", "2024-11"], amount: 30000 }]);
  assert.match(engine.explain(hh, "2025-06", "en"), /15,000 yen/);
  assert.match(engine.explain(hh, "2025-06", "ja"), /15,000円/);
  assert.deepEqual(engine.rulesets().map((r) => r.id), [
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
    "reduced_hours_benefit/2025",
  ]);
  assert.ok(engine.schema().properties.persons);
  // The June switch (FACTS.md §1.4) and no income test after the reform.
  assert.equal(engine.incomeYearFor("2023-06", "child_allowance"), 2022);
  assert.equal(engine.incomeYearFor("2025-06", "child_allowance"), undefined);
  // A timeline names its scheme; the scheme list gives ids, names, kinds and labels.
  assert.throws(() => engine.timeline(hh, "2024-10", "2024-11"), (e) => e.path === "/options/scheme" && e.code === "missing_field");
  const schemes = engine.schemes();
  assert.deepEqual(schemes.map((s) => s.id), [
    "child_allowance", "child_rearing_allowance", "special_child_allowance", "disabled_child_welfare_allowance",
    "birth_support_grant", "pregnancy_support_benefit", "childbirth_lump_sum", "maternity_allowance",
    "pension_maternity_exemption", "social_insurance_premium_exemption",
    "nhi_maternity_reduction", "nhi_preschool_reduction", "postnatal_leave_benefit",
    "childcare_leave_benefit", "post_birth_leave_support_benefit", "reduced_hours_benefit",
  ]);
  assert.deepEqual(schemes[0].name, { ja: "児童手当", en: "Child allowance" });
  assert.equal(schemes[0].labels.band.under_3.ja, "3歳未満");
  assert.ok(schemes.every((s) => s.rulesets.length > 0));
  assert.deepEqual(schemes.map((s) => s.kind), ["monthly", "monthly", "monthly", "monthly", "grant", "grant", "grant", "grant", "exemption", "exemption", "exemption", "exemption", "wage_units", "wage_units", "wage_units", "wage_units"]);
  assert.match(engine.version(), /^kodomo-rules /);
});

test("partial input: undetermined with a range and the inputs that decide it", () => {
  const two = { persons: [{ id: "p", role: "parent" }, { id: "a", role: "child", birth_date: "2015-05-05" }, { id: "b", role: "child", birth_date: "2017-08-08" }] };
  const r = engine.evaluate(two, "2023-07").schemes[0];
  // No 2022 income: nothing (at or above the 上限) up to the full amounts (2 × 10,000) (FACTS.md §1.3, §1.4).
  assert.equal(r.status, "undetermined");
  assert.deepEqual(r.range, { min: 0, max: 20000 });
  assert.deepEqual(r.missing, ["/persons/0/income/2022"]);
});

function throwsWith(fn, code, path) {
  assert.throws(fn, (e) => e instanceof Error && e.code === code && e.path === path && e.message.includes(code));
}

test("errors are JS Errors with code and path", () => {
  throwsWith(() => engine.evaluate({ persons: [{ id: "c", role: "child", birth_date: "2023-02-29" }] }, "2025-01"), "invalid_date", "/persons/0/birth_date");
  throwsWith(() => engine.evaluate({ persons: [{ id: "a", role: "parent", wat: 1 }] }, "2025-01"), "unknown_field", "/persons/0/wat");
  throwsWith(() => engine.evaluate({ persons: [{ id: "a", role: "parent", income: { 2023: { salary: 1.5 } } }] }, "2025-01"), "invalid_type", "/persons/0/income/2023/salary");
  throwsWith(() => engine.evaluate(hh, "2025-13"), "invalid_month", "/month");
  throwsWith(() => engine.evaluate(undefined, "2025-01"), "invalid_type", "");
  throwsWith(() => engine.evaluate("{not json", "2025-01"), "invalid_json", "");
  throwsWith(() => engine.evaluate(hh, "2025-01", { trace: "yes" }), "invalid_type", "/options/trace");
  throwsWith(() => engine.evaluate(hh, "2025-01", { tracing: true }), "unknown_field", "/options/tracing");
  throwsWith(() => engine.timeline(hh, "2025-01", "2024-01", { scheme: "child_allowance" }), "invalid_value", "/to");
  throwsWith(() => engine.explain(hh, "2025-01", "fr"), "invalid_value", "/lang");
  // Values JSON would silently change or drop, and non-string months, are errors too.
  throwsWith(() => engine.evaluate({ persons: [{ id: "a", role: "parent", income: { 2023: { salary: NaN } } }] }, "2025-01"), "invalid_value", "/persons/0/income/2023/salary");
  throwsWith(() => engine.evaluate({ persons: [{ id: "a", role: "parent", income: { 2023: { salary: Infinity } } }] }, "2025-01"), "invalid_value", "/persons/0/income/2023/salary");
  throwsWith(() => engine.evaluate({ persons: [{ id: "a", role: "parent", x: () => 1 }] }, "2025-01"), "invalid_type", "/persons/0/x");
  throwsWith(() => engine.evaluate(() => 1, "2025-01"), "invalid_type", "");
  for (const m of [202501, new Date(), true, {}, undefined]) throwsWith(() => engine.evaluate(hh, m), "invalid_type", "/month");
  throwsWith(() => engine.explain(hh, "2025-01", undefined), "invalid_type", "/lang");
  throwsWith(() => engine.evaluate(hh, "2025-01", []), "invalid_type", "/options");
});

test("months before 2012-04 are not in force, not errors", () => {
  assert.equal(engine.evaluate(hh, "2010-06").schemes[0].status, "not_in_force");
});

test("other schemes: timeline option, income year, errors", () => {
  // 児童扶養手当 FY2025 本体 46,690 (FACTS.md §2.2); 2025-06 reads 2023 income (§2.4): 820,000 < 1,070,000.
  const hh = {
    persons: [
      { id: "mother", role: "parent", child_rearing_reason: "divorce", income: { 2023: { employment_income: 1000000, dependants: 1 } } },
      { id: "c1", role: "child", birth_date: "2018-06-01" },
    ],
  };
  const r = engine.evaluate(hh, "2025-06").schemes.find((s) => s.scheme === "child_rearing_allowance");
  assert.equal(r.amount, 46690);
  const t = engine.timeline(hh, "2025-04", "2025-06", { scheme: "child_rearing_allowance" });
  assert.deepEqual(t.payments.map((p) => p.payment_month), ["2025-05", "2025-07"]);
  assert.equal(engine.incomeYearFor("2025-11", "child_rearing_allowance"), 2024);
  assert.equal(engine.incomeYearFor("2025-08", "special_child_allowance"), 2024);
  assert.throws(() => engine.timeline(hh, "2025-04", "2025-06", { scheme: "nope" }), (e) => e.path === "/options/scheme" && e.code === "unknown_reference");
  assert.throws(() => engine.timeline(hh, "2025-04", "2025-06", { scheme: 3 }), (e) => e.path === "/options/scheme" && e.code === "invalid_type");
  assert.throws(() => engine.evaluate(hh, "2025-06", { scheme: "child_allowance" }), (e) => e.path === "/options/scheme" && e.code === "unknown_field");
  assert.throws(() => engine.incomeYearFor("2025-08", "nope"), (e) => e.path === "/scheme");
});

// Issue 18 item 1: one deeply nested object, or a getter or Proxy that throws, used to leave the
// module unusable ("memory access out of bounds") until the page reloaded.
test("bad objects are errors and the module stays usable after each", () => {
  const stillWorks = () => {
    assert.equal(new Engine().evaluate(hh, "2025-06").totals.monthly, 15000);
    assert.equal(engine.evaluate(hh, "2025-06").totals.monthly, 15000);
  };
  let deep = {};
  for (let i = 0; i < 9000; i++) deep = { a: deep };
  assert.throws(() => engine.evaluate({ persons: [], x: deep }, "2025-06"), (e) => e.code === "invalid_json" && /128 levels/.test(e.message));
  stillWorks();
  const nested = JSON.parse("[".repeat(9000) + "]".repeat(9000));
  assert.throws(() => engine.evaluate({ persons: nested }, "2025-06"), (e) => e.code === "invalid_json");
  stillWorks();
  const getter = { persons: [{ id: "p", role: "parent" }] };
  Object.defineProperty(getter.persons[0], "income", { enumerable: true, get() { throw new Error("boom"); } });
  for (let i = 0; i < 2000; i++) {
    assert.throws(() => engine.evaluate(getter, "2025-06"), (e) => e.code === "invalid_type" && e.path === "/persons/0");
  }
  stillWorks();
  const trap = new Proxy({}, { ownKeys() { throw new Error("trap"); } });
  assert.throws(() => engine.evaluate({ persons: trap }, "2025-06"), (e) => e.code === "invalid_type" && e.path === "/persons");
  const revocable = Proxy.revocable({}, {});
  revocable.revoke();
  assert.throws(() => engine.evaluate(revocable.proxy, "2025-06"), (e) => e.code === "invalid_type");
  assert.throws(() => engine.evaluate(hh, "2025-06", revocable.proxy), (e) => e.path === "/options");
  const toJSON = { persons: [], toJSON() { throw new Error("no"); } };
  assert.throws(() => engine.evaluate(toJSON, "2025-06"), (e) => e.code === "invalid_type");
  // A toJSON on the prototype is not an own property: JSON.stringify itself throws, and is caught.
  class Sneaky { constructor() { this.persons = []; } toJSON() { throw new Error("no"); } }
  assert.throws(() => engine.evaluate(new Sneaky(), "2025-06"), (e) => e.code === "invalid_type" && /threw/.test(e.message));
  stillWorks();
  // Trailing data and duplicate keys in JSON text (issue 18 item 6).
  assert.throws(() => engine.evaluate('{"persons":[]} {"persons":[]}', "2025-06"), (e) => e.code === "invalid_json");
  assert.throws(() => engine.evaluate('{"persons":[],"persons":[]}', "2025-06"), (e) => e.code === "invalid_json");
  stillWorks();
});

test("withRules: a bundle adds a scheme, validated like the embedded rulesets", async () => {
  const { readFileSync } = await import("node:fs");
  const root = new URL("../../../rulesets/national/child_rearing_allowance/", import.meta.url);
  const meta = JSON.parse(readFileSync(new URL("scheme.json", root), "utf8"));
  meta.id = "municipal/999999/rearing_copy";
  const version = JSON.parse(readFileSync(new URL("2019.json", root), "utf8"));
  const files = { "municipal/999999/rearing_copy/scheme.json": meta, "municipal/999999/rearing_copy/2019.json": version };
  const before = engine.schemes().length;
  const e = engine.withRules({ files });
  assert.ok(e.schemes().some((s) => s.id === "municipal/999999/rearing_copy"));
  assert.equal(e.schemes().length, before + 1);
  assert.equal(engine.schemes().length, before); // the original engine is unchanged
  // 児童扶養手当 FY2025 全部支給 46,690 (FACTS.md §2.2, §2.4).
  const hh = {
    persons: [
      { id: "mother", role: "parent", child_rearing_reason: "divorce", income: { 2023: { employment_income: 1000000, dependants: 1 } } },
      { id: "c1", role: "child", birth_date: "2018-06-01" },
    ],
  };
  const r = e.evaluate(hh, "2025-06").schemes.find((s) => s.scheme === "municipal/999999/rearing_copy");
  assert.equal(r.amount, 46690);
  assert.deepEqual(e.withRules(JSON.stringify({ files })).schemes().length, before + 1);
  version.logic = "template/unknown@1";
  assert.throws(() => engine.withRules({ files }), (err) =>
    err.code === "invalid_ruleset" && err.errors.length === 1 && err.errors[0].file === "municipal/999999/rearing_copy"
    && /template\/unknown@1/.test(err.errors[0].message));
  assert.throws(() => engine.withRules(42), (err) => err.code === "invalid_type");
});
