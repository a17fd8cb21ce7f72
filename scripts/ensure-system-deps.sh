#!/usr/bin/env bash
# Installs the system tools the tests and the demo rely on, from Debian's packages:
# OpenSSL (independent verifier of every certificate and CRL), SoftHSM2 (PKCS#11 signer tests),
# redis-server (fault tests run a Redis of their own to stop and restart) and Java's keytool (a second
# PKCS#12 reader).
set -euo pipefail
need=()
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v softhsm2-util >/dev/null 2>&1 || need+=(softhsm2)
command -v psql >/dev/null 2>&1 || need+=(postgresql-client)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server) # fault tests stop and restart a Redis of their own
command -v keytool >/dev/null 2>&1 || need+=(openjdk-17-jre-headless) # Java's keytool reads every PKCS#12 the platform builds
if [ ${#need[@]} -gt 0 ]; then
  echo "installing system packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${need[@]}" >/dev/null
fi
