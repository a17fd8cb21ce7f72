#!/usr/bin/env bash
# The whole test suite: system tools, dependencies, generated client, typecheck, lint, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh
bash scripts/ensure-chromium.sh
bash scripts/ensure-node-deps.sh
echo "== typecheck"; npx --no-install tsc -p tsconfig.json --noEmit
npm run --silent console:typecheck
echo "== lint"; NX_DAEMON=false npx --no-install nx show projects >/dev/null  # builds the project graph the boundary rule reads
npx --no-install eslint apps libs
echo "== tests"; npx --no-install jest --ci "$@"
