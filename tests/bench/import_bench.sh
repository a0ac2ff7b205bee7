#!/usr/bin/env bash
# Imports N rows (default 100 000) in one POST /admin/import into a running optin and prints the
# rate and optin's peak resident memory (VmHWM from /proc/PID/status) before and after.
#   OPTIN_URL=http://127.0.0.1:8080 OPTIN_ADMIN_TOKEN=... OPTIN_PID=1234 tests/bench/import_bench.sh [N]
# OPTIN_PID defaults to the process listening on OPTIN_URL's port. Addresses are unique per run.
# Not part of the test command.
set -euo pipefail
rows=${1:-100000}
url=${OPTIN_URL:-http://127.0.0.1:8080}
token=${OPTIN_ADMIN_TOKEN:?set OPTIN_ADMIN_TOKEN}
port=${url##*:}
port=${port%%/*}
pid=${OPTIN_PID:-$(ss -ltnpH "sport = :$port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)}
[ -n "$pid" ] && [ -r "/proc/$pid/status" ] || { echo "import_bench: no optin process found (set OPTIN_PID)" >&2; exit 1; }

csv=$(mktemp /tmp/optin-import-bench.XXXXXX.csv)
trap 'rm -f "$csv"' EXIT
run=$(date +%s%N)
{
  echo "email,name,list,consented_at,source"
  awk -v n="$rows" -v run="$run" 'BEGIN { for (i = 0; i < n; i++)
      printf "bench%s.%d@example.com,Bench %d,,2024-01-01T12:00:00Z,bench\n", run, i, i }'
} >"$csv"

hwm() { awk '/^VmHWM/ { print $2 " " $3 }' "/proc/$pid/status"; }
before=$(hwm)
start=$(date +%s.%N)
reply=$(curl -sS --fail-with-body -H "Authorization: Bearer $token" -H "Content-Type: text/csv" \
  --data-binary @"$csv" "$url/admin/import")
end=$(date +%s.%N)
after=$(hwm)
echo "$reply"
awk -v n="$rows" -v s="$start" -v e="$end" -v size="$(stat -c %s "$csv")" -v b="$before" -v a="$after" 'BEGIN {
  printf "rows: %d (%.1f MB CSV) in %.2f s = %.0f rows/s\n", n, size / 1e6, e - s, n / (e - s)
  printf "optin peak RSS (VmHWM): before %s, after %s\n", b, a }'
