# Sourced by scripts/build.sh and scripts/anatomy.sh: the wasm-opt flags of the shipped wasm
# (binaryen from npm, run on wasm-bindgen's output).
# --skip-pass=memory-packing: one data segment instead of ~144 split at runs of zeros: +0.8 KB
# raw, -0.4 KB brotli (segment headers compress worse than the zeros they replace).
# --low-memory-unused: nothing lives in addresses 0-1023 (the stack is 1 MiB + 1 KiB, see
# build.sh's RUSTFLAGS): -0.16 KB brotli.
# --flatten --rereloop -Oz, twice, first: Binaryen rebuilds each function's control flow from
# a flat form (the "Relooper"), which -Oz then shrinks further than it shrinks rustc's own
# structure: -0.36 KB brotli (measured 2026-12-03; a third round gained nothing), ~5 s more.
WASM_OPT_FLAGS=(
  --flatten --rereloop -Oz --flatten --rereloop -Oz
  -Oz --converge --strip-debug --strip-producers --strip-target-features
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue
  --skip-pass=memory-packing --low-memory-unused
)
