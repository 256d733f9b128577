#!/usr/bin/env bash
# swf-edge vs its peers: bash bench/run.sh [--smoke|--full]   (default --full)
#   --smoke  tiny counts + assertions, < ~1 min: what the test suite runs
#   --full   the README numbers, < ~5 min on 2 cores
# Installs bench/node_modules with `npm ci` when missing or stale; needs pkg/dist built
# (bash scripts/build.sh). Only 127.0.0.1 is contacted.
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"

MODE=--full
for arg in "$@"; do
  case "$arg" in
    --smoke|--full) MODE=$arg ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown argument '$arg' (use --smoke or --full)" >&2; exit 2 ;;
  esac
done

for f in swf_edge.js swf_edge_bg.wasm; do
  if [[ ! -s "$ROOT/pkg/dist/$f" ]]; then
    echo "bench/run.sh: pkg/dist/$f is missing: build the package first (bash scripts/build.sh, or make build)" >&2
    exit 2
  fi
done

command -v node >/dev/null || { echo "bench/run.sh: node is not on PATH" >&2; exit 2; }
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]')
if (( NODE_MAJOR < 20 )); then
  echo "bench/run.sh: Node >= 20 required, found $(node --version)" >&2
  exit 2
fi

# node_modules is fresh when it was installed by `npm ci` from this exact lockfile.
STAMP="$BENCH/node_modules/.bench-lock.sha256"
want=$(sha256sum "$BENCH/package.json" "$BENCH/package-lock.json" | sha256sum | cut -d' ' -f1)
have=$(cat "$STAMP" 2>/dev/null || true)
if [[ "$want" != "$have" || ! -e "$BENCH/node_modules/swf-edge/package.json" ]]; then
  echo "bench/run.sh: installing bench/node_modules (npm ci)" >&2
  (cd "$BENCH" && npm ci --no-audit --no-fund --loglevel=error >&2)
  echo "$want" > "$STAMP"
fi

cd "$ROOT"
node "$BENCH/bench.mjs" "$MODE"
# The durable activity worker (swf-edge/worker): its own script, see bench/README.md.
node "$BENCH/durable.mjs" "$MODE"
