#!/usr/bin/env bash
# The operator dashboard (www/) against a local SWF: see scripts/dashboard.mjs.
# Options are passed through, e.g. `bash scripts/dashboard.sh --worker --port 8790`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
exec node scripts/dashboard.mjs "$@"
