#!/usr/bin/env bash
# The run command: installs what is missing, builds, creates a local PostgreSQL cluster under
# var/pg on first use, starts it, generates OPTIN_SECRET into var/secret once, migrates, and runs
# `optin serve` in the foreground with mail written to var/mail/. Ctrl-C stops both.
# Any OPTIN_* variable already set in the environment wins over these defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/install-deps.sh
build=$(OPTIN_BUILD_TARGETS=optin scripts/build.sh Release | tail -1)

mkdir -p var/mail
chmod 755 var
pg_port=${OPTIN_LOCAL_PG_PORT:-25432}
scripts/pg-cluster.sh start var/pg "$pg_port"
trap 'scripts/pg-cluster.sh stop var/pg' EXIT

if [ ! -s var/secret ]; then
  (umask 077 && openssl rand -hex 32 >var/secret)
fi
if [ ! -s var/admin-token ]; then
  (umask 077 && openssl rand -hex 24 >var/admin-token)
fi
psql "$(scripts/pg-cluster.sh url var/pg "$pg_port")" -qtAc "SELECT 1 FROM pg_database WHERE datname='optin'" | grep -q 1 \
  || psql "$(scripts/pg-cluster.sh url var/pg "$pg_port")" -qc "CREATE DATABASE optin"

export OPTIN_DATABASE_URL=${OPTIN_DATABASE_URL:-$(scripts/pg-cluster.sh url var/pg "$pg_port" optin)}
export OPTIN_SECRET=${OPTIN_SECRET:-$(cat var/secret)}
export OPTIN_ADMIN_TOKEN=${OPTIN_ADMIN_TOKEN:-$(cat var/admin-token)}
export OPTIN_MAIL_DIR=${OPTIN_MAIL_DIR:-$root/var/mail}
export OPTIN_LISTEN=${OPTIN_LISTEN:-127.0.0.1:8080}
export OPTIN_PUBLIC_URL=${OPTIN_PUBLIC_URL:-http://localhost:${OPTIN_LISTEN##*:}}

echo "optin: open $OPTIN_PUBLIC_URL/form/newsletter (mail goes to var/mail/, admin token in var/admin-token)" >&2
"$build/optin" serve
