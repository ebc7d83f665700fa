#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL cluster: made with initdb in a temporary
# directory, started on a free port, removed afterwards. DATABASE_URL points at it.
# initdb refuses to run as root, so as root the cluster runs as the `postgres` user.
set -eu
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "PostgreSQL ontbreekt; installeren … / installing PostgreSQL …" >&2
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  # Wait for the dpkg lock (another installation running) instead of failing.
  APT="apt-get -o DPkg::Lock::Timeout=600"
  $SUDO $APT update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive $APT install -y -qq postgresql >&2
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
DATA=$(mktemp -d /tmp/leerlingzorg-pg.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$DATA"
fi
cleanup() {
  as_owner "$PG_BIN/pg_ctl" -D "$DATA/db" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DATA"
}
trap cleanup EXIT
as_owner "$PG_BIN/initdb" -D "$DATA/db" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_owner "$PG_BIN/pg_ctl" -D "$DATA/db" -l "$DATA/db/server.log" -w -o \
  "-p $PORT -k $DATA -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" \
  start >/dev/null
export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/leerlingzorg"
echo "PostgreSQL tijdelijk op poort $PORT / temporary PostgreSQL on port $PORT" >&2
as_owner "$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres leerlingzorg
"$@"
