#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster, then remove the cluster.
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]   (COMMAND sees DATABASE_URL)
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }

"$(dirname "$0")/ensure-debian-packages.sh" postgresql
bindir="$(dirname "$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -n 1)")"

dir="$(mktemp -d -t jobledger-pg.XXXXXX)"
if [ "$(id -u)" -eq 0 ]; then
    # initdb refuses to run as root, so the cluster belongs to Debian's postgres user.
    chown postgres: "$dir"
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi

cleanup() {
    local rc=$?
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port="${PG_TEST_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
password="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"

# Local socket (inside the private directory) trusts its caller; TCP needs the password.
as_pg "$bindir/initdb" -D "$dir/data" -U postgres -E UTF8 --no-locale \
    --auth-local=trust --auth-host=scram-sha-256 --no-sync >/dev/null
# Throwaway data: durability off, for speed. Loopback only.
cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
CONF
if ! as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
    cat "$dir/server.log" >&2
    exit 1
fi

# CREATEDB: pytest-django creates its own test_… databases, one per xdist worker.
as_pg "$bindir/psql" -h "$dir" -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 <<SQL
CREATE ROLE jobledger LOGIN CREATEDB PASSWORD '$password';
CREATE DATABASE jobledger OWNER jobledger;
SQL

export DATABASE_URL="postgres://jobledger:$password@127.0.0.1:$port/jobledger"
echo "PostgreSQL $("$bindir/postgres" -V | awk '{print $3}') on 127.0.0.1:$port (temporary, in $dir)"
"$@"
