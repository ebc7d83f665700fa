#!/usr/bin/env bash
# A PostgreSQL cluster for `make bench` that outlives the run, so a built data set (SCALE=5: 100,000
# students, 5,000,000 file entries) is measured again without rebuilding it (BENCH_REUSE=1, see
# bench/run.py). Made like scripts/with-postgres.sh (initdb, trust, loopback), but kept.
#   bench/cluster.sh start [DIR] [PORT]   initdb if needed, start; prints the BENCH_DATABASE to use
#   bench/cluster.sh stop [DIR]
set -eu
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
DIR=${2:-${BENCH_CLUSTER:-/tmp/leerlingzorg-bench-pg}}
PORT=${3:-55432}
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-}" in
  start)
    if [ ! -d "$DIR/db" ]; then
      mkdir -p "$DIR"
      if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        chown postgres "$DIR"
      fi
      as_owner "$PG_BIN/initdb" -D "$DIR/db" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    # The data set is a benchmark's, not data to keep safe: no fsync. shared_buffers holds the
    # hot part of the SCALE=5 set (a production server would give it a quarter of its memory).
    as_owner "$PG_BIN/pg_ctl" -D "$DIR/db" -l "$DIR/db/server.log" -w -o \
      "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50 -c shared_buffers=1GB" \
      start >/dev/null
    echo "postgres://postgres@127.0.0.1:$PORT/leerlingzorg"
    ;;
  stop)
    as_owner "$PG_BIN/pg_ctl" -D "$DIR/db" -m fast stop
    ;;
  *)
    echo "gebruik: bench/cluster.sh start|stop [DIR] [PORT]" >&2
    exit 2
    ;;
esac
