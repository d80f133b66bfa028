#!/usr/bin/env bash
# Start a throwaway PostgreSQL for the tests, or stop it.
#
#   .ci/start-postgres.sh DIR          initdb in DIR/data, start on 127.0.0.1:$PORT, create the
#                                      role kanoni and the database kanoni_test, print its URL
#   .ci/start-postgres.sh --stop DIR   stop the server started in DIR
#
# PORT: $KANONI_TEST_POSTGRES_PORT, default 54329 (not 5432, to keep clear of a system server).
# Uses Debian's newest /usr/lib/postgresql/*/bin; .ci/run installs it when missing.
# Progress goes to stderr; stdout carries only the URL, for URL=$(.ci/start-postgres.sh DIR).
set -euo pipefail

PORT="${KANONI_TEST_POSTGRES_PORT:-54329}"

pg_bin_dir() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -z "$dir" || ! -x "$dir/initdb" ]]; then
        echo "start-postgres: no PostgreSQL server under /usr/lib/postgresql (apt-get install postgresql)" >&2
        exit 1
    fi
    echo "$dir"
}

# The server refuses to run as root: as root, run its tools as the postgres user.
as_postgres() {
    if [[ "$(id -u)" == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

stop_server() {
    local dir="$1" bin
    bin="$(pg_bin_dir)"
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2
    fi
}

start_server() {
    local dir="$1" bin
    bin="$(pg_bin_dir)"
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
        echo "start-postgres: something already listens on 127.0.0.1:$PORT" >&2
        exit 1
    fi
    mkdir -p "$dir/socket"
    if [[ "$(id -u)" == 0 ]]; then
        chown -R postgres:postgres "$dir"
    fi
    echo "start-postgres: initdb in $dir/data ($bin)" >&2
    # trust: loopback only, a throwaway server with no data worth a password.
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 \
        --locale=C >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    # fsync off: the data dies with the test run anyway, and tests run faster.
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$dir/socket -c fsync=off" \
        start >&2 || { cat "$dir/server.log" >&2; exit 1; }
    "$bin/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
        -c "CREATE ROLE kanoni LOGIN" \
        -c "CREATE DATABASE kanoni_test OWNER kanoni" >&2
    echo "postgresql+psycopg://kanoni@127.0.0.1:$PORT/kanoni_test"
}

if [[ "${1:-}" == "--stop" ]]; then
    stop_server "${2:?usage: start-postgres.sh --stop DIR}"
else
    start_server "${1:?usage: start-postgres.sh DIR}"
fi
