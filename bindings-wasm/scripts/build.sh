#!/usr/bin/env bash
# Build the WebAssembly package: cargo (wasm32-unknown-unknown) → wasm-bindgen (web + nodejs) →
# wasm-opt (npm binaryen) → TypeScript types generated from the engine's JSON Schemas.
# The wasm route is chosen automatically: rustup's target where installed, otherwise Debian's
# rustc-web with -Zbuild-std (shared/toolchain.md). Run from anywhere; needs scripts/setup.sh first.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
profile=wasm-release
args=(build -p kodomo-rules-wasm --profile "$profile" --locked --target wasm32-unknown-unknown --target-dir target/wasm)
# KODOMO_WASM_FEATURES=toy: the test build (scripts/test.sh), with the test-only toy scheme.
[ -n "${KODOMO_WASM_FEATURES:-}" ] && args+=(--features "$KODOMO_WASM_FEATURES")
if [ "${FORCE_DEBIAN_WASM:-0}" != 1 ] && command -v rustup >/dev/null 2>&1 \
   && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "wasm: rustup route" >&2
  cargo "${args[@]}"
else
  echo "wasm: Debian rustc-web route (-Zbuild-std)" >&2
  RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-22 \
    /usr/bin/cargo "${args[@]}" -Zbuild-std=std,panic_abort
fi
wasm="target/wasm/wasm32-unknown-unknown/$profile/kodomo_rules_wasm.wasm"
pkg="$here/pkg"
rm -rf "$pkg"
wasm-bindgen --target web --remove-name-section --out-dir "$pkg/web" "$wasm"
wasm-bindgen --target nodejs --remove-name-section --out-dir "$pkg/node" "$wasm"
# The package is "type": "module"; the nodejs build is CommonJS.
echo '{"type": "commonjs"}' > "$pkg/node/package.json"
opt="$here/node_modules/.bin/wasm-opt"
for f in "$pkg/web/kodomo_rules_wasm_bg.wasm" "$pkg/node/kodomo_rules_wasm_bg.wasm"; do
  "$opt" -Oz "$f" -o "$f"
done
node "$here/scripts/gen-types.mjs"
# The demo page loads the web build from www/pkg.
rm -rf "$here/www/pkg" && cp -r "$pkg/web" "$here/www/pkg"
raw=$(stat -c %s "$pkg/web/kodomo_rules_wasm_bg.wasm")
gz=$(gzip -9 -c "$pkg/web/kodomo_rules_wasm_bg.wasm" | wc -c)
echo "wasm: $raw bytes, $gz bytes gzipped"
