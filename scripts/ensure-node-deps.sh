#!/usr/bin/env bash
# Installs npm dependencies when missing or older than the lockfile, then generates the Prisma client.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi
bash scripts/prisma-generate.sh
