#!/usr/bin/env bash
# Creates a private SoftHSM2 configuration and initializes one token in it, for the PKCS#11 signer
# tests and the demo. Prints the path of the configuration file on stdout (the only stdout line), so
# callers can do: export SOFTHSM2_CONF="$(scripts/softhsm-setup.sh DIR LABEL PIN SOPIN)".
#
# Usage: scripts/softhsm-setup.sh <dir> <tokenLabel> <pin> <soPin>
#   <dir>         directory to hold softhsm2.conf and tokens/ (created if missing; re-running is safe:
#                 an existing token with the same label is kept as it is)
#   <tokenLabel>  label of the new token (max 32 characters)
#   <pin>         user PIN (4..255 characters); <soPin> security officer PIN (same rule)
# The PINs are passed on softhsm2-util's command line (visible in the process list of this host);
# acceptable for test and demo tokens, not for a production HSM.
set -euo pipefail

if [ "$#" -ne 4 ]; then
  echo "usage: $0 <dir> <tokenLabel> <pin> <soPin>" >&2
  exit 2
fi
dir="$1"; label="$2"; pin="$3"; so_pin="$4"

if ! command -v softhsm2-util >/dev/null 2>&1; then
  echo "softhsm2-util not found: installing softhsm2" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq softhsm2 >&2
fi

mkdir -p "$dir/tokens"
chmod 700 "$dir/tokens"
dir="$(cd "$dir" && pwd)"
conf="$dir/softhsm2.conf"
umask 077
cat >"$conf" <<CONF
# Written by scripts/softhsm-setup.sh
directories.tokendir = $dir/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
CONF

# Re-running on the same directory keeps the existing token (and its keys and PINs) instead of adding
# a second token with the same label, which the PKCS#11 backend would refuse as ambiguous.
existing_labels() {
  SOFTHSM2_CONF="$conf" softhsm2-util --show-slots 2>/dev/null |
    awk '/^[[:space:]]*Label:/ { sub(/^[[:space:]]*Label:[[:space:]]*/, ""); sub(/[[:space:]]+$/, ""); print }'
}
labels="$(existing_labels || true)"
if grep -Fx -- "$label" <<<"$labels" >/dev/null; then
  echo "token '$label' already exists in $dir/tokens; left unchanged (PINs not modified)" >&2
else
  SOFTHSM2_CONF="$conf" softhsm2-util --init-token --free --label "$label" --pin "$pin" --so-pin "$so_pin" >&2
  echo >&2
fi
echo "$conf"
