// Shared by the node tests: the nodejs build of the package, the repository root, the matcher.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, "..", "..", "..");
const require = createRequire(import.meta.url);
export const { Engine } = require("../../pkg/node/kodomo_rules_wasm.js");

/** Partial match of conformance/README.md: listed keys must equal; children by id; missing as a set. */
export function match(path, expected, actual, errs) {
  if (expected !== null && typeof expected === "object" && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== "object") return errs.push(`${path}: expected an object, got ${JSON.stringify(actual)}`);
    for (const [k, ev] of Object.entries(expected)) {
      const av = actual[k] ?? null;
      const p = `${path}/${k}`;
      if (k === "children") {
        for (const ec of ev) {
          const ac = (av ?? []).find((c) => c.id === ec.id);
          if (!ac) errs.push(`${p}: no child ${ec.id}`);
          else match(`${p}[${ec.id}]`, ec, ac, errs);
        }
      } else if (k === "missing") {
        const a = [...(av ?? [])].sort(), e = [...ev].sort();
        if (JSON.stringify(a) !== JSON.stringify(e)) errs.push(`${p}: expected ${JSON.stringify(e)}, got ${JSON.stringify(a)}`);
      } else match(p, ev, av, errs);
    }
  } else if (Array.isArray(expected) && expected.length > 0 && expected.every((e) => e !== null && typeof e === "object")) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return errs.push(`${path}: expected ${expected.length} entries, got ${JSON.stringify(actual)}`);
    expected.forEach((ev, i) => match(`${path}/${i}`, ev, actual[i], errs));
  } else if (JSON.stringify(expected) !== JSON.stringify(actual ?? null)) {
    errs.push(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}
