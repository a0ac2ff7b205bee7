#!/usr/bin/env bash
# Installs the Debian packages optin needs to build, run and test; does nothing when all are present.
# Usage: scripts/install-deps.sh [--with-bench] [--with-browser] [--with-fuzz] [--with-format]
set -euo pipefail

# --with-browser, --with-fuzz and --with-format packages are optional: when they cannot be installed
# the tests needing them skip (with a message) instead of the whole test command failing — except
# under CI=true, where a missing tool is a failure (here and in those tests).
# --with-browser: Debian chromium, nodejs and npm (tests/browser installs playwright-core and
# axe-core from its package-lock.json with `npm ci`; scripts/test.sh does that).
packages=(build-essential cmake pkg-config libcpp-httplib-dev libpqxx-dev libcurl4-openssl-dev
          libssl-dev catch2 nlohmann-json3-dev libidn2-dev postgresql-15 python3-aiosmtpd
          python3-yaml ca-certificates curl openssl)
optional=()
for arg in "$@"; do
  case "$arg" in
    --with-bench) packages+=(wrk postgresql-contrib) ;;
    --with-browser)
      optional+=(chromium)
      # A Node.js from elsewhere (e.g. NodeSource) brings its own npm and conflicts with Debian's.
      command -v npm >/dev/null || optional+=(nodejs npm) ;;
    # libFuzzer's runtime ships in libclang-rt-14-dev; the main build stays GCC.
    --with-fuzz) optional+=(clang-14 libclang-rt-14-dev) ;;
    --with-format) optional+=(clang-format-14) ;;
    *) echo "install-deps: unknown option $arg" >&2; exit 2 ;;
  esac
done

missing_of() {
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}
mapfile -t missing < <(missing_of "${packages[@]}")
mapfile -t missing_optional < <(missing_of ${optional[@]+"${optional[@]}"})
[ ${#missing[@]} -eq 0 ] && [ ${#missing_optional[@]} -eq 0 ] && exit 0

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ ${#missing_optional[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing_optional[*]}" >&2
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing_optional[@]}" >/dev/null \
    || {
      if [ "${CI:-}" = "true" ]; then
        echo "install-deps: could not install ${missing_optional[*]} (CI=true: failing)" >&2
        exit 1
      fi
      echo "install-deps: could not install ${missing_optional[*]}; the tests needing them will be skipped" >&2
    }
fi
