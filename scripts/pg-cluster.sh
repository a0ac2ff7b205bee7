#!/usr/bin/env bash
# Manages a private PostgreSQL 15 cluster in a directory (for the local run and the tests).
#   pg-cluster.sh start DIR PORT   initdb on first use, then start (no-op when running)
#   pg-cluster.sh stop DIR         fast shutdown (no-op when stopped)
#   pg-cluster.sh url DIR PORT [DB] print the connection URL
# PostgreSQL refuses to run as root: as root, the cluster is owned and run by user `postgres`.
# The superuser is always `optin`, trusted on 127.0.0.1 and the cluster's own socket only.
set -euo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
cmd=${1:?usage: pg-cluster.sh start|stop|url DIR [PORT]}
dir=$(realpath -m "${2:?DIR missing}")

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    port=${3:?PORT missing}
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner mkdir -p "$dir/data" "$dir/sock"
      as_owner "$PGBIN/initdb" -D "$dir/data" -U optin --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if as_owner "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then exit 0; fi
    as_owner "$PGBIN/pg_ctl" -w -t 60 -D "$dir/data" -l "$dir/postgres.log" \
      -o "-p $port -k $dir/sock -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=128MB" start >/dev/null \
      || { tail -20 "$dir/postgres.log" >&2; exit 1; }
    ;;
  stop)
    [ -f "$dir/data/PG_VERSION" ] || exit 0
    if as_owner "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_owner "$PGBIN/pg_ctl" -w -t 60 -D "$dir/data" -m fast stop >/dev/null
    fi
    ;;
  url)
    echo "postgresql://optin@127.0.0.1:${3:?PORT missing}/${4:-postgres}"
    ;;
  *) echo "pg-cluster.sh: unknown command $cmd" >&2; exit 2 ;;
esac
