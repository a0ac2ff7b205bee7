#!/usr/bin/env bash
# The browser test (CTest "browser:double-opt-in"): starts the real optin binary against a fresh
# database on the PostgreSQL that scripts/test.sh started, runs double_opt_in.mjs in headless
# Debian chromium, and tears everything down. When chromium, node or the npm packages cannot be
# had it exits 77 (CTest: skipped) with "skipped: ...", except under CI=true, where a missing
# tool is a failure (exit 1, "FAIL: ...").
#   tests/browser/run.sh OPTIN_BINARY [--update-docs]   (--update-docs: screenshots into docs/screenshots)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
binary=${1:?usage: run.sh OPTIN_BINARY [--update-docs]}
skip() {
  if [ "${CI:-}" = "true" ]; then echo "FAIL: $* (CI=true: a missing tool is a failure)"; exit 1; fi
  echo "skipped: $*"; exit 77
}

[ -x /usr/bin/chromium ] || skip "Debian chromium is not installed (scripts/install-deps.sh --with-browser)"
command -v node >/dev/null || skip "node is not installed (scripts/install-deps.sh --with-browser)"
if [ ! -d "$here/node_modules/playwright-core" ] || [ ! -d "$here/node_modules/axe-core" ]; then
  command -v npm >/dev/null || skip "npm is not installed (scripts/install-deps.sh --with-browser)"
  (cd "$here" && npm ci --no-audit --no-fund >&2) || skip "npm ci in tests/browser failed (is the npm registry reachable?)"
fi
: "${OPTIN_TEST_DATABASE_URL:?run through scripts/test.sh, which starts PostgreSQL}"

tmp=$(mktemp -d "${OPTIN_TEST_TMP:-/tmp}/browser.XXXXXX")
db="optin_browser_$$_$RANDOM"
pid=""
cleanup() {
  status=$?
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; fi
  psql "$OPTIN_TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  [ $status -eq 0 ] || { echo "--- optin log (last 30 lines) ---"; tail -30 "$tmp/optin.log" 2>/dev/null || true; }
  rm -rf "$tmp"
  exit $status
}
trap cleanup EXIT

psql "$OPTIN_TEST_DATABASE_URL" -qc "CREATE DATABASE $db" >/dev/null
port=$("$root/scripts/free-port.sh")
export OPTIN_BASE_URL="http://127.0.0.1:$port"
export OPTIN_MAIL_DIR="$tmp/mail"
export OPTIN_ADMIN_TOKEN="browser-admin-$(openssl rand -hex 12)"
export SCREENSHOT_DIR="$tmp/screenshots"
[ "${2:-}" = "--update-docs" ] && SCREENSHOT_DIR="$root/docs/screenshots"
mkdir -p "$OPTIN_MAIL_DIR"

OPTIN_DATABASE_URL="${OPTIN_TEST_DATABASE_URL%/*}/$db" OPTIN_LISTEN="127.0.0.1:$port" \
  OPTIN_PUBLIC_URL="$OPTIN_BASE_URL" OPTIN_SECRET="$(openssl rand -hex 32)" OPTIN_RATE_LIMIT=off \
  "$binary" serve >"$tmp/optin.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  grep -qs '"listening on http' "$tmp/optin.log" && break
  kill -0 "$pid" 2>/dev/null || { echo "optin exited during start-up"; exit 1; }
  sleep 0.1
done
grep -q '"listening on http' "$tmp/optin.log" || { echo "optin did not start listening within 30 s"; exit 1; }

cd "$here"
node double_opt_in.mjs
