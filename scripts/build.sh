#!/usr/bin/env bash
# Builds the npm package's generated files into pkg/dist: release wasm32 (std rebuilt
# with size flags) → wasm-bindgen (--target web) → wasm-opt -Oz; the Node entry bundled into one
# module (dist/node.js); the wasm as a JS string for the embedded entry (dist/wasm_inline.js); the
# repository's license texts copied into the package.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

# immediate-abort: a panic traps without formatting a message (none should happen: every
# error a caller can cause is a typed Error), which drops core::fmt's panic machinery.
# location-detail=none: no source file paths of panic locations in the wasm (-1.2 KB raw).
# sha2's compact SHA-256 (a loop, not unrolled): -1.5 KB brotli, no measurable cost per call.
export RUSTFLAGS="${RUSTFLAGS:-} -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none --cfg sha2_backend_soft=\"compact\""
RUSTC_BOOTSTRAP=1 cargo build --release --target wasm32-unknown-unknown \
  -Zbuild-std=std,panic_abort --lib
rm -rf pkg/dist
wasm-bindgen --target web --out-dir pkg/dist --out-name swf_edge \
  target/wasm32-unknown-unknown/release/swf_edge.wasm
node_modules/.bin/wasm-opt -Oz --converge --strip-debug --strip-producers --strip-target-features \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/dist/swf_edge_bg.wasm -o pkg/dist/swf_edge_bg.wasm
node scripts/model-types.mjs
node scripts/swf-types.mjs
node scripts/bundle-node.mjs
node scripts/embed-wasm.mjs
cp LICENSE-MIT LICENSE-APACHE pkg/
node scripts/npm-readme.mjs   # pkg/README.md, the npm page, from README.md (links made absolute)
ls -l pkg/dist/swf_edge_bg.wasm | awk '{print "built pkg/dist/swf_edge_bg.wasm: " $5 " bytes"}'
