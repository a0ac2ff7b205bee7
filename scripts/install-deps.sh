#!/usr/bin/env bash
# Installs the Debian packages optin needs to build, run and test; does nothing when all are present.
# Usage: scripts/install-deps.sh [--with-bench] [--with-browser]
set -euo pipefail

packages=(build-essential cmake pkg-config libcpp-httplib-dev libpqxx-dev libcurl4-openssl-dev
          libssl-dev catch2 nlohmann-json3-dev libidn2-dev postgresql-15 python3-aiosmtpd
          ca-certificates curl)
for arg in "$@"; do
  case "$arg" in
    --with-bench) packages+=(wrk postgresql-contrib) ;;
    --with-browser) packages+=(chromium nodejs npm) ;;
    *) echo "install-deps: unknown option $arg" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
