#!/usr/bin/env bash
# Builds step-ca for bench/stepca-issuance.bench.ts into bench/.peers/bin/step-ca (git-ignored), offline,
# from Debian's packages only: golang-go (Go 1.19) and golang-github-smallstep-certificates-dev (step-ca
# 0.19.0 as Go source, with its dependencies under /usr/share/gocode). Debian ships no cmd/step-ca, so
# the entry point is the project's bench/peers/step-ca/main.go. GOPATH mode, no module proxy, no network.
# Idempotent: the build is skipped while the binary is newer than main.go, this script and the
# installed Go sources. Exit codes: 0 built or up to date, 3 Go or the step-ca sources are unavailable
# (the benchmark is then skipped), anything else a failed build.
# Env: STEP_CA_NO_INSTALL=1 to never run apt-get (just report what is missing).
set -euo pipefail
self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$(dirname "$0")/.."

src=bench/peers/step-ca
out=bench/.peers/bin/step-ca
gocode=/usr/share/gocode
pkgdir=$gocode/src/github.com/smallstep/certificates

have_deps() { command -v go >/dev/null 2>&1 && [ -d "$pkgdir/commands" ]; }

if ! have_deps && [ "${STEP_CA_NO_INSTALL:-}" != 1 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "build-step-ca: installing golang-go and golang-github-smallstep-certificates-dev (Debian packages)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=300 install -y golang-go golang-github-smallstep-certificates-dev >/dev/null ||
      { apt-get -o DPkg::Lock::Timeout=300 update >/dev/null &&
        apt-get -o DPkg::Lock::Timeout=300 install -y golang-go golang-github-smallstep-certificates-dev >/dev/null; } ||
      echo "build-step-ca: apt-get could not install the packages" >&2
  fi
fi
if ! have_deps; then
  echo "build-step-ca: Go or Debian's step-ca sources are unavailable (need packages golang-go and golang-github-smallstep-certificates-dev)" >&2
  exit 3
fi

# Up to date? The binary must be newer than the entry point and this script, and no installed Go source may
# have changed since (-cnewer: dpkg keeps the packaged mtimes, the change time is the install time).
if [ -x "$out" ] && [ "$out" -nt "$src/main.go" ] && [ "$out" -nt "$self" ] && [ "$out" -nt "$pkgdir/commands/app.go" ] &&
   [ -z "$(find "$gocode/src" -cnewer "$out" -name '*.go' -print -quit 2>/dev/null)" ]; then
  echo "build-step-ca: $out is up to date ($("$out" --version 2>/dev/null | head -1))"
  exit 0
fi

mkdir -p "$(dirname "$out")" bench/.peers/gocache bench/.peers/gopath
echo "build-step-ca: building $out from $src with $(go version | cut -d' ' -f3) (GOPATH mode, offline)"
t0=$(date +%s)
# Each build writes to a temporary name first, so a concurrent run never sees half a binary.
tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT
env GO111MODULE=off GOPROXY=off GOFLAGS= GOSUMDB=off CGO_ENABLED=0 \
  GOPATH="$PWD/bench/.peers/gopath:$gocode" GOCACHE="$PWD/bench/.peers/gocache" \
  go build -trimpath -o "$tmp" "./$src"
mv -f "$tmp" "$out"
echo "build-step-ca: built $out in $(( $(date +%s) - t0 )) s ($("$out" --version 2>/dev/null | head -1))"
