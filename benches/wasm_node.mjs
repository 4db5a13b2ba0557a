// Benchmark of the WebAssembly build in Node.js (results in benches/README.md):
// engine construction, one evaluation of a 3-child household (JSON in, JS object out),
// with trace, a 12-month timeline, and the explanation text.
// Run after bindings-wasm/scripts/build.sh:  node benches/wasm_node.mjs
// (KODOMO_WASM_PKG=<dir> times another build's pkg/ for a side-by-side comparison).
import { createRequire } from "node:module";
import { readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";

const require = createRequire(import.meta.url);
const t0 = performance.now();
const pkg = process.env.KODOMO_WASM_PKG ?? new URL("../bindings-wasm/pkg", import.meta.url).pathname;
const { Engine } = require(`${pkg}/node/kodomo_rules_wasm.js`);
const tLoad = performance.now();
const engine = new Engine();
const tNew = performance.now();

const hh = {
  persons: [
    { id: "mother", role: "parent", income: { 2023: { salary: 6500000, other_dependants: 0 } } },
    { id: "father", role: "parent", income: { 2023: { salary: 4000000, other_dependants: 0 } } },
    { id: "c1", role: "child", birth_date: "2009-05-20" },
    { id: "c2", role: "child", birth_date: "2014-11-02" },
    { id: "c3", role: "child", birth_date: "2022-08-01" },
  ],
};

function bench(name, fn, n) {
  for (let i = 0; i < Math.min(1000, n); i++) fn();
  const runs = [];
  for (let r = 0; r < 5; r++) {
    const s = performance.now();
    for (let i = 0; i < n; i++) fn();
    runs.push(((performance.now() - s) * 1000) / n);
  }
  runs.sort((a, b) => a - b);
  console.log(`${name.padEnd(44)} median ${runs[2].toFixed(2)} µs  (best ${runs[0].toFixed(2)} µs)`);
}

const wasm = `${pkg}/web/kodomo_rules_wasm_bg.wasm`;
const bytes = readFileSync(wasm);
console.log(`${wasm}: ${statSync(wasm).size} bytes, ${gzipSync(bytes, { level: 9 }).length} gzipped`);
console.log(`load module ${(tLoad - t0).toFixed(1)} ms, new Engine() ${(tNew - tLoad).toFixed(2)} ms`);
bench("evaluate 2024-06 (income test)", () => engine.evaluate(hh, "2024-06"), 20000);
bench("evaluate 2025-06", () => engine.evaluate(hh, "2025-06"), 20000);
bench("evaluate 2024-06 with trace", () => engine.evaluate(hh, "2024-06", { trace: true }), 2000);
bench("timeline 2024-04..2025-03", () => engine.timeline(hh, "2024-04", "2025-03", { scheme: "child_allowance" }), 2000);
bench("explain 2024-06 (ja)", () => engine.explain(hh, "2024-06", "ja"), 2000);
bench("new Engine()", () => new Engine().free(), 200);
