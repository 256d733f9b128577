#!/usr/bin/env bash
# Where the wasm's bytes go: a named copy of the shipped wasm and twiggy's views of it.
#   bash scripts/anatomy.sh [N]     (N: rows of `twiggy top`, default 30)
# Needs a build (bash scripts/build.sh: target/…/swf_edge.wasm, pkg/dist); installs twiggy
# 0.8.0 into $SWF_EDGE_TOOLS/twiggy when missing. Writes build/anatomy/: the named wasm (the
# same wasm-bindgen + wasm-opt run as the build, keeping the name section; its code is the
# shipped code), and top.txt, dominators.txt, monos.txt. Prints the sections and the top list.
# bench/README.md's breakdown is this script's output.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
ROWS=${1:-30}
OUT=build/anatomy
RUST_WASM=target/wasm32-unknown-unknown/release/swf_edge.wasm
[[ -s $RUST_WASM && -s pkg/dist/swf_edge_bg.wasm ]] || { echo "anatomy: build first (bash scripts/build.sh)" >&2; exit 2; }

TWIGGY=$SWF_EDGE_TOOLS/twiggy/bin/twiggy
if [[ ! -x $TWIGGY ]]; then
  echo "anatomy: installing twiggy 0.8.0 into $SWF_EDGE_TOOLS/twiggy" >&2
  cargo install twiggy --version 0.8.0 --root "$SWF_EDGE_TOOLS/twiggy" >&2
fi

rm -rf "$OUT"
mkdir -p "$OUT"
wasm-bindgen --target web --out-dir "$OUT/bindgen" --out-name swf_edge "$RUST_WASM"
# The build's wasm-opt flags (scripts/wasm-opt-flags.sh), with the names kept (-g, and no
# --strip-debug, which would strip the name section too).
source scripts/wasm-opt-flags.sh
FLAGS=()
for flag in "${WASM_OPT_FLAGS[@]}"; do [[ $flag == --strip-debug ]] || FLAGS+=("$flag"); done
node_modules/.bin/wasm-opt "${FLAGS[@]}" -g "$OUT/bindgen/swf_edge_bg.wasm" -o "$OUT/swf_edge_named.wasm"

"$TWIGGY" top -n "$ROWS" "$OUT/swf_edge_named.wasm" > "$OUT/top.txt"
"$TWIGGY" dominators -d 3 -r 40 "$OUT/swf_edge_named.wasm" > "$OUT/dominators.txt"
"$TWIGGY" monos -n 20 "$OUT/swf_edge_named.wasm" > "$OUT/monos.txt"

node --input-type=module - "$OUT/swf_edge_named.wasm" pkg/dist/swf_edge_bg.wasm <<'EOF'
import { readFileSync } from "node:fs";
import { brotliCompressSync, constants } from "node:zlib";
const br = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const { wasmSections: sections } = await import(`${process.cwd()}/scripts/wasm-sections.mjs`);
const [named, shipped] = process.argv.slice(2).map((f) => readFileSync(f));
const codeOf = (b) => sections(b).find((s) => s.name === "code");
const [a, b] = [codeOf(named), codeOf(shipped)];
const same = named.subarray(a.start, a.end).equals(shipped.subarray(b.start, b.end));
console.log(`shipped wasm: ${shipped.length} B raw, ${br(shipped)} B brotli; named copy's code section ${same ? "is byte-identical to" : "DIFFERS from"} the shipped one`);
console.log("| section | raw B | brotli alone B | brotli share B (file minus section) |\n|---|---:|---:|---:|");
const whole = br(shipped);
for (const s of sections(shipped)) {
  const part = shipped.subarray(s.start, s.end);
  const without = Buffer.concat([shipped.subarray(0, s.start), shipped.subarray(s.end)]);
  console.log(`| ${s.name} | ${part.length} | ${br(part)} | ${whole - br(without)} |`);
}
EOF
echo
head -n $((ROWS + 3)) "$OUT/top.txt"
echo "(also $OUT/dominators.txt, $OUT/monos.txt)"
