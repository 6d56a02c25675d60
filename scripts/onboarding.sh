#!/usr/bin/env bash
# The README's operator walkthrough, step by step, with the CLI only: a new exchange, then a
# provider agency (moj) and a consumer agency (mol) onboarded end to end, and their first
# exchange. Everything runs on 127.0.0.1 in a scratch folder.
#
#   scripts/onboarding.sh [RABT_BINARY]     (default: .build/debug/rabt)
#
# Used by the tests (OnboardingScriptTests) so the walkthrough keeps working from a fresh clone.
set -euo pipefail
rabt=$(realpath "${1:-.build/debug/rabt}")
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# Waits until a TLS server that wants client certificates of the exchange CA answers.
wait_for() {
    for _ in $(seq 1 150); do
        curl -s -o /dev/null --cacert certs/dev/ca.pem --cert certs/dev/operators/operator.pem \
            --key certs/dev/operators/operator-key.pem "$1" && return 0
        sleep 0.2
    done
    echo "nothing answers at $1" >&2; cat ./*.log >&2; exit 1
}
step() { printf '\n== %s\n' "$*"; }
broker_port=$(free_port)
moj_port=$(free_port)

step "1. A new exchange: development PKI, database with its first operator, the broker"
"$rabt" pki create --out certs/dev --agency mol
"$rabt" init --pki certs/dev --database rabt.sqlite
# --allow-private-endpoints: the provider below listens on 127.0.0.1, as in development only.
"$rabt" serve --pki certs/dev --database rabt.sqlite --port "$broker_port" --allow-private-endpoints > broker.log 2>&1 &
pids+=($!)
wait_for "https://127.0.0.1:$broker_port/health"
"$rabt" config set-context ops --config rabt.yaml --broker "https://127.0.0.1:$broker_port" --ca certs/dev/ca.pem \
    --cert certs/dev/operators/operator.pem --key certs/dev/operators/operator-key.pem --use
export RABT_CONFIG=$work/rabt.yaml
"$rabt" principal add --role auditor --certificate certs/dev/auditors/auditor.pem

step "2. Provider moj: certificate, agency, signature key, its service, endpoint, contract"
"$rabt" pki issue --pki certs/dev --agency moj:ecdsa-p256-sha256
"$rabt" agency add moj --name "Ministry of Justice"
"$rabt" key add moj --key-id moj-signing --algorithm ecdsa-p256-sha256 \
    --public-key certs/dev/agencies/moj-signing.pub.pem
"$rabt" sample-provider moj --pki certs/dev --port "$moj_port" > moj.log 2>&1 &
pids+=($!)
wait_for "https://127.0.0.1:$moj_port/"
"$rabt" endpoint set moj --url "https://127.0.0.1:$moj_port"
"$rabt" endpoint test moj
"$rabt" contract publish "$repo/contracts/moj/criminal-record-certificate.v1.yaml"

step "3. Consumer mol: agency and signature key (its certificate came with the PKI); the grant"
"$rabt" agency add mol --name "Ministry of Labour"
"$rabt" key add mol --key-id mol-signing --algorithm ed25519 --public-key certs/dev/agencies/mol-signing.pub.pem
"$rabt" grant list --provider moj

step "4. The first exchange: mol asks moj for a certificate, signed, and checks Rabt's receipt"
"$rabt" call POST moj/criminal-record-certificate/certificates --as mol --pki certs/dev \
    --broker "https://127.0.0.1:$broker_port" \
    --data '{"applicant": {"nationalId": "9861034521", "fullName": {"first": "Layla", "father": "Omar", "grandfather": "Khalil", "family": "Haddad"}, "dateOfBirth": "1986-04-17"}, "purpose": "work-permit", "caseReference": "MOL-2026-118204"}'

step "5. The same request asynchronously: 202 at once, then polled until delivered"
request='{"applicant": {"nationalId": "9751122334", "fullName": {"first": "Yousef", "family": "Nasser"}, "dateOfBirth": "1975-11-02"}, "purpose": "work-permit", "caseReference": "MOL-2026-118205"}'
accepted=$("$rabt" call POST moj/criminal-record-certificate/certificates --as mol --pki certs/dev \
    --broker "https://127.0.0.1:$broker_port" --header "Prefer: respond-async" --data "$request")
echo "$accepted"
id=$(echo "$accepted" | sed -n 's/^Exchange-Id: //p')
for _ in $(seq 1 50); do
    status=$("$rabt" call GET "messages/$id" --as mol --pki certs/dev --broker "https://127.0.0.1:$broker_port")
    echo "$status" | grep -q '"state":"delivered"' && break
    sleep 0.2
done
echo "$status"
echo "$status" | grep -q '"state":"delivered"'
"$rabt" message list

step "6. The auditor sees it all, and the log verifies"
"$rabt" audit search --provider moj --ca certs/dev/ca.pem --cert certs/dev/auditors/auditor.pem \
    --key certs/dev/auditors/auditor-key.pem
"$rabt" audit verify --live --public-key certs/dev/rabt-audit.pub.pem --ca certs/dev/ca.pem \
    --cert certs/dev/auditors/auditor.pem --key certs/dev/auditors/auditor-key.pem
echo
echo "onboarding walkthrough completed"
