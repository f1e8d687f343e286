#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite, on 127.0.0.1 only.
#   scripts/test-postgres.sh start     # installs the server as root when missing, starts it, prints its URL
#   scripts/test-postgres.sh stop | restart | url
# Data lives in $SWITCHYARD_TEST_PGDATA (default /tmp/switchyard-test-pg), port $SWITCHYARD_TEST_PGPORT (55432).
set -euo pipefail

DATA=${SWITCHYARD_TEST_PGDATA:-/tmp/switchyard-test-pg}
PORT=${SWITCHYARD_TEST_PGPORT:-55432}
URL="postgres://postgres@127.0.0.1:${PORT}/postgres?sslmode=disable"

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

if [ -z "$(pg_bin)" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "installing postgresql (test server)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
  else
    echo "PostgreSQL is not installed; run: sudo apt-get install -y postgresql" >&2
    exit 1
  fi
fi
BIN=$(pg_bin)

# The server refuses to run as root: as root, run it as the postgres user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  if [ ! -f "$DATA/PG_VERSION" ]; then
    mkdir -p "$DATA"
    [ "$(id -u)" -eq 0 ] && chown postgres "$DATA"
    as_owner "$BIN/initdb" -D "$DATA" -A trust -U postgres >/dev/null
  fi
  if ! as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
      -o "-p $PORT -c listen_addresses=127.0.0.1 -k $DATA -c max_connections=200 -c fsync=off" start >/dev/null
  fi
  echo "$URL"
}

case "${1:-start}" in
  start) start ;;
  stop) as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null ;;
  restart) as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true; start ;;
  url) echo "$URL" ;;
  *) echo "usage: $0 start|stop|restart|url" >&2; exit 2 ;;
esac
