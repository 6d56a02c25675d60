#!/usr/bin/env bash
# Rehearses docker/compose.yaml on a machine without Docker, with the same commands on loopback:
#
#   1. the Dockerfile's build stage, from a fresh `git clone` of this checkout (what is committed,
#      as a user's clone has it: no Package.resolved, no .build): scripts/docker-context.py, then
#      a release build of the `rabt` product with the static Swift standard library, laid out as
#      the runtime image lays it out (binary, resource bundles, contracts, the docker/*.sh
#      scripts), its shared libraries checked against the runtime image's packages, and
#      `rabt demo` run there from a folder without contracts, as `docker run rabt demo` runs it;
#   2. the compose services: PostgreSQL (scripts/postgres-test.sh), the `pki` job (pki-init.sh,
#      twice: the second run must change nothing), the broker nodes (`rabt serve`, checked with
#      the image's HEALTHCHECK command), the sample providers moj and rop, nginx with
#      docker/nginx.conf in front, the `onboard` job (onboard.sh, twice);
#   3. the first exchanges through the load balancer, as docker/README.md documents them, with the
#      host names the compose network uses (rabt, moj, rop) checked against the certificates.
#
#   docker/rehearse.sh                    PostgreSQL, two nodes (needs `rabt serve` on PostgreSQL)
#   REHEARSE_DATABASE=sqlite docker/rehearse.sh   one node on an SQLite file (two nodes cannot share one)
#   RABT_DATABASE=postgres://… docker/rehearse.sh use that database instead of a throwaway one
#
# Every file it uses comes from the clone, never from the working tree: commit first.
# REHEARSE_RESOLVED=FILE rehearses a pinned build: FILE goes into the clone as Package.resolved and
# the build uses exactly its versions (--force-resolved-versions), as the Dockerfile does when the
# build context has one. REHEARSE_SCRATCH=DIR keeps SwiftPM's build folder there between runs, so
# the dependencies are not fetched and built again (the sources are still a fresh clone);
# REHEARSE_KEEP=1 leaves the scratch folder for inspection. Everything listens on 127.0.0.1, every
# wait is bounded, and whatever was started is stopped on exit.
set -euo pipefail

checkout=$(cd "$(dirname "$0")/.." && pwd)
mode=${REHEARSE_DATABASE:-postgres}
case $mode in
    postgres) nodes=2 ;;
    sqlite) nodes=1 ;;
    *) echo "rehearse: REHEARSE_DATABASE is postgres or sqlite" >&2; exit 2 ;;
esac

work=$(mktemp -d /tmp/rabt-rehearse.XXXXXX)
pids=()
postgres_dir=""
cleanup() {
    local status=$?
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ -n "$postgres_dir" ]; then "$repo/scripts/postgres-test.sh" stop "$postgres_dir" || true; fi
    if [ "$status" -ne 0 ]; then
        echo "rehearse: FAILED (exit $status); logs:" >&2
        for log in "$work"/logs/*.log; do [ -f "$log" ] && { echo "--- $log" >&2; tail -n 30 "$log" >&2; }; done
    fi
    if [ "${REHEARSE_KEEP:-0}" = 1 ]; then echo "rehearse: scratch folder kept: $work" >&2; else rm -rf "$work"; fi
    exit "$status"
}
trap cleanup EXIT
mkdir -p "$work/logs"
step() { printf '\n=== rehearse: %s\n' "$*"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# Bounded wait for something docker/healthcheck.sh accepts (what compose's healthchecks run).
wait_healthy() {
    for _ in $(seq 1 60); do
        "$image/usr/local/bin/healthcheck.sh" "$@" 2>/dev/null && return 0
        sleep 1
    done
    echo "rehearse: not healthy after 60 s: $*" >&2
    return 1
}

step "1. A fresh clone, and the Dockerfile's build stage"
repo=$work/src
git clone -q "$checkout" "$repo"
here=$repo/docker
echo "cloned $(git -C "$repo" rev-parse --short HEAD) into $repo"
if [ -n "$(git -C "$checkout" status --porcelain)" ]; then
    echo "rehearse: $checkout has uncommitted changes; they are not part of this rehearsal" >&2
fi
# The Dockerfile copies from the build context only what a fresh clone has.
python3 "$repo/scripts/docker-context.py"
build=(swift build -c release --product rabt --static-swift-stdlib)
[ -z "${REHEARSE_SCRATCH:-}" ] || build+=(--scratch-path "$REHEARSE_SCRATCH")
# The Dockerfile's `swift package resolve`: pinned versions exactly when there are any.
if [ -n "${REHEARSE_RESOLVED:-}" ]; then
    cp "$REHEARSE_RESOLVED" "$repo/Package.resolved"
    build+=(--force-resolved-versions)
    echo "pinned: the versions of $REHEARSE_RESOLVED"
fi
started=$(date +%s)
if ! (cd "$repo" && "${build[@]}") > "$work/logs/build.log" 2>&1; then
    echo "rehearse: the release build failed" >&2; exit 1
fi
echo "release build of rabt: $(($(date +%s) - started)) s ($(tail -n 1 "$work/logs/build.log"))"
bin=$(cd "$repo" && "${build[@]}" --show-bin-path)

# The runtime stage's COPY lines, into a folder standing for the image's file system.
image=$work/image
mkdir -p "$image/usr/local/bin" "$image/usr/share/rabt" "$image/pki"
cp "$bin/rabt" "$image/usr/local/bin/"
cp -R "$bin"/rabt_*.resources "$image/usr/local/bin/"
cp -R "$repo/contracts" "$image/usr/share/rabt/contracts"
cp "$here/healthcheck.sh" "$here/pki-init.sh" "$here/onboard.sh" "$image/usr/local/bin/"
export PATH="$image/usr/local/bin:$PATH"
echo "image layout: $(cd "$image/usr/local/bin" && echo *)"

# With --static-swift-stdlib the binary needs no Swift library; what it does need must come from
# the runtime image's packages (libcurl4, libsqlite3-0, libre2-9) or from the base image.
libraries=$(ldd "$image/usr/local/bin/rabt" | awk '$3 ~ /^\// {print $3}')
if ldd "$image/usr/local/bin/rabt" | grep -Eq 'libswift|libFoundation|libdispatch|libBlocksRuntime'; then
    echo "rehearse: the binary still links the Swift runtime dynamically" >&2; exit 1
fi
# Packages the runtime image has: the base image's essentials, and what apt installs with the
# Dockerfile's libcurl4, libsqlite3-0 and libre2-9 (their Depends, recursively).
provided=" libc6 libgcc-s1 libstdc++6 zlib1g $(apt-cache depends --recurse --important libcurl4 libsqlite3-0 libre2-9 2>/dev/null \
    | grep -v '^[ <]' | tr '\n' ' ') "
echo "shared libraries and the Debian packages that provide them:"
for library in $libraries; do
    package=$(dpkg -S "*/$(basename "$library")" 2>/dev/null | head -n 1 | cut -d: -f1 || true)
    [ -n "$package" ] || { echo "rehearse: no Debian package provides $library" >&2; exit 1; }
    printf '  %-50s %s\n' "$library" "${package:-?}"
    case $provided in
        *" $package "*) ;;
        *) echo "rehearse: $library (${package:-no package}) is not in the runtime image" >&2; exit 1 ;;
    esac
done

# `docker run rabt demo`: the image's working folder holds no contracts, so the demo must find the
# sample contracts bundled next to the binary.
mkdir -p "$work/demo"
if ! (cd "$work/demo" && rabt demo) > "$work/logs/demo.log" 2>&1; then
    echo "rehearse: rabt demo failed in a folder without contracts" >&2; exit 1
fi
echo "rabt demo in $work/demo: $(tail -n 1 "$work/logs/demo.log")"

step "2a. PostgreSQL, or one SQLite file ($mode, $nodes node(s))"
if [ -n "${RABT_DATABASE:-}" ]; then
    database=$RABT_DATABASE
elif [ "$mode" = postgres ]; then
    eval "$("$repo/scripts/postgres-test.sh")"
    postgres_dir=$RABT_TEST_POSTGRES_DIR
    database=$RABT_TEST_POSTGRES_URL
else
    database=$work/rabt.sqlite
fi
echo "database: ${database%%:*}…"

step "2b. The pki job (pki-init.sh), then again: it must change nothing"
pki=$image/pki
export RABT_PKI=$pki
RABT_DATABASE=$database RABT_DNS_NAMES=rabt pki-init.sh
ca_before=$(sha256sum "$pki/ca.pem")
RABT_DATABASE=$database RABT_DNS_NAMES=rabt pki-init.sh | tee "$work/logs/pki-again.log"
grep -q "nothing to do" "$work/logs/pki-again.log"
[ "$(sha256sum "$pki/ca.pem")" = "$ca_before" ]
for certificate in rabt.pem agencies/moj-server.pem agencies/rop-server.pem; do
    echo "$certificate: $(openssl x509 -in "$pki/$certificate" -noout -ext subjectAltName | tail -n 1 | sed 's/^ *//')"
done

step "2c. The broker nodes (rabt serve), healthy by the image's HEALTHCHECK command"
node_ports=()
# The load balancer's port, named by the nodes as the names agencies sign for.
lb_port=$(free_port)
for n in $(seq 1 "$nodes"); do
    port=$(free_port)
    node_ports+=("$port")
    # compose: rabt serve --pki /pki --database postgres://…@postgres:5432/rabt --host 0.0.0.0 --port 8443
    #          --public-name rabt:8443 --public-name localhost:8443
    # --allow-private-endpoints: here the providers listen on loopback (in compose they are other containers).
    rabt serve --pki "$pki" --database "$database" --host 127.0.0.1 --port "$port" --allow-private-endpoints \
        --public-name "rabt:$lb_port" --public-name "localhost:$lb_port" > "$work/logs/rabt-$n.log" 2>&1 &
    pids+=($!)
done
for port in "${node_ports[@]}"; do
    wait_healthy "https://localhost:$port/health"
    echo "node on 127.0.0.1:$port healthy"
done

step "2d. The sample providers moj and rop (rabt sample-provider --host)"
moj_port=$(free_port)
rop_port=$(free_port)
rabt sample-provider moj --pki "$pki" --host 127.0.0.1 --port "$moj_port" > "$work/logs/moj.log" 2>&1 &
pids+=($!)
rabt sample-provider rop --pki "$pki" --host 127.0.0.1 --port "$rop_port" > "$work/logs/rop.log" 2>&1 &
pids+=($!)
wait_healthy --answers "https://localhost:$moj_port/" "$pki/agencies/moj.pem" "$pki/agencies/moj-key.pem"
wait_healthy --answers "https://localhost:$rop_port/" "$pki/agencies/rop.pem" "$pki/agencies/rop-key.pem"
echo "moj on 127.0.0.1:$moj_port, rop on 127.0.0.1:$rop_port"

step "2e. nginx with docker/nginx.conf, its addresses moved to loopback"
mkdir -p "$work/nginx"
# The only differences from the file compose mounts: Debian builds the stream module as a dynamic
# module (the official nginx image has it built in), and the compose names become loopback ports.
{
    echo "load_module /usr/lib/nginx/modules/ngx_stream_module.so;"
    sed -e "s|listen 8443;|listen 127.0.0.1:$lb_port;|" \
        -e "s|pid /tmp/nginx.pid;|pid $work/nginx/nginx.pid;|" \
        -e "s|server rabt-1:8443|server 127.0.0.1:${node_ports[0]}|" \
        "$here/nginx.conf"
} > "$work/nginx/nginx.conf"
if [ "$nodes" = 2 ]; then
    sed -i "s|server rabt-2:8443|server 127.0.0.1:${node_ports[1]}|" "$work/nginx/nginx.conf"
else
    sed -i "/server rabt-2:8443/d" "$work/nginx/nginx.conf"
fi
nginx -t -p "$work/nginx" -c "$work/nginx/nginx.conf" -e stderr
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e stderr -g 'daemon off;' > "$work/logs/nginx.log" 2>&1 &
pids+=($!)
wait_healthy "https://localhost:$lb_port/health/ready" "$pki/operators/operator.pem" "$pki/operators/operator-key.pem"
# Inside compose the broker is https://rabt:8443 and the providers https://moj:9443, https://rop:9443:
# the same connections with those names, to check the certificates carry them.
curl -fsS -o /dev/null --resolve "rabt:$lb_port:127.0.0.1" --cacert "$pki/ca.pem" \
    --cert "$pki/operators/operator.pem" --key "$pki/operators/operator-key.pem" "https://rabt:$lb_port/health"
curl -s -o /dev/null --resolve "moj:$moj_port:127.0.0.1" --cacert "$pki/ca.pem" \
    --cert "$pki/agencies/moj.pem" --key "$pki/agencies/moj-key.pem" "https://moj:$moj_port/"
curl -s -o /dev/null --resolve "rop:$rop_port:127.0.0.1" --cacert "$pki/ca.pem" \
    --cert "$pki/agencies/rop.pem" --key "$pki/agencies/rop-key.pem" "https://rop:$rop_port/"
echo "load balancer on 127.0.0.1:$lb_port; the names rabt, moj and rop verify"

step "2f. The onboard job (onboard.sh) through the load balancer, then again: it must change nothing"
export RABT_CONTRACTS=$image/usr/share/rabt/contracts RABT_BROKER=https://localhost:$lb_port \
    RABT_MOJ_URL=https://localhost:$moj_port RABT_ROP_URL=https://localhost:$rop_port RABT_WAIT_SECONDS=30
onboard.sh
onboard.sh | tee "$work/logs/onboard-again.log"
grep -q "nothing to do" "$work/logs/onboard-again.log"

step "3. The first exchanges through the load balancer (docker/README.md)"
answer=$(rabt call POST moj/criminal-record-certificate/certificates --as mol --pki "$pki" --broker "$RABT_BROKER" \
    --data '{"applicant": {"nationalId": "9861034521", "fullName": {"first": "Layla", "family": "Haddad"}, "dateOfBirth": "1986-04-17"}, "purpose": "work-permit", "caseReference": "MOL-2026-118204"}')
echo "$answer"
echo "$answer" | grep -q '^HTTP 201'
echo "$answer" | grep -q '^Receipt: verified'
for _ in 1 2 3; do
    answer=$(rabt call GET rop/traffic-violations/violations/9861034521 --as mol --pki "$pki" --broker "$RABT_BROKER")
    echo "$answer" | head -n 3
    echo "$answer" | grep -q '^HTTP 200'
    echo "$answer" | grep -q '^Receipt: verified'
done
# An asynchronous one: 202 at once, delivered by whichever node's worker claims it.
accepted=$(rabt call POST moj/criminal-record-certificate/certificates --as mol --pki "$pki" --broker "$RABT_BROKER" \
    --header "Prefer: respond-async" \
    --data '{"applicant": {"nationalId": "9751122334", "fullName": {"first": "Yousef", "family": "Nasser"}, "dateOfBirth": "1975-11-02"}, "purpose": "work-permit", "caseReference": "MOL-2026-118205"}')
echo "$accepted" | head -n 2
echo "$accepted" | grep -q '^HTTP 202'
id=$(echo "$accepted" | sed -n 's/^Exchange-Id: //p')
state=""
for _ in $(seq 1 50); do
    state=$(rabt call GET "messages/$id" --as mol --pki "$pki" --broker "$RABT_BROKER")
    echo "$state" | grep -q '"state":"delivered"' && break
    sleep 0.2
done
echo "$state" | grep -q '"state":"delivered"'
echo "asynchronous exchange $id delivered"
# Each call is a new TCP connection; with two nodes nginx must have sent them to both.
used=$(grep -o 'via 127.0.0.1:[0-9]*' "$work/logs/nginx.log" | sort -u | wc -l)
echo "nginx sent connections to $used node(s)"
[ "$used" -eq "$nodes" ]
rabt audit verify --live --public-key "$pki/rabt-audit.pub.pem" --ca "$pki/ca.pem" \
    --cert "$pki/auditors/auditor.pem" --key "$pki/auditors/auditor-key.pem"

echo
echo "rehearse: PASSED ($mode, $nodes node(s) behind nginx)"
