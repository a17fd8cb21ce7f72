#!/usr/bin/env bash
# Benchmarks (bench/*.bench.ts), in order, then a summary table also written to bench/results/latest.md.
# Every figure is a ratio against a baseline measured in the same run; a missed target never fails the
# run, an error does. BENCH_QUICK=1 shrinks sizes (1k/10k entries, fewer requests) for a run of a few
# minutes. Arguments pick benchmarks by name, e.g. `bash scripts/bench.sh crl crl-serving`.
# Needs: openssl, PostgreSQL on localhost:5432 with trust auth (BENCH_ADMIN_URL to change) and, for
# bulk-revocation and endpoint-monitor, Redis on localhost:6379 (BENCH_REDIS_URL; its keys get a prefix of their own); each
# benchmark creates a database of its own and drops it at the end. Everything stays on 127.0.0.1.
# stepca-issuance first builds step-ca offline from Debian's packages (scripts/build-step-ca.sh, skipped
# when up to date); without Go or those packages it is skipped with a message, the others still run.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v openssl >/dev/null || { echo "bench: openssl is required (bash scripts/ensure-system-deps.sh)" >&2; exit 1; }
[ -f libs/db/src/generated/prisma/client.ts ] || { echo "bench: dependencies are missing (bash scripts/ensure-node-deps.sh)" >&2; exit 1; }
node -r ./scripts/register.cjs -e "
  const { Client } = require('pg');
  const c = new Client({ connectionString: process.env.BENCH_ADMIN_URL || 'postgresql://postgres@localhost:5432/postgres' });
  c.connect().then(() => c.end()).catch((e) => { console.error('bench: PostgreSQL is not reachable: ' + e.message); process.exit(1); });
"

all=(issuance api-issuance crl revocation-latency crl-serving bulk-revocation sign-in-timing stepca-issuance signer-socket issuance-during-crl endpoint-monitor cli-startup)
if [ $# -gt 0 ]; then benches=("$@"); else benches=("${all[@]}"); fi
for b in "${benches[@]}"; do
  [ -f "bench/$b.bench.ts" ] || { echo "bench: no benchmark bench/$b.bench.ts (have: ${all[*]})" >&2; exit 1; }
done

BENCH_RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/anchorage-bench-run.XXXXXX")
export BENCH_RUN_DIR
trap 'rm -rf "$BENCH_RUN_DIR"' EXIT

echo "bench: $([ "${BENCH_QUICK:-}" = 1 ] && echo quick || echo full) run of ${benches[*]}"
start=$(date +%s)
failed=()
for b in "${benches[@]}"; do
  [ "$b" = stepca-issuance ] || continue
  echo
  echo "== step-ca for bench/stepca-issuance.bench.ts"
  set +e
  bash scripts/build-step-ca.sh
  rc=$?
  set -e
  if [ $rc -ne 0 ]; then
    if [ $rc -eq 3 ]; then why="Go or Debian's step-ca sources are unavailable (packages golang-go, golang-github-smallstep-certificates-dev)"
    else why="scripts/build-step-ca.sh failed (exit $rc)"; fi
    echo "bench: stepca-issuance will be skipped: $why" >&2
    export BENCH_STEPCA_SKIP="$why"
  fi
done
for b in "${benches[@]}"; do
  echo
  echo "== bench/$b.bench.ts"
  t0=$(date +%s)
  if node -r ./scripts/register.cjs "bench/$b.bench.ts"; then
    echo "(bench/$b.bench.ts took $(( $(date +%s) - t0 )) s)"
  else
    echo "bench: bench/$b.bench.ts FAILED" >&2
    failed+=("$b")
  fi
done
node -r ./scripts/register.cjs bench/summary.ts "$BENCH_RUN_DIR" "$(( $(date +%s) - start ))" "${failed[*]:-}"
[ ${#failed[@]} -eq 0 ]
