#!/usr/bin/env bash
# `make demo` (after setup and build): see scripts/demo.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
node scripts/demo.mjs
