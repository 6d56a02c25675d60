#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for the store tests, on 127.0.0.1 only, in a fresh temp directory.
#
#   eval "$(scripts/postgres-test.sh)"           # start; exports RABT_TEST_POSTGRES_URL and RABT_TEST_POSTGRES_DIR
#   scripts/postgres-test.sh stop "$RABT_TEST_POSTGRES_DIR"   # stop it and delete its files
#
# The server offers TLS with a certificate (for 127.0.0.1 and localhost) from a throwaway CA, and
# exports that CA's file as RABT_TEST_POSTGRES_CA; it accepts unencrypted connections too.
# RABT_TEST_POSTGRES_SSL=off starts it without TLS (the benchmarks, to compare like with like).
#
# Needs the Debian/Ubuntu `postgresql` package (binaries under /usr/lib/postgresql/<version>/bin).
# Run as root, the server runs as the `postgres` user; run as another user, it runs as that user.
# Only the export lines go to stdout; progress goes to stderr.
set -euo pipefail

bin_dir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
        echo "postgres-test: no PostgreSQL under /usr/lib/postgresql (apt-get install postgresql)" >&2
        exit 1
    fi
    echo "$dir"
}

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

if [ "${1:-}" = "stop" ]; then
    dir=${2:?usage: postgres-test.sh stop DIRECTORY}
    [ -f "$dir/data/PG_VERSION" ] || { echo "postgres-test: $dir holds no test cluster" >&2; exit 1; }
    as_owner "$(bin_dir)/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    rm -rf "$dir"
    exit 0
fi

bin=$(bin_dir)
# Tests need no durability; benchmarks set RABT_TEST_POSTGRES_FSYNC=on to compare like with like.
fsync=${RABT_TEST_POSTGRES_FSYNC:-off}
dir=$(mktemp -d /tmp/rabt-postgres.XXXXXX)
chmod 700 "$dir"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"

password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
printf '%s\n' "$password" > "$dir/password"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$dir/password"

# Superuser over the private socket only (peer/trust for the owner); the test user by password over TCP.
as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }

# TLS: a throwaway CA and a server certificate it signs (P-256 keys, quick handshakes).
ssl_options=""
if [ "${RABT_TEST_POSTGRES_SSL:-on}" = on ]; then
    command -v openssl >/dev/null || { echo "postgres-test: openssl is needed for TLS (apt-get install openssl)" >&2; exit 1; }
    (
        cd "$dir"
        openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
            -subj "/CN=rabt test PostgreSQL CA" -keyout ca-key.pem -out ca.pem
        openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
            -subj "/CN=localhost" -keyout server-key.pem -out server.csr
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > server.ext
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 \
            -extfile server.ext -out server.pem
        chmod 600 server-key.pem ca-key.pem
        chmod 644 ca.pem
    ) >"$dir/openssl.log" 2>&1 || { cat "$dir/openssl.log" >&2; exit 1; }
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir/server.pem" "$dir/server-key.pem"
    ssl_options="-c ssl=on -c ssl_cert_file=$dir/server.pem -c ssl_key_file=$dir/server-key.pem"
fi

port=""
for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
        if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
            -o "-c listen_addresses=127.0.0.1 -c port=$candidate -c unix_socket_directories=$dir -c fsync=$fsync $ssl_options" \
            start >&2; then
            port=$candidate
            break
        fi
    fi
done
if [ -z "$port" ]; then
    echo "postgres-test: could not start PostgreSQL on a free port; see $dir/server.log" >&2
    exit 1
fi

as_owner "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q >&2 <<SQL
CREATE ROLE rabt LOGIN CREATEDB PASSWORD '$password';
CREATE DATABASE rabt OWNER rabt;
SQL

echo "postgres-test: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, files in $dir" >&2
echo "export RABT_TEST_POSTGRES_URL=postgres://rabt:$password@127.0.0.1:$port/rabt"
echo "export RABT_TEST_POSTGRES_DIR=$dir"
[ -n "$ssl_options" ] && echo "export RABT_TEST_POSTGRES_CA=$dir/ca.pem"
exit 0
