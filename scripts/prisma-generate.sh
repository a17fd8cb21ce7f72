#!/usr/bin/env bash
# Generates the typed Prisma client into libs/db/src/generated. The client of Prisma 7 needs no
# native engine; `generate` only checks that a schema-engine path is set, so point it at a stub
# instead of letting the CLI download a binary (the schema engine is only used by `migrate`,
# which libs/db replaces with its own runner of the same SQL files).
set -euo pipefail
cd "$(dirname "$0")/.."
export PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-$(pwd)/scripts/no-schema-engine.sh}"
export PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1
out=$(npx --no-install prisma generate 2>&1) || { echo "$out" >&2; exit 1; }
