#!/usr/bin/env bash
# optin's benchmark: sets up everything itself and prints a table of figures, the baselines
# measured in the same run, ratios and targets. Not part of the test command (its --smoke mode is).
#   tests/bench/run.sh                     full sizes (builds build-release/ via scripts/build.sh Release)
#   tests/bench/run.sh --smoke             tiny sizes, a few seconds: checks the plumbing only
#   tests/bench/run.sh --build-dir DIR     use the binaries already built in DIR (CTest passes its own)
#   tests/bench/run.sh --signup-only       only the signup steps (2, 2b and 2c), then their figures
#   BENCH_DUR=SECONDS BENCH_ROUNDS=N BENCH_CONNS=N override the sizes of either mode
# Needs wrk and pgbench (scripts/install-deps.sh --with-bench). The machine may be shared and
# noisy: every throughput figure that has a baseline is a ratio against it, measured in this run,
# alternating baseline and figure and keeping the best of each.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
bench=$root/tests/bench
smoke=0
signup_only=0
build=""
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1 ;;
    --signup-only) signup_only=1 ;;
    --build-dir) build=$(realpath "$2"); shift ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

if [ "$smoke" = 1 ]; then
  dur=1 conns=8 rounds=1 suppressions=20000 check=2000 import_rows=2000 push=1000 mails=100 mixed_pairs=3000
  # The smoke checks that every request is answered, not how fast: on a loaded CI machine one answer
  # can take longer than wrk's default 2 s timeout, which wrk would count as an error.
  wrk_timeout=20s
else
  dur=8 conns=32 rounds=2 suppressions=1000000 check=100000 import_rows=100000 push=50000 mails=3000 mixed_pairs=40000
fi
dur=${BENCH_DUR:-$dur} rounds=${BENCH_ROUNDS:-$rounds} conns=${BENCH_CONNS:-$conns}  # overrides for a quick figure
wrk_timeout=${wrk_timeout:-2s}
threads=2  # wrk and pgbench threads (the machine has 2 cores)

for tool in wrk pgbench psql curl; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool missing (scripts/install-deps.sh --with-bench)" >&2; exit 1; }
done
if [ -z "$build" ]; then
  build=$root/$(OPTIN_BUILD_DIR=build-release OPTIN_BUILD_TARGETS="optin hello_server fake_cleverreach_server" \
                  scripts/build.sh Release | tail -1)
fi
optin_bin=$build/optin
hello_bin=$build/tests/hello_server
fake_bin=$build/tests/fake_cleverreach_server
for b in "$optin_bin" "$hello_bin" "$fake_bin"; do
  [ -x "$b" ] || { echo "run.sh: $b is not built" >&2; exit 1; }
done

tmp=$(mktemp -d /tmp/optin-bench.XXXXXX)
chmod 755 "$tmp"
pids=()
cleanup() {
  status=$?
  for p in ${pids[@]+"${pids[@]}"}; do kill -TERM "$p" 2>/dev/null || true; done
  for p in ${pids[@]+"${pids[@]}"}; do wait "$p" 2>/dev/null || true; done
  "$root/scripts/pg-cluster.sh" stop "$tmp/pg" >/dev/null 2>&1 || true
  if [ "$status" -ne 0 ]; then
    for f in "$tmp"/*.log; do [ -f "$f" ] && { echo "== $f" >&2; tail -5 "$f" >&2; }; done
  fi
  [ -n "${BENCH_KEEP:-}" ] && echo "bench: kept $tmp" >&2 || rm -rf "$tmp"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM
say() { echo "bench: $*" >&2; }
now() { date +%s.%N; }
forget_pid() { local keep=() p; for p in "${pids[@]}"; do [ "$p" != "$1" ] && keep+=("$p"); done; pids=(${keep[@]+"${keep[@]}"}); }
stop_pid() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; forget_pid "$1"; }

# --- PostgreSQL (default durability: fsync and synchronous_commit on) -------------------------
pg_port=$(scripts/free-port.sh)
scripts/pg-cluster.sh start "$tmp/pg" "$pg_port"
admin_url=$(scripts/pg-cluster.sh url "$tmp/pg" "$pg_port")
psql "$admin_url" -qX -c "CREATE DATABASE optin" -c "CREATE DATABASE pgb"
db_url=$(scripts/pg-cluster.sh url "$tmp/pg" "$pg_port" optin)
pgb_url=$(scripts/pg-cluster.sh url "$tmp/pg" "$pg_port" pgb)
sql() { psql "$db_url" -qAtX -v ON_ERROR_STOP=1 "$@"; }
[ "$(sql -c 'SHOW fsync')" = on ] && [ "$(sql -c 'SHOW synchronous_commit')" = on ] \
  || { echo "run.sh: the cluster must run with fsync and synchronous_commit on" >&2; exit 1; }

export OPTIN_DATABASE_URL=$db_url
export OPTIN_SECRET=$(openssl rand -hex 32)
export OPTIN_ADMIN_TOKEN=$(openssl rand -hex 24)
export OPTIN_RATE_LIMIT=off
# As many database connections as pgbench's clients: with fsync on, throughput is commit latency
# times the transactions that share a WAL flush (the default pool of 8 halves signups here).
export OPTIN_DB_POOL_SIZE=$conns
export OPTIN_MAIL_DIR=$tmp/mail
unset OPTIN_SMTP_URL OPTIN_CLEVERREACH_CLIENT_ID OPTIN_CLEVERREACH_CLIENT_SECRET
mkdir -p "$OPTIN_MAIL_DIR"
"$optin_bin" migrate >"$tmp/migrate.log" 2>&1

# Starts `optin serve` (extra VAR=value arguments go into its environment); sets optin_pid, optin_url.
start_optin() {
  local port log
  port=$(scripts/free-port.sh)
  log=$tmp/optin-$port.log
  env OPTIN_LISTEN=127.0.0.1:$port OPTIN_PUBLIC_URL=http://127.0.0.1:$port "$@" "$optin_bin" serve --no-migrate >"$log" 2>&1 &
  optin_pid=$!
  pids+=("$optin_pid")
  for _ in $(seq 1 300); do
    grep -q "listening on http" "$log" && { optin_url=http://127.0.0.1:$port; return 0; }
    kill -0 "$optin_pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "run.sh: optin did not start" >&2; tail -20 "$log" >&2; exit 1
}
# Before each timed step: write back what the previous steps dirtied (seeding 1 000 000 rows and
# its VACUUM leave ~0.5 GB for the checkpointer), so no step pays for an earlier one's writes.
settle() { sql -c "CHECKPOINT" >/dev/null; }
# Polls until TABLE is empty; prints the seconds since START (from now()). Fails after 300 s
# with MESSAGE.
seconds_until_empty() {
  local table=$1 start=$2 message=$3
  until [ "$(sql -c "SELECT count(*) FROM $table")" = 0 ]; do
    awk -v s="$start" -v n="$(now)" 'BEGIN { exit !(n - s > 300) }' && { echo "run.sh: $message" >&2; exit 1; }
    sleep 0.05
  done
  awk -v s="$start" -v e="$(now)" 'BEGIN { print e - s }'
}
rss_kb() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status"; }

# Runs wrk; prints "requests/s p99_ms non2xx". Arguments: connections, script, extra env, path.
wrk_run() {
  local c=$1 script=$2 url=$3 out
  out=$(BENCH_LUA_DIR=$bench/lua wrk -t"$(( c < threads ? c : threads ))" -c"$c" -d"${dur}s" --timeout "$wrk_timeout" --latency \
          -s "$bench/lua/$script" "$url" 2>&1) || { echo "$out" >&2; return 1; }
  echo "$out" >>"$tmp/wrk.log"
  # Every non-2xx answer and socket error, by kind (tests/bench/lua/report.lua), on stderr.
  grep '^bench-report:' <<<"$out" | sed "s|^|run.sh: $script: |" >&2 || true
  awk '
    /Requests\/sec:/ { rps = $2 }
    /^ +99%/ { v = $2; ms = v + 0; if (v ~ /us$/) ms /= 1000; else if (v ~ /ms$/) ms += 0; else if (v ~ /s$/) ms *= 1000; p99 = ms }
    /Non-2xx or 3xx responses:/ { bad = $5 }
    /Socket errors:/ { bad += 0; split($0, a, /[ ,]+/); for (i in a) if (a[i] ~ /^[0-9]+$/) err += a[i] }
    END { printf "%.0f %.2f %d\n", rps, p99, bad + err }' <<<"$out"
}
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 > b + 0) ? a : b }'; }

# --- 1. GET /healthz against a bare cpp-httplib server with the same tuning --------------------
say "healthz vs hello_server (${dur}s x $rounds each, $conns connections)"
"$hello_bin" 32 >"$tmp/hello.log" 2>&1 &
hello_pid=$!; pids+=("$hello_pid")
for _ in $(seq 1 100); do grep -q listening "$tmp/hello.log" && break; sleep 0.05; done
hello_url=$(grep -o 'http://[0-9.:]*' "$tmp/hello.log")
start_optin
idle_rss=$(rss_kb "$optin_pid" VmRSS)
hello_rps=0 healthz_rps=0
for _ in $([ "$signup_only" = 1 ] || seq 1 "$rounds"); do
  read -r r _ bad < <(BENCH_PATH=/healthz wrk_run "$conns" get.lua "$hello_url")
  hello_rps=$(max "$hello_rps" "$r")
  read -r r _ bad2 < <(BENCH_PATH=/healthz wrk_run "$conns" get.lua "$optin_url")
  healthz_rps=$(max "$healthz_rps" "$r")
  [ "$bad" = 0 ] && [ "$bad2" = 0 ] || { echo "run.sh: healthz errors ($bad / $bad2)" >&2; exit 1; }
done
stop_pid "$hello_pid"

# --- 2. POST /subscribe at $conns connections against pgbench's one-row INSERT ------------------
psql "$pgb_url" -qX -c "CREATE TABLE bench_insert (id bigserial PRIMARY KEY, payload text NOT NULL)"
echo "INSERT INTO bench_insert (payload) VALUES ('x');" >"$tmp/insert.sql"
pgbench_tps() {
  pgbench -n -c"$conns" -j"$threads" -T"$dur" -f "$tmp/insert.sql" "$pgb_url" 2>&1 \
    | awk '/^tps = / { printf "%.0f\n", $3; exit }'
}
say "signup vs pgbench (${dur}s x $rounds each)"
pg_tps=0 signup_rps=0
export BENCH_RUN=$(date +%s%N)
for round in $(seq 1 "$rounds"); do
  settle
  pg_tps=$(max "$pg_tps" "$(pgbench_tps)")
  settle
  BENCH_RUN=$BENCH_RUN$round
  read -r r signup_p99_max bad < <(wrk_run "$conns" subscribe.lua "$optin_url")
  [ "$bad" = 0 ] || { echo "run.sh: $bad failed signups" >&2; exit 1; }
  signup_rps=$(max "$signup_rps" "$r")
done
peak_rss=$(rss_kb "$optin_pid" VmHWM)

# --- 2b. POST /subscribe with OPTIN_POW=on against off, alternating, same run -------------------
# The load generator precomputes the solutions (pow_solutions.py: challenges fetched from the
# pow instance, solved from the spec) so that only the server's side is measured: parsing,
# two hashes, and one INSERT of the spent challenge. The server's cost does not depend on
# maxnumber, so a small one keeps the precomputation short.
say "signup with OPTIN_POW=on vs off (${dur}s x $rounds each)"
off_pid=$optin_pid off_url=$optin_url
start_optin OPTIN_POW=on OPTIN_POW_MAXNUMBER=1000
pow_pid=$optin_pid pow_url=$optin_url
pow_need=$(awk -v r="$signup_rps" -v d="$dur" 'BEGIN { printf "%d", r * d * 1.5 + 500 }')
pow_off_rps=0 pow_on_rps=0
for round in $(seq 1 "$rounds"); do
  /usr/bin/python3 "$bench/pow_solutions.py" "$pow_url" "$pow_need" >"$tmp/pow$round.txt"
  settle
  read -r r _ bad < <(BENCH_RUN=${BENCH_RUN}off$round wrk_run "$conns" subscribe.lua "$off_url")
  [ "$bad" = 0 ] || { echo "run.sh: $bad failed signups (pow off)" >&2; exit 1; }
  pow_off_rps=$(max "$pow_off_rps" "$r")
  settle
  read -r r _ bad < <(BENCH_RUN=${BENCH_RUN}on$round BENCH_POW_FILE=$tmp/pow$round.txt BENCH_THREADS=$threads \
                      wrk_run "$conns" subscribe.lua "$pow_url")
  [ "$bad" = 0 ] || { echo "run.sh: $bad failed signups with OPTIN_POW=on ($pow_need solutions)" >&2; exit 1; }
  pow_on_rps=$(max "$pow_on_rps" "$r")
done
stop_pid "$pow_pid"
optin_pid=$off_pid optin_url=$off_url
r_pow=$(awk -v a="$pow_on_rps" -v b="$pow_off_rps" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')

# --- 2c. POST /subscribe with the ledger's hash chain (V050) against without, alternating -------
# Between the runs the chain trigger is switched off and on again (its columns may be NULL for
# this run's unchained events; the cluster is thrown away afterwards).
say "signup with the ledger's hash chain vs without (${dur}s x $rounds each)"
sql -c "ALTER TABLE consent_events ALTER COLUMN prev_sha256 DROP NOT NULL, ALTER COLUMN sha256 DROP NOT NULL"
chain_on_rps=0 chain_off_rps=0
for round in $(seq 1 "$rounds"); do
  sql -c "ALTER TABLE consent_events DISABLE TRIGGER consent_events_chain"
  settle
  read -r r _ bad < <(BENCH_RUN=${BENCH_RUN}nochain$round wrk_run "$conns" subscribe.lua "$optin_url")
  [ "$bad" = 0 ] || { echo "run.sh: $bad failed signups (chain off)" >&2; exit 1; }
  chain_off_rps=$(max "$chain_off_rps" "$r")
  sql -c "ALTER TABLE consent_events ENABLE TRIGGER consent_events_chain"
  settle
  read -r r _ bad < <(BENCH_RUN=${BENCH_RUN}chain$round wrk_run "$conns" subscribe.lua "$optin_url")
  [ "$bad" = 0 ] || { echo "run.sh: $bad failed signups (chain on)" >&2; exit 1; }
  chain_on_rps=$(max "$chain_on_rps" "$r")
done
r_chain=$(awk -v a="$chain_on_rps" -v b="$chain_off_rps" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
if [ "$signup_only" = 1 ]; then
  [ "$smoke" = 1 ] && echo "(smoke mode: tiny sizes, figures are meaningless)"
  echo
  printf '| %s | %s | %s | %s |\n' "figure" "measured" "baseline (same run)" "ratio"
  printf '| %s | %s | %s | %s |\n' "---" "---:" "---" "---:"
  printf '| %s | %s | %s | %s |\n' "\`POST /subscribe\` req/s, $conns connections" "$signup_rps" "pgbench one-row INSERT: $pg_tps tps" "$(awk -v a="$signup_rps" -v b="$pg_tps" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')"
  printf '| %s | %s | %s | %s |\n' "\`POST /subscribe\` req/s with OPTIN_POW=on (solutions precomputed)" "$pow_on_rps" "OPTIN_POW=off, alternating: $pow_off_rps req/s" "$r_pow"
  printf '| %s | %s | %s | %s |\n' "\`POST /subscribe\` req/s with the ledger's hash chain" "$chain_on_rps" "chain trigger off, alternating: $chain_off_rps req/s" "$r_chain"
  exit 0
fi

# The same signups as SQL alone: pgbench calling optin_signup() (the one statement optin sends per
# signup) with arguments of the same sizes, on the same cluster and client count. optin's share of
# a signup's cost is the gap between this and the HTTP figure; the rest is PostgreSQL's work.
# (Measured with optin stopped: no mailer sends these rows' mails, so this side does less.)
cat >"$tmp/signup.sql" <<'EOF_SQL'
\set r random(1, 2000000000)
SELECT optin_signup(e, encode(sha256(convert_to(e, 'UTF8')), 'hex'), '',
                    (SELECT id FROM lists WHERE slug = 'newsletter'), 'de', '', '127.0.0.1', 'wrk/4',
                    '', '', '{"language":"de","name_given":false,"consent_checkbox":false}',
                    encode(sha256(convert_to(e || 'token', 'UTF8')), 'hex'), 86400,
                    '<' || md5(e) || '@bench>', repeat(md5(e), :msgsize / 32))
FROM (SELECT 'pgb' || :client_id || '.' || :r || '@bench.example.com' AS e) x;
EOF_SQL
# The baseline's queued mails are dropped: mailing them would load every later step.
drop_baseline_mails() { sql -c "DELETE FROM mail_outbox WHERE recipient LIKE 'pgb%'" >/dev/null; }
signup_sql_tps() {
  pgbench -n -c"$conns" -j"$threads" -T"$dur" -D msgsize="$msg_bytes" -f "$tmp/signup.sql" "$db_url" 2>&1 \
    | awk '/^tps = / { printf "%.0f\n", $3; exit }'
  drop_baseline_mails
}
msg_bytes=$(find "$OPTIN_MAIL_DIR" -name '*.eml' -printf '%s\n' | awk '{ t += $1; n++ } END { printf "%d", n ? t / n : 3500 }')
say "the signup's SQL alone via pgbench ($msg_bytes-byte mails)"
stop_pid "$optin_pid"  # its mailer would otherwise send these rows' mails meanwhile
sql_tps=0
for _ in $(seq 1 "$rounds"); do settle; sql_tps=$(max "$sql_tps" "$(signup_sql_tps)"); done
start_optin
signups=$(sql -c "SELECT count(*) FROM subscriptions WHERE status = 'pending'")
[ "$signups" -gt 0 ] || { echo "run.sh: no signup was stored" >&2; exit 1; }

# --- 3. p99 of POST /subscribe at half the measured maximum rate --------------------------------
# Debian's wrk has no rate control: each connection pauses (Lua delay()) before every request so
# that $conns connections offer about half the maximum rate; wrk's latency excludes the pause.
half=$(awk -v r="$signup_rps" 'BEGIN { printf "%.0f", r / 2 }')
pause_ms=$(awk -v c="$conns" -v h="$half" 'BEGIN { printf "%d", (h > 0) ? c * 1000 / h : 10 }')
say "signup paced at ~$half req/s (${pause_ms} ms pause per connection)"
settle
read -r paced_rps signup_p99 bad < <(BENCH_RUN=${BENCH_RUN}p BENCH_DELAY_MS=$pause_ms wrk_run "$conns" subscribe.lua "$optin_url")
[ "$bad" = 0 ] || { echo "run.sh: $bad failed paced signups" >&2; exit 1; }
# The same rate as SQL alone, for what PostgreSQL's commits on this disk allow: pgbench throttled
# to the achieved rate (-R; its per-transaction log excludes schedule lag, as wrk excludes the
# pause), once with the signup's statement and once with the one-row INSERT.
pgbench_p99() {  # script, database URL
  rm -f "$tmp"/pgl.*
  pgbench -n -c"$conns" -j"$threads" -T"$dur" -R "$paced_rps" -D msgsize="$msg_bytes" -l --log-prefix="$tmp/pgl" \
    -f "$1" "$2" >/dev/null 2>&1 || true
  cat "$tmp"/pgl.* 2>/dev/null | awk '{ print $3 }' | sort -n \
    | awk '{ a[NR] = $1 } END { i = int(NR * 0.99); if (i < 1) i = 1; printf "%.2f\n", (NR > 0) ? a[i] / 1000 : 0 }'
}
say "the same rate as SQL alone (pgbench -R $paced_rps)"
stop_pid "$optin_pid"
settle
sql_p99=$(pgbench_p99 "$tmp/signup.sql" "$db_url")
drop_baseline_mails
settle
insert_p99=$(pgbench_p99 "$tmp/insert.sql" "$pgb_url")
# The signup steps leave tens of thousands of confirmation mails queued (signups outrun the
# mailer); sending them would load every later step, so they are dropped here.
sql -c "TRUNCATE mail_outbox" >/dev/null  # no dead rows left behind for the mailer to step over
start_optin

# --- 4. confirm -> unsubscribe mixed load --------------------------------------------------------
say "mixed confirm/unsubscribe load ($mixed_pairs seeded pending subscriptions)"
sql -v n="$mixed_pairs" -v secret="$OPTIN_SECRET" >"$tmp/tokens.txt" <<'EOF'
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TEMP TABLE mx AS
  SELECT i, 'mx' || i || '@bench.example.com' AS email, lpad('mx' || i, 32, 'A') AS token FROM generate_series(1, :n) i;
CREATE TEMP TABLE mx_sub AS
WITH u AS (
  INSERT INTO subscribers (email, email_hash)
  SELECT email, encode(sha256(convert_to(email, 'UTF8')), 'hex') FROM mx RETURNING id, email
), s AS (
  INSERT INTO subscriptions (subscriber_id, list_id, language, status)
  SELECT u.id, (SELECT id FROM lists WHERE slug = 'newsletter'), 'de', 'pending' FROM u RETURNING id, subscriber_id
)
SELECT s.id, mx.token FROM s JOIN u ON u.id = s.subscriber_id JOIN mx ON mx.email = u.email;
INSERT INTO confirmation_tokens (token_hash, subscription_id, expires_at)
SELECT encode(sha256(convert_to(token, 'UTF8')), 'hex'), id, now() + interval '1 day' FROM mx_sub;
-- Unsubscribe tokens as service/domain/tokens.cpp makes them: base64url('U' || id || HMAC(...)[0:16]).
SELECT token || ' ' || rtrim(translate(encode(body || substring(
         hmac(convert_to('optin/unsubscribe/v1', 'UTF8') || '\x00'::bytea || body,
              convert_to(:'secret', 'UTF8'), 'sha256') FROM 1 FOR 16), 'base64'), '+/', '-_'), '=')
FROM (SELECT token, '\x55'::bytea || int8send(id) AS body FROM mx_sub ORDER BY id) t;
EOF
mixed_rps=0
settle
read -r mixed_rps _ bad < <(BENCH_TOKENS=$tmp/tokens.txt BENCH_THREADS=$threads wrk_run "$conns" mixed.lua "$optin_url")
[ "$bad" = 0 ] || { echo "run.sh: $bad failed confirm/unsubscribe requests" >&2; exit 1; }
confirmed_unsubscribed=$(sql -c "SELECT count(*) FROM subscriptions s JOIN subscribers u ON u.id = s.subscriber_id
                                 WHERE u.email LIKE 'mx%' AND s.status = 'unsubscribed' AND s.confirmed_at IS NOT NULL")
[ "$confirmed_unsubscribed" -gt 0 ] || { echo "run.sh: the mixed load unsubscribed nothing" >&2; exit 1; }

# --- 5. POST /admin/suppressions/check: $check addresses against $suppressions entries -----------
say "seeding $suppressions suppression entries"
sql -v n="$suppressions" <<'EOF'
INSERT INTO suppressions (email_hash, email, list_id, reason, source)
SELECT encode(sha256(convert_to(e, 'UTF8')), 'hex'), e, NULL, 'bench', 'admin'
FROM (SELECT 'sup' || i || '@bench.example.com' AS e FROM generate_series(1, :n) i) x;
VACUUM ANALYZE suppressions;  -- what autovacuum does after a bulk load (sets the visibility map for index-only scans)
EOF
# Half the addresses are suppressed (every other one), spread over the whole list; mixed case.
awk -v n="$check" -v s="$suppressions" 'BEGIN {
  printf "{\"emails\":["
  for (i = 0; i < n; i++) {
    if (i) printf ","
    if (i % 2 == 0) printf "\"Sup%d@Bench.Example.com\"", 1 + (i * 7919) % s
    else printf "\"free%d@bench.example.com\"", i
  }
  printf "]}" }' >"$tmp/check.json"
admin_curl() { curl -sS --fail-with-body -o "$tmp/reply.json" -w '%{time_total}' -H "Authorization: Bearer $OPTIN_ADMIN_TOKEN" "$@"; }
settle
check_s=999
for _ in 1 2 3; do
  t=$(admin_curl -H "Content-Type: application/json" --data-binary @"$tmp/check.json" "$optin_url/admin/suppressions/check")
  check_s=$(awk -v a="$check_s" -v b="$t" 'BEGIN { print (b < a) ? b : a }')
done
hits=$(grep -o '@bench.example.com"' "$tmp/reply.json" | wc -l)
expect=$(( (check + 1) / 2 ))
[ "$hits" -eq "$expect" ] || { echo "run.sh: check found $hits suppressed, expected $expect" >&2; exit 1; }
check_rate=$(awk -v n="$check" -v t="$check_s" 'BEGIN { printf "%.0f", n / t }')

# --- 6. POST /admin/import of $import_rows rows --------------------------------------------------
say "import of $import_rows rows"
{
  echo "email,name,list,consented_at,source"
  awk -v n="$import_rows" -v run="$BENCH_RUN" 'BEGIN { for (i = 0; i < n; i++)
      printf "imp%s.%d@bench.example.com,Bench %d,,2024-01-01T12:00:00Z,bench\n", run, i, i }'
} >"$tmp/import.csv"
settle
import_s=$(admin_curl -H "Content-Type: text/csv" --data-binary @"$tmp/import.csv" "$optin_url/admin/import")
grep -q "\"imported\":$import_rows[,}]" "$tmp/reply.json" || { echo "run.sh: import answered $(head -c 300 "$tmp/reply.json")" >&2; exit 1; }
import_rate=$(awk -v n="$import_rows" -v t="$import_s" 'BEGIN { printf "%.0f", n / t }')
stop_pid "$optin_pid"

# --- 7. CleverReach push of $push confirmed subscribers to the fake ------------------------------
say "CleverReach push of $push receivers"
"$fake_bin" >"$tmp/fake.log" 2>&1 &
fake_pid=$!; pids+=("$fake_pid")
for _ in $(seq 1 100); do grep -q '^port=' "$tmp/fake.log" && break; sleep 0.05; done
group=$(sed -n 's/.* group=\([0-9]*\) .*/\1/p' "$tmp/fake.log")
api_url=$(sed -n 's/.* api_url=\([^ ]*\) .*/\1/p' "$tmp/fake.log")
token_url=$(sed -n 's/.* token_url=\([^ ]*\)$/\1/p' "$tmp/fake.log")
sql -v n="$push" -v gid="$group" <<'EOF'
UPDATE lists SET cleverreach_group_id = :'gid' WHERE slug = 'newsletter';
DELETE FROM sync_outbox;
WITH u AS (
  INSERT INTO subscribers (email, email_hash, name)
  SELECT e, encode(sha256(convert_to(e, 'UTF8')), 'hex'), 'Push ' || i
  FROM (SELECT i, 'push' || i || '@bench.example.com' AS e FROM generate_series(1, :n) i) x
  RETURNING id, email_hash
), s AS (
  INSERT INTO subscriptions (subscriber_id, list_id, language, status, source, confirmed_at)
  SELECT u.id, (SELECT id FROM lists WHERE slug = 'newsletter'), 'de', 'confirmed', 'bench', now() FROM u
  RETURNING id, subscriber_id
)
INSERT INTO sync_outbox (action, subscription_id, email_hash)
SELECT 'upsert_receiver', s.id, u.email_hash FROM s JOIN u ON u.id = s.subscriber_id;
EOF
settle
push_start=$(now)
start_optin OPTIN_CLEVERREACH_CLIENT_ID=fake-client-id OPTIN_CLEVERREACH_CLIENT_SECRET=fake-client-secret-s3cr3t \
  OPTIN_CLEVERREACH_API_URL="$api_url" OPTIN_CLEVERREACH_TOKEN_URL="$token_url" OPTIN_SYNC_INTERVAL=1h
push_s=$(seconds_until_empty sync_outbox "$push_start" "the push did not finish")
stop_pid "$optin_pid"
kill -TERM "$fake_pid"; wait "$fake_pid" || true; forget_pid "$fake_pid"
receivers=$(sed -n 's/^receivers=\([0-9]*\) .*/\1/p' "$tmp/fake.log")
[ "$receivers" = "$push" ] || { echo "run.sh: the fake holds $receivers receivers, expected $push" >&2; exit 1; }
push_rate=$(awk -v n="$push" -v t="$push_s" 'BEGIN { printf "%.0f", n / t }')
sql -c "UPDATE lists SET cleverreach_group_id = NULL WHERE slug = 'newsletter'"

# --- 8. Confirmation mails to a local SMTP server (aiosmtpd) ------------------------------------
say "$mails confirmation mails over SMTP"
smtp_port=$(scripts/free-port.sh)
/usr/bin/python3 "$root/tests/support/smtp_server.py" --port "$smtp_port" --dir "$tmp/smtp" >"$tmp/smtp.log" 2>&1 &
smtp_pid=$!; pids+=("$smtp_pid")
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null && break; sleep 0.05; done
sql -c "TRUNCATE mail_outbox"
start_optin OPTIN_SMTP_URL=smtp://127.0.0.1:$smtp_port
# One transaction queues $mails confirmation mails for fresh pending subscriptions; the NOTIFY
# trigger wakes the mailer at commit.
settle
mail_start=$(now)
sql -v n="$mails" <<'EOF'
WITH u AS (
  INSERT INTO subscribers (email, email_hash)
  SELECT e, encode(sha256(convert_to(e, 'UTF8')), 'hex')
  FROM (SELECT 'mail' || i || '@bench.example.com' AS e FROM generate_series(1, :n) i) x
  RETURNING id, email, email_hash
), s AS (
  INSERT INTO subscriptions (subscriber_id, list_id, language, status)
  SELECT u.id, (SELECT id FROM lists WHERE slug = 'newsletter'), 'de', 'pending' FROM u
  RETURNING id, subscriber_id
)
INSERT INTO mail_outbox (kind, subscription_id, email_hash, recipient, message_id, message)
SELECT 'confirmation', s.id, u.email_hash, u.email, '<bench.' || s.id || '@localhost>',
       'From: Newsletter <newsletter@localhost>' || E'\r\n' || 'To: ' || u.email || E'\r\n' ||
       'Subject: Bitte bestaetigen' || E'\r\n' || 'Message-ID: <bench.' || s.id || '@localhost>' || E'\r\n' ||
       'MIME-Version: 1.0' || E'\r\n' || 'Content-Type: text/plain; charset=utf-8' || E'\r\n\r\n' ||
       repeat('Bitte bestaetigen Sie Ihre Anmeldung: http://127.0.0.1/confirm?token=x' || E'\r\n', 20)
FROM s JOIN u ON u.id = s.subscriber_id;
EOF
mail_s=$(seconds_until_empty mail_outbox "$mail_start" "the mails did not drain")
stop_pid "$optin_pid"
stop_pid "$smtp_pid"
delivered=$(find "$tmp/smtp" -name 'msg-*.eml' | wc -l)
[ "$delivered" -eq "$mails" ] || { echo "run.sh: the SMTP server got $delivered mails, expected $mails" >&2; exit 1; }
mail_rate=$(awk -v n="$mails" -v t="$mail_s" 'BEGIN { printf "%.0f", n / t }')

# --- The table ----------------------------------------------------------------------------------
row() { printf '| %s | %s | %s | %s | %s | %s |\n' "$@"; }
verdict() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == ">=") ? v + 0 >= t : v + 0 <= t; print ok ? "pass" : "FAIL" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }
r_signup=$(ratio "$signup_rps" "$pg_tps")
r_healthz=$(ratio "$healthz_rps" "$hello_rps")
r_mixed=$(ratio "$mixed_rps" "$pg_tps")
idle_mb=$(awk -v k="$idle_rss" 'BEGIN { printf "%.1f", k / 1024 }')
peak_mb=$(awk -v k="$peak_rss" 'BEGIN { printf "%.1f", k / 1024 }')
[ "$smoke" = 1 ] && echo "(smoke mode: tiny sizes, figures are meaningless)"
echo
row "figure" "measured" "baseline (same run)" "ratio" "target" "result"
row "---" "---:" "---" "---:" "---" "---"
row "\`POST /subscribe\` req/s, $conns connections" "$signup_rps" "pgbench one-row INSERT, $conns clients: $pg_tps tps" "$r_signup" "≥ 0.5×" "$(verdict "$r_signup" ">=" 0.5)"
row "\`POST /subscribe\` req/s vs the signup's SQL alone" "$signup_rps" "pgbench calling optin_signup(), $conns clients: $sql_tps tps" "$(ratio "$signup_rps" "$sql_tps")" "report" "—"
row "\`POST /subscribe\` req/s with OPTIN_POW=on (solutions precomputed)" "$pow_on_rps" "OPTIN_POW=off, alternating: $pow_off_rps req/s" "$r_pow" "report" "—"
row "\`POST /subscribe\` req/s with the ledger's hash chain" "$chain_on_rps" "chain trigger off, alternating: $chain_off_rps req/s" "$r_chain" "≥ 0.95×" "$(verdict "$r_chain" ">=" 0.95)"
row "\`GET /healthz\` req/s, $conns connections" "$healthz_rps" "bare cpp-httplib, same tuning: $hello_rps req/s" "$r_healthz" "≥ 0.9×" "$(verdict "$r_healthz" ">=" 0.9)"
row "confirm → unsubscribe mixed req/s" "$mixed_rps" "pgbench: $pg_tps tps" "$r_mixed" "report" "—"
row "\`POST /admin/suppressions/check\`, $check addresses vs $suppressions entries" "$check_rate addr/s ($(printf '%.3f' "$check_s") s)" "—" "—" "≥ 500 000/s" "$(verdict "$check_rate" ">=" 500000)"
row "\`POST /admin/import\`, $import_rows rows" "$import_rate rows/s ($(printf '%.2f' "$import_s") s)" "—" "—" "≥ 20 000/s" "$(verdict "$import_rate" ">=" 20000)"
row "CleverReach push, $push receivers" "$push_rate receivers/s ($(printf '%.2f' "$push_s") s)" "—" "—" "≥ 5 000/s" "$(verdict "$push_rate" ">=" 5000)"
row "confirmation mails over SMTP, $mails mails" "$mail_rate mails/s ($(printf '%.2f' "$mail_s") s)" "—" "—" "≥ 200/s" "$(verdict "$mail_rate" ">=" 200)"
row "RSS of \`optin serve\`: idle / peak under signup load" "$idle_mb MB / $peak_mb MB" "—" "—" "≤ 30 / ≤ 100 MB" "$(verdict "$idle_mb" "<=" 30)/$(verdict "$peak_mb" "<=" 100)"
row "p99 \`POST /subscribe\` at half max ($paced_rps req/s achieved)" "$signup_p99 ms" "same rate, pgbench: optin_signup() p99 $sql_p99 ms, one-row INSERT p99 $insert_p99 ms" "—" "≤ 20 ms" "$(verdict "$signup_p99" "<=" 20)"
echo
echo "(p99 at full load: $signup_p99_max ms; mixed load unsubscribed $confirmed_unsubscribed confirmed subscriptions)"
