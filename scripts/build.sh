#!/usr/bin/env bash
# Builds the npm package's generated files into pkg/dist: release wasm32 (std rebuilt
# with size flags) → wasm-bindgen (--target web) → wasm-opt -Oz → short wasm names; the Node entry bundled into one
# module (dist/node.js); the wasm as a JS string for the embedded entry (dist/wasm_inline.js); the
# repository's license texts copied into the package.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

# immediate-abort: a panic traps without formatting a message (none should happen: every
# error a caller can cause is a typed Error), which drops core::fmt's panic machinery.
# location-detail=none: no source file paths of panic locations in the wasm (-1.2 KB raw).
# sha2's compact SHA-256 (a loop, not unrolled): -1.5 KB brotli, no measurable cost per call.
# stack-size 1 MiB + 1 KiB (Rust's default is 1 MiB): the stack sits at the bottom of linear
# memory and grows down, so its deepest 1 KiB is addresses 0–1023; with one KiB more, a call
# touches them only past the 1 MiB it always had. That makes wasm-opt's --low-memory-unused
# (scripts/wasm-opt-flags.sh) hold by construction. Measured deepest use of the stack: ~3 KB.
# -multivalue: results come back through memory, not as several wasm values. Node 20 compiles
# a JS-to-wasm wrapper for each multi-value export signature when the module is compiled:
# without them `new WebAssembly.Module` takes ~1.5 ms instead of ~3 ms (+126 B brotli of glue
# and wasm). No export then returns one externref either (bench/soak-findings.md).
export RUSTFLAGS="${RUSTFLAGS:-} -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none --cfg sha2_backend_soft=\"compact\" -Clink-arg=-zstack-size=1049600 -Ctarget-feature=-multivalue"
RUSTC_BOOTSTRAP=1 cargo build --release --target wasm32-unknown-unknown \
  -Zbuild-std=std,panic_abort --lib
rm -rf pkg/dist
wasm-bindgen --target web --out-dir pkg/dist --out-name swf_edge \
  target/wasm32-unknown-unknown/release/swf_edge.wasm
# The flags and what each is worth: scripts/wasm-opt-flags.sh (scripts/anatomy.sh uses them too).
source scripts/wasm-opt-flags.sh
node_modules/.bin/wasm-opt "${WASM_OPT_FLAGS[@]}" pkg/dist/swf_edge_bg.wasm -o pkg/dist/swf_edge_bg.wasm
# Short import/export names in the wasm and the glue, checked to match (scripts/wasm-names.mjs).
node scripts/wasm-names.mjs pkg/dist/swf_edge_bg.wasm pkg/dist/swf_edge.js
# Lists the wasm's export names before the rename; nothing reads it.
rm pkg/dist/swf_edge_bg.wasm.d.ts
node scripts/model-types.mjs
node scripts/swf-types.mjs
node scripts/bundle-node.mjs
node scripts/embed-wasm.mjs
cp LICENSE-MIT LICENSE-APACHE pkg/
node scripts/npm-readme.mjs   # pkg/README.md, the npm page, from README.md (links made absolute)
ls -l pkg/dist/swf_edge_bg.wasm | awk '{print "built pkg/dist/swf_edge_bg.wasm: " $5 " bytes"}'
