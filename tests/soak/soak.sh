#!/usr/bin/env bash
# Soak: runs a mixed load (signup, re-signup, confirm, unsubscribe, suppression checks) against the
# real stack for DURATION seconds, then checks that the database and the SMTP sink match what the
# load was told, and prints a report (requests and errors by kind, optin's RSS at start and end).
#   tests/soak/soak.sh DURATION [RATE]     DURATION in seconds (default 60), RATE ops/s (default 40)
# Throwaway PostgreSQL (scripts/pg-cluster.sh), real SMTP sink (tests/support/smtp_server.py), no
# CleverReach (there is no standalone fake). Everything runs on 127.0.0.1 and is torn down at exit.
# Exit 0 when nothing was lost, 1 otherwise. The binary: OPTIN_BIN, else OPTIN_BUILD_DIR/optin
# (default build/optin, built when missing). CTest runs a 10-second smoke of it (soak:smoke).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
duration=${1:-60}
rate=${2:-40}
build=${OPTIN_BUILD_DIR:-build}
optin_bin=${OPTIN_BIN:-$build/optin}
[ -x "$optin_bin" ] || optin_bin=$(scripts/build.sh RelWithDebInfo | tail -1)/optin

tmp=$(mktemp -d /tmp/optin-soak.XXXXXX)
chmod 755 "$tmp"
pids=()
cleanup() {
  status=$?
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  "$root/scripts/pg-cluster.sh" stop "$tmp/pg" >/dev/null 2>&1 || true
  if [ "${SOAK_KEEP:-}" = 1 ]; then echo "soak: kept $tmp" >&2; else rm -rf "$tmp"; fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pg_port=$(scripts/free-port.sh)
scripts/pg-cluster.sh start "$tmp/pg" "$pg_port"
pg_url=$(scripts/pg-cluster.sh url "$tmp/pg" "$pg_port")
psql "$pg_url" -qc "CREATE DATABASE optin"
db_url=$(scripts/pg-cluster.sh url "$tmp/pg" "$pg_port" optin)

smtp_port=$(scripts/free-port.sh)
mkdir -p "$tmp/smtp"
/usr/bin/python3 tests/support/smtp_server.py --port "$smtp_port" --dir "$tmp/smtp" >"$tmp/smtp.log" 2>&1 &
pids+=($!)

http_port=$(scripts/free-port.sh)
admin_token=soak-admin-token-$(openssl rand -hex 8)
OPTIN_DATABASE_URL=$db_url OPTIN_LISTEN=127.0.0.1:$http_port OPTIN_PUBLIC_URL=http://127.0.0.1:$http_port \
  OPTIN_SECRET=$(openssl rand -hex 32) OPTIN_ADMIN_TOKEN=$admin_token OPTIN_RATE_LIMIT=off \
  OPTIN_SMTP_URL=smtp://127.0.0.1:$smtp_port OPTIN_MAIL_RETRY_BASE=1s \
  "$optin_bin" serve 2>"$tmp/optin.log" &
optin_pid=$!
pids+=($optin_pid)

/usr/bin/python3 tests/soak/soak_driver.py --url "http://127.0.0.1:$http_port" --admin-token "$admin_token" \
  --db "$db_url" --smtp-dir "$tmp/smtp" --pid "$optin_pid" --duration "$duration" --rate "$rate" \
  --log "$tmp/optin.log"
