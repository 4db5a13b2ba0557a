#!/usr/bin/env bash
# Install what building and testing kodomo-rules needs, idempotently. Sourced by the other scripts;
# with the argument `rust`, only the Rust toolchain (for scripts/demo.sh).
# Machines of this project come with rustup's stable toolchain; a bare Debian machine gets
# Debian's Rust 1.96 (rustc-web, cargo-web from bookworm-security) instead.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
[ -d "$HOME/.cargo/bin" ] && export PATH="$HOME/.cargo/bin:$PATH"

apt_install() {
  local missing=""
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    if [ "$(id -u)" != 0 ]; then echo "setup: please install:$missing (needs root)" >&2; return 1; fi
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing
  fi
}

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: no cargo on PATH; installing Debian's Rust toolchain" >&2
  apt_install rustc-web cargo-web gcc libc6-dev
fi
command -v cc >/dev/null 2>&1 || apt_install gcc libc6-dev

# rustfmt and clippy for the lint step (present with rustup's default profile).
if command -v rustup >/dev/null 2>&1; then
  for c in rustfmt clippy; do
    rustup component list --installed 2>/dev/null | grep -q "^$c" || timeout 180 rustup component add "$c" || true
  done
fi

# `source scripts/setup.sh rust` stops here (the main job needs only Rust).
if [ "${1:-all}" = rust ]; then return 0 2>/dev/null || exit 0; fi

# The fuzz targets (fuzz/run.sh) build libFuzzer, which is C++.
command -v c++ >/dev/null 2>&1 || apt_install g++

# Python: a virtual environment with the pinned build and test tools (bindings-python).
if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
  apt_install python3 python3-venv python3-pip
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r bindings-python/requirements-dev.txt
# The HTTP service's API tests (scripts/api_test.sh): schemathesis, in its own environment so that
# its pytest plugin and pinned dependencies stay out of the package's tests.
[ -x .venv-api/bin/python ] || python3 -m venv .venv-api
.venv-api/bin/python -m pip install -q --disable-pip-version-check -r scripts/requirements-api.txt

# WebAssembly: the wasm32 target (rustup; otherwise Debian's rustc-web route, shared/toolchain.md),
# wasm-bindgen-cli matching the crate's pinned wasm-bindgen, Chromium for the browser test, and the
# npm dev tools (binaryen's wasm-opt, playwright-core, json-schema-to-typescript, typescript).
WB_VERSION=0.2.130
if command -v rustup >/dev/null 2>&1 && ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  timeout 180 rustup target add wasm32-unknown-unknown || echo "setup: rustup target add failed; using Debian's rustc-web" >&2
fi
if ! { command -v rustup >/dev/null 2>&1 && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; }; then
  apt_install rustc-web cargo-web rust-web-src lld-22
fi
[ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WB_VERSION" ] || cargo install wasm-bindgen-cli --version "$WB_VERSION"
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || apt_install nodejs npm
[ -x /usr/bin/chromium ] || apt_install chromium
# A Japanese font, so that the browser test's screenshots show the form as residents see it.
dpkg -s fonts-ipafont-gothic >/dev/null 2>&1 || apt_install fonts-ipafont-gothic
if ! (cd bindings-wasm && npm ls --depth=0 >/dev/null 2>&1); then
  (cd bindings-wasm && npm ci --no-audit --no-fund)
fi
