#!/usr/bin/env bash
# Installs everything the build, the tests and the demo need, on a fresh machine or an
# old one: idempotent, and quick when all is already there. Runs as root (apt-get).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

step() { printf '\n== setup: %s\n' "$*"; }

# Debian's Rust (rustup's has no wasm32 std and cannot fetch one), lld, Chromium, brotli.
apt_packages=(rustc-web cargo-web rust-web-src rust-web-clippy rustfmt-web lld-22 chromium chromium-driver brotli)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  step "apt-get install ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

# wasm-bindgen CLI, exactly Cargo.lock's version, in a machine-wide folder kept across clones.
bindgen_root="$SWF_EDGE_TOOLS/wasm-bindgen-$WASM_BINDGEN_VERSION"
if ! "$bindgen_root/bin/wasm-bindgen" --version 2>/dev/null | grep -qx "wasm-bindgen $WASM_BINDGEN_VERSION"; then
  step "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes a few minutes once)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --root "$bindgen_root"
fi

# Node tools (binaryen's wasm-opt, wrangler/workerd, …) pinned by package-lock.json.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ "$(cat node_modules/.swf-edge-lock 2>/dev/null)" != "$lock_hash" ]]; then
  step "npm ci"
  npm ci --no-audit --no-fund
  echo "$lock_hash" > node_modules/.swf-edge-lock
fi

# Python: the local SWF (moto + our extension), botocore for signature checks, pytest.
if ! "$SWF_EDGE_BASE_PYTHON" -c "import venv, ensurepip" 2>/dev/null; then
  step "apt-get install python3-venv"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv
  SWF_EDGE_BASE_PYTHON=/usr/bin/python3
fi
if [[ ! -x .venv/bin/python3 ]]; then
  step "python venv (.venv) from $SWF_EDGE_BASE_PYTHON"
  "$SWF_EDGE_BASE_PYTHON" -m venv .venv
fi
.venv/bin/python3 -m pip install -q --disable-pip-version-check -r tests/requirements.txt
# moto's own SWF test suite (from the pinned moto's sdist), run with our extension by test.sh.
.venv/bin/python3 tests/swf_local/moto_suite.py fetch

echo "setup: ready (rustc $(rustc --version | cut -d' ' -f2), wasm-bindgen $WASM_BINDGEN_VERSION, node $(node --version))"
