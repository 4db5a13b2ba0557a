// The generated TypeScript types (types/index.d.ts, from the engine's JSON Schemas) and the
// wasm-bindgen declarations type-check a real use with tsc --strict.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { root } from "./load.mjs";

test("tsc --strict accepts the usage example", () => {
  const tsc = join(root, "bindings-wasm", "node_modules", ".bin", "tsc");
  try {
    execFileSync(tsc, ["-p", join(root, "bindings-wasm", "tests", "types", "tsconfig.json")], { stdio: "pipe" });
  } catch (e) {
    assert.fail(`${e.stdout}${e.stderr}`);
  }
});
