#!/usr/bin/env bash
# Installs npm dependencies when missing or older than the lockfile, then generates the Prisma client.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "installing npm dependencies"
  # `npm install` with the committed lockfile, not `npm ci`: npm 11 writes lockfiles without other
  # platforms' optional packages (@swc/core-darwin-*, @rollup/rollup-win32-*), which `npm ci` then
  # refuses as out of sync; `npm install` installs the locked versions all the same.
  npm install --no-audit --no-fund --loglevel=error
fi
bash scripts/prisma-generate.sh
