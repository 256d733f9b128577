#!/usr/bin/env bash
# Crash soak (issue 17), not part of `make test`:  bash bench/soak.sh   (or: make soak)
# For each runtime, one at a time under `nice -n 10`, each run in a fresh process:
#   0. which wasm exports return one externref (bench/soak-exports.mjs; reported only);
#   1. the minimal case (bench/soak-min.mjs: externref; i32 and externref-pair are the
#      controls) and the forced case through swf-edge's call path (bench/soak-path.mjs;
#      Node only);
#   2. the failing-calls scenario (bench/lib/failing-calls.mjs, 50,000 calls) plain;
#   3. the scenario under V8 flags that change the tiers and deopts (Node only).
# Runtimes: the machine's node (20), Node 22 and 24 (installed from npm as the `node`
# package into $SWF_EDGE_TOOLS/node22|node24 when missing), workerd (the repo's Miniflare).
# Counts: SOAK_RUNS_NODE20 (default 100), SOAK_RUNS (22, 24, workerd; 30),
# SOAK_VARIANT_RUNS (per flag set; 5), SOAK_MIN_RUNS (minimal case; 3), SOAK_CALLS (50000).
# Results: tests/out/soak/<time>/runs.jsonl (+ crash-*.log per bad run) and summary.md.
# The default plan is long: a plain run is ~10 s of CPU (30-40 s on 2 busy cores), and
# one with --deopt-every-n-times is ~10x that; lower the counts for a quick look.
# Exit 0 when the scenario never crashed; 1 otherwise (the minimal externref case crashes
# on Node 20 and 22 by design, and so does the path case until swf-edge avoids the
# trigger: both are reported, not counted).
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
cd "$ROOT"
for f in pkg/dist/node.js pkg/dist/swf_edge_bg.wasm node_modules/miniflare/package.json; do
  [[ -e "$f" ]] || { echo "bench/soak.sh: $f is missing: run make build first" >&2; exit 2; }
done

TOOLS=${SWF_EDGE_TOOLS:-/opt/swf-edge-tools}
RUNS_NODE20=${SOAK_RUNS_NODE20:-100}
RUNS=${SOAK_RUNS:-30}
VARIANT_RUNS=${SOAK_VARIANT_RUNS:-5}
MIN_RUNS=${SOAK_MIN_RUNS:-3}
CALLS=${SOAK_CALLS:-50000}
OUT=${SOAK_OUT:-$ROOT/tests/out/soak/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"

node_of() { # $1 = major version: prints the path of a Node of that major, installing it if needed
  local bin="$TOOLS/node$1/node_modules/.bin/node"
  if [[ ! -x "$bin" ]]; then
    echo "bench/soak.sh: installing Node $1 (npm i --prefix $TOOLS/node$1 node@$1)" >&2
    npm i --prefix "$TOOLS/node$1" "node@$1" --no-audit --no-fund --loglevel=error >&2
  fi
  echo "$bin"
}

NODE20=$(command -v node)
NODES=("$NODE20" "$(node_of 22)" "$(node_of 24)")
soak() { nice -n 10 node "$BENCH/soak.mjs" --out "$OUT" --calls "$CALLS" "$@" || true; }

# Flag sets for step 3, as "flags|calls" (calls empty: SOAK_CALLS); a set a Node does not
# know is recorded as refused and skipped.
VARIANTS=(
  "--stress-compaction|"                           # every GC a full, compacting one: the natural trigger
  "--deopt-every-n-times=5000|5000"                # deopts + a full GC in the deoptimizer (~10x slower)
  "--no-turbo-inline-js-wasm-calls|"               # the user-side workaround: JS->wasm calls not inlined
  "--stress-compaction --no-turbo-inline-js-wasm-calls|"
  "--always-turbofan|"                             # everything optimized at once
  "--no-maglev --turbofan|"                        # TurboFan as the only optimizing tier
  "--no-opt|"                                      # no optimizing compiler
  "--jitless|1000"                                 # control: no JIT, and so no WebAssembly (fails)
)

for node in "${NODES[@]}"; do
  for kind in externref i32 externref-pair; do soak --node "$node" --case "min-$kind" --runs "$MIN_RUNS"; done
  soak --node "$node" --case path --runs "$MIN_RUNS"
done
for kind in externref i32 externref-pair; do soak --workerd --case "min-$kind" --runs "$MIN_RUNS"; done

soak --node "$NODE20" --runs "$RUNS_NODE20"
for node in "${NODES[@]:1}"; do soak --node "$node" --runs "$RUNS"; done
soak --workerd --runs "$RUNS"

for node in "${NODES[@]}"; do
  for variant in "${VARIANTS[@]}"; do
    flags=${variant%|*} calls=${variant##*|}
    soak --node "$node" --flags "$flags" --runs "$VARIANT_RUNS" ${calls:+--calls "$calls"}
  done
done

node "$BENCH/soak.mjs" --summarize "$OUT/runs.jsonl" | tee "$OUT/summary.md"
# Crashes of the scenario (not of the minimal case, which crashes where the bug is present).
if grep '"outcome":"crash"' "$OUT/runs.jsonl" | grep -q '"case":"scenario"'; then
  echo "soak: the scenario crashed (see $OUT/crash-*.log)"
  exit 1
fi
echo "soak: the scenario did not crash ($OUT)"
