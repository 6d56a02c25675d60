#!/bin/sh
# One-shot set-up of a new exchange: the development PKI in $RABT_PKI (default /pki) and the
# exchange's database with its first operator (`rabt init`). Runs once: a second run finds the
# marker file and leaves everything as it is, so `docker compose up` can be repeated.
#
#   RABT_DATABASE=postgres://rabt:secret@postgres:5432/rabt pki-init.sh
#
# RABT_DNS_NAMES (default "rabt"): the names clients reach the broker by, written into Rabt's
# server certificate next to localhost/127.0.0.1/::1. The sample providers' certificates name
# their compose services, moj and rop. Development only: every key lands in one shared folder.
set -eu
pki=${RABT_PKI:-/pki}
database=${RABT_DATABASE:?set RABT_DATABASE to the exchange database (postgres://… or an SQLite file)}
marker=$pki/.rabt-initialised

if [ -f "$marker" ]; then
    echo "pki-init: $pki already holds an initialised exchange ($(cat "$marker")); nothing to do"
    exit 0
fi

set --
for name in ${RABT_DNS_NAMES:-rabt}; do set -- "$@" --dns-name "$name"; done
# The consumer agency mol comes with the PKI, as in scripts/onboarding.sh; the two providers are
# issued afterwards, each with the DNS name its sample service is reached by.
rabt pki create --out "$pki" --agency mol "$@"
rabt pki issue --pki "$pki" --agency moj:ecdsa-p256-sha256 --dns-name moj
rabt pki issue --pki "$pki" --agency rop:rsa-pss-sha512 --dns-name rop
rabt init --pki "$pki" --database "$database"
date -u +%Y-%m-%dT%H:%M:%SZ > "$marker"
echo "pki-init: exchange initialised; operator certificate $pki/operators/operator.pem"
