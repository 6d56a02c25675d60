#!/bin/sh
# One-shot onboarding of the sample agencies through the load balancer, with the `rabt` admin CLI
# only and the same commands as scripts/onboarding.sh: the auditor, the providers moj and rop
# (agency, signature key, endpoint, endpoint test, contract) and the consumer mol (agency, key).
# Runs once: when mol is already registered it changes nothing.
#
#   RABT_BROKER=https://rabt:8443 onboard.sh
#
# RABT_PKI (default /pki) is the development PKI made by pki-init.sh, RABT_CONTRACTS (default
# /usr/share/rabt/contracts) the repository's contracts/ folder, RABT_MOJ_URL and RABT_ROP_URL
# (default https://moj:9443 and https://rop:9443) the sample providers as the nodes reach them.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
pki=${RABT_PKI:-/pki}
contracts=${RABT_CONTRACTS:-/usr/share/rabt/contracts}
moj_url=${RABT_MOJ_URL:-https://moj:9443}
rop_url=${RABT_ROP_URL:-https://rop:9443}
# The operator registered by `rabt init`; flags and RABT_* variables are how scripts name it.
export RABT_BROKER="${RABT_BROKER:-https://rabt:8443}"
export RABT_CA="$pki/ca.pem" RABT_CERT="$pki/operators/operator.pem" RABT_KEY="$pki/operators/operator-key.pem"

step() { printf '\n== %s\n' "$*"; }
# Bounded wait (RABT_WAIT_SECONDS, default 60) for something healthcheck.sh accepts.
wait_for() {
    tries=${RABT_WAIT_SECONDS:-60}
    while ! "$here/healthcheck.sh" "$@" 2>/dev/null; do
        tries=$((tries - 1))
        if [ "$tries" -le 0 ]; then echo "onboard: nothing healthy answers at $*" >&2; exit 1; fi
        sleep 1
    done
}

step "Waiting for the broker behind $RABT_BROKER and the sample providers"
wait_for "$RABT_BROKER/health/ready" "$RABT_CERT" "$RABT_KEY"
wait_for --answers "$moj_url/" "$pki/agencies/moj.pem" "$pki/agencies/moj-key.pem"
wait_for --answers "$rop_url/" "$pki/agencies/rop.pem" "$pki/agencies/rop-key.pem"

set +e
rabt agency show mol > /dev/null 2>&1
found=$?
set -e
case $found in
    0) echo "onboard: mol is already registered; nothing to do"; exit 0 ;;
    1) ;;
    *) echo "onboard: cannot ask the broker whether mol is registered (exit $found)" >&2; exit 1 ;;
esac

step "The auditor"
rabt principal add --role auditor --certificate "$pki/auditors/auditor.pem"

step "Provider moj: agency, signature key, endpoint, contract"
rabt agency add moj --name "Ministry of Justice"
rabt key add moj --key-id moj-signing --algorithm ecdsa-p256-sha256 --public-key "$pki/agencies/moj-signing.pub.pem"
rabt endpoint set moj --url "$moj_url"
rabt endpoint test moj
rabt contract publish "$contracts/moj/criminal-record-certificate.v1.yaml"

step "Provider rop: agency, signature key, endpoint, contract"
rabt agency add rop --name "Royal Police, Traffic Directorate"
rabt key add rop --key-id rop-signing --algorithm rsa-pss-sha512 --public-key "$pki/agencies/rop-signing.pub.pem"
rabt endpoint set rop --url "$rop_url"
rabt endpoint test rop
rabt contract publish "$contracts/rop/traffic-violations.v1.yaml"

step "Consumer mol: agency and signature key; its grants come from the contracts"
rabt agency add mol --name "Ministry of Labour"
rabt key add mol --key-id mol-signing --algorithm ed25519 --public-key "$pki/agencies/mol-signing.pub.pem"
rabt grant list --provider moj
rabt grant list --provider rop

echo
echo "onboard: the exchange is ready behind $RABT_BROKER"
