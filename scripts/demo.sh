#!/usr/bin/env bash
# One command for a running platform with a demo community: installs what is missing, creates and
# migrates the database, seeds, starts API (+ public repository + console) and worker on one origin.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh
bash scripts/ensure-node-deps.sh
# (re)build the console when there is no build or its sources changed since
if [ ! -f apps/console/dist/index.html ] || [ -n "$(find apps/console/src apps/console/index.html -newer apps/console/dist/index.html -print -quit)" ]; then
  echo "building the console..."; npm run --silent console:build >/dev/null
fi
# (re)build the CLI bundle (what `npm run cli` runs) when there is none or its sources changed since
if [ ! -f dist/cli/anchorage.cjs ] || [ -n "$(find apps/cli/src libs/*/src -name '*.ts' -newer dist/cli/anchorage.cjs -print -quit)" ]; then
  npm run --silent cli:build >/dev/null
fi

export ANCHORAGE_DATA_DIR="${ANCHORAGE_DATA_DIR:-$(pwd)/.data}"
export ANCHORAGE_DATABASE_URL="${ANCHORAGE_DATABASE_URL:-postgresql://postgres@localhost:5432/anchorage_demo}"
export ANCHORAGE_REDIS_URL="${ANCHORAGE_REDIS_URL:-redis://localhost:6379/1}"
export ANCHORAGE_PORT="${ANCHORAGE_PORT:-3000}"
export ANCHORAGE_HOST="${ANCHORAGE_HOST:-127.0.0.1}"
export ANCHORAGE_PUBLIC_BASE_URL="${ANCHORAGE_PUBLIC_BASE_URL:-http://localhost:${ANCHORAGE_PORT}}"
# The CA keys, the audit key and the KEK are the signer process's alone: the API and the worker reach
# it over its socket with the signer token, and seal sessions and secrets with a web key of their own.
KEK_FILE="${ANCHORAGE_KEK_FILE:-$ANCHORAGE_DATA_DIR/kek}"
unset ANCHORAGE_KEK_FILE
export ANCHORAGE_KEY_DIR="${ANCHORAGE_KEY_DIR:-$ANCHORAGE_DATA_DIR/keys}"
export ANCHORAGE_SIGNER_SOCKET="${ANCHORAGE_SIGNER_SOCKET:-$ANCHORAGE_DATA_DIR/signer.sock}"
export ANCHORAGE_SIGNER_TOKEN_FILE="${ANCHORAGE_SIGNER_TOKEN_FILE:-$ANCHORAGE_DATA_DIR/signer-token}"
export ANCHORAGE_WEB_KEY_FILE="${ANCHORAGE_WEB_KEY_FILE:-$ANCHORAGE_DATA_DIR/web-key}"
export ANCHORAGE_PUBLISH_DIR="${ANCHORAGE_PUBLISH_DIR:-$ANCHORAGE_DATA_DIR/publish}"
export ANCHORAGE_CONSOLE_DIR="${ANCHORAGE_CONSOLE_DIR:-$(pwd)/apps/console/dist}"
export DEMO_SMTP_PORT="${DEMO_SMTP_PORT:-2525}"
export ANCHORAGE_SMTP_URL="${ANCHORAGE_SMTP_URL:-smtp://127.0.0.1:${DEMO_SMTP_PORT}}"
export ANCHORAGE_CONSOLE_URL="${ANCHORAGE_CONSOLE_URL:-http://localhost:${ANCHORAGE_PORT}}"
export ANCHORAGE_METRICS_PORT="${ANCHORAGE_METRICS_PORT:-9464}"
export ANCHORAGE_QUEUE_PREFIX="${ANCHORAGE_QUEUE_PREFIX:-anchorage-demo}"
mkdir -p "$ANCHORAGE_DATA_DIR"
mkdir -p -m 700 "$ANCHORAGE_KEY_DIR"
# 32 random bytes as one base64 line, owner-only: the format every key file of the platform uses
# demo data from before the web key existed sealed its secrets under the KEK: keep them opening
[ -f "$ANCHORAGE_WEB_KEY_FILE" ] || [ ! -f "$KEK_FILE" ] || (umask 077; cp "$KEK_FILE" "$ANCHORAGE_WEB_KEY_FILE")
for f in "$KEK_FILE" "$ANCHORAGE_SIGNER_TOKEN_FILE" "$ANCHORAGE_WEB_KEY_FILE"; do
  [ -f "$f" ] || (umask 077; head -c 32 /dev/urandom | base64 > "$f")
done

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

rm -f "$ANCHORAGE_DATA_DIR/signer.log"
ANCHORAGE_KEK_FILE="$KEK_FILE" node -r ./scripts/register.cjs apps/signer/src/main.ts > "$ANCHORAGE_DATA_DIR/signer.log" 2>&1 & pids+=($!)
for _ in $(seq 1 60); do
  grep -q "listening on" "$ANCHORAGE_DATA_DIR/signer.log" 2>/dev/null && break
  if ! kill -0 "${pids[0]}" 2>/dev/null; then echo "the signer did not start:"; cat "$ANCHORAGE_DATA_DIR/signer.log"; exit 1; fi
  sleep 0.5
done

node -r ./scripts/register.cjs scripts/demo-seed.ts

node -r ./scripts/register.cjs scripts/demo-mail.ts > "$ANCHORAGE_DATA_DIR/mail.log" 2>&1 & pids+=($!)
node -r ./scripts/register.cjs apps/api/src/main.ts > "$ANCHORAGE_DATA_DIR/api.log" 2>&1 & pids+=($!)
node -r ./scripts/register.cjs apps/worker/src/main.ts > "$ANCHORAGE_DATA_DIR/worker.log" 2>&1 & pids+=($!)

base="http://${ANCHORAGE_HOST}:${ANCHORAGE_PORT}"
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "$base/api/docs/openapi.json" 2>/dev/null && break
  if ! kill -0 "${pids[2]}" 2>/dev/null; then echo "the API did not start:"; cat "$ANCHORAGE_DATA_DIR/api.log"; exit 1; fi
  sleep 0.5
done
ids() { node -e "const d=require('$ANCHORAGE_DATA_DIR/demo.json'); console.log(d['$1'])"; }
token=$(cat "$ANCHORAGE_DATA_DIR/operator-token")
# the root's SHA-256 fingerprint, of the certificate the public repository serves: what relying parties
# and operators check it against (`anchorage bootstrap --fingerprint`, or openssl x509 -fingerprint -sha256)
root_sha256=$(curl -fsS "$base/pki/ca/$(ids rootCaId).cer" | node -e "const b=[];process.stdin.on('data',(d)=>b.push(d)).on('end',()=>console.log(require('node:crypto').createHash('sha256').update(Buffer.concat(b)).digest('hex')))")
cat <<TXT

Anchorage is running with the demo community "Demo Health Network" (udap://demo.anchorage.test/).

  Console            $base/
  Admin API          $base/api/v1     (OpenAPI: $base/api/docs)
  Root CA            $ANCHORAGE_PUBLIC_BASE_URL/pki/ca/$(ids rootCaId).cer
  Root SHA-256       $(echo "$root_sha256" | tr a-f A-F | sed 's/../&:/g; s/:$//')
  Issuing CA CRL     $ANCHORAGE_PUBLIC_BASE_URL/pki/crl/$(ids issuingCaId).crl
  Trust bundle       $ANCHORAGE_PUBLIC_BASE_URL/pki/communities/$(ids communityId)/trust-bundle.pem
  Worker metrics     http://127.0.0.1:${ANCHORAGE_METRICS_PORT}/metrics   (health: /healthz; queues in the console)

  Sign in to the console (one user of each role; passwords are in $ANCHORAGE_DATA_DIR/demo-users.json):
$(node -e "for (const l of require('$ANCHORAGE_DATA_DIR/demo-users.json')) console.log('    ' + l.role.padEnd(13) + ' ' + l.email.padEnd(30) + ' password ' + l.password)")
    The operator and the auditor also need a TOTP code: add their secret to an authenticator app,
$(node -e "const l=require('$ANCHORAGE_DATA_DIR/demo-users.json').filter((u) => u.totpSecret); console.log(l.length ? l.map((u) => '    ' + u.role.padEnd(13) + ' ' + u.totpSecret + '   (' + u.otpauthUri + ')').join('\\n') : '    (set by an earlier demo run)')")
    or print the current codes with: npm run demo:totp

  Operator API token (CLI, and the console's "API token" sign-in):
    $token

  CLI:  ANCHORAGE_API_TOKEN=$token npm run cli -- audit verify
        npm run cli -- --api-url $base bootstrap --community $(ids communityId) --fingerprint $root_sha256
        (trusts the root after checking its fingerprint, and keeps the API URL for later calls)
  E-mail (invitations, expiry notices) goes to a local mail catcher: $ANCHORAGE_DATA_DIR/mail/ and $ANCHORAGE_DATA_DIR/mail.log
  Logs: $ANCHORAGE_DATA_DIR/api.log, worker.log, signer.log (the signer alone holds the CA keys)      Stop: Ctrl-C
TXT
wait -n "${pids[@]}"
