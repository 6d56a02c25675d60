#!/bin/sh
# Asks a TLS server of the exchange whether it is up, the way the exchange's own clients reach it:
# the server certificate checked against the exchange CA and its host name, and a client
# certificate of the exchange CA presented (Rabt asks every client for one, even on /health).
#
#   healthcheck.sh URL [CERT KEY]          2xx from URL, e.g. https://localhost:8443/health/ready
#   healthcheck.sh --answers URL [CERT KEY] any HTTP answer over that TLS connection (a provider's /)
#
# CERT and KEY default to Rabt's own client certificate in the development PKI ($RABT_PKI, /pki).
# Used by the image's HEALTHCHECK, by compose.yaml, by onboard.sh and by rehearse.sh.
set -eu
any_status=false
if [ "${1:-}" = "--answers" ]; then any_status=true; shift; fi
url=${1:?usage: healthcheck.sh [--answers] URL [CERT KEY]}
pki=${RABT_PKI:-/pki}
cert=${2:-$pki/rabt.pem}
key=${3:-$pki/rabt-key.pem}
if $any_status; then
    # curl exits 0 on any HTTP status without --fail: a TLS or connect failure is what counts.
    exec curl -s -o /dev/null --max-time 5 --cacert "$pki/ca.pem" --cert "$cert" --key "$key" "$url"
fi
exec curl -fsS -o /dev/null --max-time 5 --cacert "$pki/ca.pem" --cert "$cert" --key "$key" "$url"
