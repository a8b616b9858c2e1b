#!/usr/bin/env bash
# A throwaway PostgreSQL + PostGIS server for the tests and for trying pocmap against PostGIS.
#
#   scripts/postgis.sh start [PORT]   start it (idempotent), print its URL
#   scripts/postgis.sh stop  [PORT]   stop it (the data stays, the next start reuses it)
#   scripts/postgis.sh url   [PORT]   print its URL
#
# PORT defaults to $POCMAP_PG_PORT or 55432. The cluster lives in
# ${POCMAP_PG_DIR:-/tmp/pocmap-postgis-PORT} (data in data/, the unix socket and the log
# next to it). It listens on 127.0.0.1 only and TRUSTS every local connection: no
# password, any user. It is a local, disposable test server: never put real data in it,
# never make it listen on another address. fsync is off: a crash may lose it; so be it.
#
# PostgreSQL 15 and PostGIS come from Debian (apt-get install postgresql-15-postgis-3);
# POCMAP_PG_BIN overrides where the binaries are (default /usr/lib/postgresql/15/bin).
# PostgreSQL refuses to run as root: as root, the server runs as the `postgres` OS user
# (made by the Debian package), which owns the cluster's directory.
set -euo pipefail

usage() {
    echo "usage: $0 start|stop|url [PORT]" >&2
    exit 2
}
[ $# -ge 1 ] && [ $# -le 2 ] || usage
cmd="$1"
port="${2:-${POCMAP_PG_PORT:-55432}}"
case "$port" in '' | *[!0-9]*) echo "postgis: port must be a number, not '$port'" >&2; exit 2 ;; esac

bin="${POCMAP_PG_BIN:-/usr/lib/postgresql/15/bin}"
dir="${POCMAP_PG_DIR:-/tmp/pocmap-postgis-$port}"
data="$dir/data"
url="postgresql://postgres@127.0.0.1:$port/pocmap"

say() { echo "postgis: $*" >&2; }
die() {
    say "$*"
    exit 1
}

# Run a PostgreSQL server program as the user who owns the cluster.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

psql_() {
    PGCONNECT_TIMEOUT=5 PGOPTIONS="-c client_min_messages=warning" "$bin/psql" -X -q -At -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "$port" -U postgres "$@"
}

# Whether this cluster's postmaster is alive: the PID in postmaster.pid is a process whose
# working directory is this data dir (a server chdirs there). A PID file left by a killed
# run, whose number another process may have by now, does not count.
running() {
    local pid_file="$data/postmaster.pid" pid cwd
    [ -f "$pid_file" ] || return 1
    pid="$(head -n 1 "$pid_file" 2>/dev/null || true)"
    case "$pid" in '' | *[!0-9]*) return 1 ;; esac
    cwd="$(readlink "/proc/$pid/cwd" 2>/dev/null || true)"
    [ -n "$cwd" ] && [ "$cwd" = "$(cd "$data" && pwd -P)" ]
}

ready() {
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -d postgres -U postgres -t 2
}

init_cluster() {
    [ -x "$bin/postgres" ] && [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ] ||
        die "no PostgreSQL server in $bin (apt-get install postgresql-15-postgis-3, or set POCMAP_PG_BIN)"
    if [ -x "$bin/pg_config" ]; then
        local control
        control="$("$bin/pg_config" --sharedir)/extension/postgis.control"
        [ -f "$control" ] || die "no PostGIS for this PostgreSQL ($control is missing; apt-get install postgresql-15-postgis-3)"
    fi
    # The socket's path (dir + "/.s.PGSQL.PORT") must fit in 107 bytes.
    [ "${#dir}" -le 90 ] || die "POCMAP_PG_DIR is too long for a unix socket: $dir"
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' OS user (made by Debian's postgresql package)"
        chown postgres:postgres "$dir"
    fi
    chmod 700 "$dir"
    # `ready` is written last: a data dir without it is what an interrupted initdb left.
    if [ -f "$dir/ready" ] && [ -f "$data/PG_VERSION" ]; then
        return
    fi
    say "creating a throwaway cluster in $data"
    rm -rf "$data" "$dir/ready"
    # -A trust: no passwords in this local test cluster (pg_hba below narrows it to loopback).
    (cd "$dir" && as_owner "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --no-locale \
        --no-sync >"$dir/initdb.log" 2>&1) || {
        tail -n 20 "$dir/initdb.log" >&2
        die "initdb failed (log: $dir/initdb.log)"
    }
    as_owner sh -c 'cat >"$1/pg_hba.conf"' sh "$data" <<'HBA'
# Local, throwaway test cluster (scripts/postgis.sh): trust, no password, loopback only.
local   all   all                  trust
host    all   all   127.0.0.1/32   trust
HBA
    as_owner sh -c 'echo "include_if_exists = '"'"'pocmap.conf'"'"'" >>"$1/postgresql.conf"' sh "$data"
    as_owner touch "$dir/ready"
}

write_settings() {
    # Rewritten at every start, so the port and paths always match this invocation.
    as_owner sh -c 'cat >"$1/pocmap.conf"' sh "$data" <<CONF
# Written by scripts/postgis.sh: a throwaway test cluster, loopback only, no durability.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
}

start() {
    if running; then
        say "already running (port $port, data $data)"
    else
        init_cluster
        if [ -f "$data/postmaster.pid" ]; then
            say "removing the stale postmaster.pid a stopped or killed server left"
            rm -f "$data/postmaster.pid" "$dir/.s.PGSQL.$port" "$dir/.s.PGSQL.$port.lock"
        fi
        write_settings
        say "starting on 127.0.0.1:$port"
        (cd "$dir" && as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
            -o "-p $port" start >/dev/null) || {
            tail -n 20 "$dir/server.log" >&2 || true
            die "the server did not start (log: $dir/server.log)"
        }
    fi
    local i
    for i in $(seq 1 60); do
        ready && break
        [ "$i" -eq 60 ] && die "the server on 127.0.0.1:$port does not accept connections"
        sleep 0.5
    done
    if [ "$(psql_ -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'pocmap'")" != 1 ]; then
        psql_ -d postgres -c "CREATE DATABASE pocmap" || die "could not create the database pocmap"
    fi
    psql_ -d pocmap -c "CREATE EXTENSION IF NOT EXISTS postgis" ||
        die "could not create the postgis extension (is postgresql-15-postgis-3 installed?)"
    echo "$url"
}

stop() {
    if ! running; then
        say "not running (port $port, data $data)"
        return
    fi
    (cd "$dir" && as_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null)
    say "stopped (port $port)"
}

case "$cmd" in
start) start ;;
stop) stop ;;
url) echo "$url" ;;
*) usage ;;
esac
