#!/usr/bin/env bash
# Every test layer, in order; stops at the first failing one. Run via `make test`
# (which installs and builds first). Each runner prints its own summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
mkdir -p tests/out

stage() { printf '\n==== %s\n' "$*"; }
source scripts/servers.sh

stage "lint: cargo fmt --check, clippy -D warnings (native and wasm32)"
cargo fmt --check
cargo clippy --quiet --all-targets -- -D warnings
RUSTC_BOOTSTRAP=1 cargo clippy --quiet --all-targets --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort -- -D warnings

stage "native cargo test (validation, request building, signing vs botocore vectors, endpoints)"
python3 tests/sigv4/gen_vectors.py --check
python3 tests/endpoints/gen_endpoints.py --check
cargo test

stage "wasm-bindgen-test in Node, then in headless Chromium (against the fake SWF)"
start_server fake python3 tests/fake_swf/server.py --port 0
export SWF_EDGE_FAKE_URL=$SERVER_URL
wasm_test() {
  RUSTC_BOOTSTRAP=1 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    cargo test --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort --test wasm
}
wasm_test
WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver wasm_test

stage "python: the local SWF extension and the fake SWF, each with boto3/botocore; error codes of botocore's parser and pkg/answer.js"
python3 -m pytest -p no:cacheprovider -q tests/swf_local tests/fake_swf tests/error_codes
python3 tests/swf_local/moto_suite.py run   # moto's own SWF suite with the extension: 182 collected, 178 pass, 4 known divergences xfail

stage "node: the built package against the fake SWF and the local SWF; the packed package in workerd"
node --test tests/fake_swf/ tests/js/

stage "durable worker: swf-edge/worker and examples/durable-worker in Miniflare (SQLite Durable Objects, alarms, Cron, resets) against the local SWF"
node --test --test-concurrency=2 tests/durable/

stage "packaging: the packed tarball in Node ESM/CJS, tsc --strict, Bun, Deno; Vite, webpack, esbuild, Rollup, bun build and a plain page in Chromium; publint, attw, npm publish --dry-run"
node --test tests/packaging/

stage "docs: every example of README.md and docs/ type-checked against the tarball and run against swf-local (installed from tests/swf_local), links, doc comments of every export"
node --test tests/docs/

stage "www: the operator dashboard in headless Chromium (both connection modes, live deciders), the example Worker's operator routes in workerd"
node --test tests/www/

stage "size budget (size-budget.json)"
node scripts/size.mjs

stage "benchmark smoke run (bench/run.sh --smoke: every measurement works; numbers not judged)"
bash bench/run.sh --smoke

stage "demo (the README's make demo, end to end)"
node scripts/demo.mjs
