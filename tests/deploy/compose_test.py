#!/usr/bin/python3
"""Checks docker-compose.yml and the Dockerfile without a container engine (none runs here):
services, healthchecks, optin's environment against the variables the README documents, secrets
taken from the environment, a multi-stage build and a non-root runtime user.
Usage: compose_test.py SOURCE_DIR  (exit 0 = all checks passed)"""
import re
import sys

import yaml

root = sys.argv[1] if len(sys.argv) > 1 else "."
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def healthcheck_test(service):
    hc = service.get("healthcheck") or {}
    test = hc.get("test")
    return " ".join(test) if isinstance(test, list) else (test or "")


with open(f"{root}/README.md", encoding="utf-8") as f:
    readme = f.read()
# Every OPTIN_* name in the README's configuration tables (rows starting with "| `OPTIN_").
known = set()
for line in readme.splitlines():
    if line.startswith("| `OPTIN_"):
        known.update(re.findall(r"`(OPTIN_[A-Z0-9_]+)`", line.split("|")[1]))
check(len(known) >= 20, f"README configuration tables list only {len(known)} OPTIN_* variables")

with open(f"{root}/docker-compose.yml", encoding="utf-8") as f:
    compose = yaml.safe_load(f)
services = compose.get("services", {})
for name in ("postgres", "optin", "mailpit"):
    check(name in services, f"service {name} missing")
    if name in services:
        check(healthcheck_test(services[name]), f"service {name} has no healthcheck")

pg = services.get("postgres", {})
check(str(pg.get("image", "")).startswith("postgres:15"), "postgres must use the postgres:15 image")
check("pg_isready" in healthcheck_test(pg), "postgres healthcheck must use pg_isready")
check(any(str(v).endswith(":/var/lib/postgresql/data") for v in pg.get("volumes", [])),
      "postgres needs a volume for /var/lib/postgresql/data")

optin = services.get("optin", {})
check(optin.get("build") in (".", {"context": "."}), "optin must be built from this directory")
depends = optin.get("depends_on", {})
check(isinstance(depends, dict) and depends.get("postgres", {}).get("condition") == "service_healthy",
      "optin must depend on postgres being healthy")
check("/healthz" in healthcheck_test(optin), "optin healthcheck must hit /healthz")

env = optin.get("environment", {})
if isinstance(env, list):
    env = dict(item.split("=", 1) for item in env)
for var in env:
    check(var in known, f"optin sets {var}, which the README does not document")
for var in ("OPTIN_DATABASE_URL", "OPTIN_SECRET", "OPTIN_ADMIN_TOKEN", "OPTIN_LISTEN", "OPTIN_PUBLIC_URL",
            "OPTIN_SMTP_URL"):
    check(var in env, f"optin environment lacks {var}")
for var in ("OPTIN_SECRET", "OPTIN_ADMIN_TOKEN"):
    check(re.fullmatch(r"\$\{[A-Z0-9_]+:\?[^}]*\}", str(env.get(var, ""))) is not None,
          f"{var} must come from the environment as ${{{var}:?...}}, never a literal")
check(str(env.get("OPTIN_LISTEN", "")).startswith("0.0.0.0:"), "OPTIN_LISTEN must bind 0.0.0.0 in a container")
check(str(env.get("OPTIN_SMTP_URL", "")).startswith("smtp://mailpit:1025"), "OPTIN_SMTP_URL must point at mailpit")
check("@postgres:" in str(env.get("OPTIN_DATABASE_URL", "")), "OPTIN_DATABASE_URL must point at the postgres service")

with open(f"{root}/Dockerfile", encoding="utf-8") as f:
    dockerfile = f.read()
lines = [l.strip() for l in dockerfile.splitlines() if l.strip() and not l.strip().startswith("#")]
stages = [i for i, l in enumerate(lines) if l.upper().startswith("FROM ")]
check(len(stages) >= 2, "the Dockerfile must be multi-stage")
check(all("debian:bookworm" in lines[i] for i in stages), "every stage must be based on debian:bookworm")
runtime = lines[stages[-1]:] if stages else lines
users = [l.split()[1] for l in runtime if l.upper().startswith("USER ")]
check(users and users[-1] not in ("root", "0"), "the runtime stage must switch to a non-root USER")
check(any(l.upper().startswith("HEALTHCHECK") and "/healthz" in " ".join(runtime) for l in runtime),
      "the runtime stage needs a HEALTHCHECK on /healthz")
runtime_text = " ".join(runtime)
check(re.search(r"\S+-dev\b", runtime_text) is None, "the runtime stage must not install -dev packages")
for lib in ("libpqxx-6.4", "libcurl4", "libcpp-httplib0.11", "libidn2-0", "libssl3"):
    check(lib in runtime_text, f"the runtime stage must install {lib}")
check(re.search(r"(curl|wget)", runtime_text) is not None, "the runtime image needs curl or wget for the healthcheck")
check("OPTIN_LISTEN=0.0.0.0:8080" in runtime_text, "the image must set OPTIN_LISTEN=0.0.0.0:8080")
check('"serve"' in runtime_text, "the image must run `optin serve`")
for var in re.findall(r"\b(OPTIN_[A-Z0-9_]+)=", runtime_text):
    check(var in known, f"the Dockerfile sets {var}, which the README does not document")

try:
    with open(f"{root}/.dockerignore", encoding="utf-8") as f:
        ignored = f.read()
    check(".git" in ignored and "build" in ignored, ".dockerignore must exclude .git and build directories")
except FileNotFoundError:
    failures.append(".dockerignore missing")

for message in failures:
    print("FAIL:", message)
print(f"compose_test: {len(failures)} failure(s); {len(known)} documented OPTIN_* variables")
sys.exit(1 if failures else 0)
