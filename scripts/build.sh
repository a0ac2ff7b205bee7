#!/usr/bin/env bash
# Configures and builds optin. Usage: scripts/build.sh [Release|RelWithDebInfo|Debug] [--sanitize]
# Build output goes to BUILD_DIR/build.log (shown on failure); prints the build directory.
# OPTIN_BUILD_DIR overrides the directory; OPTIN_BUILD_TARGETS="optin hello_server" builds
# only those targets (the run command and the benchmark do).
set -euo pipefail
cd "$(dirname "$0")/.."
type=${1:-RelWithDebInfo}
dir=build
flags=(-DCMAKE_BUILD_TYPE="$type")
if [ "${2:-}" = "--sanitize" ]; then dir=build-sanitize; flags+=(-DOPTIN_SANITIZE=ON); fi
if [ "$type" = Release ] && [ "$dir" = build ]; then dir=build-release; fi
dir=${OPTIN_BUILD_DIR:-$dir}  # lets parallel work trees keep separate builds
if command -v ccache >/dev/null; then
  # Optional (not installed by install-deps): work trees of one repository share compiled objects.
  flags+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(pwd)} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
fi
mkdir -p "$dir"
targets=()
for t in ${OPTIN_BUILD_TARGETS:-}; do targets+=(--target "$t"); done
if ! { cmake -S . -B "$dir" "${flags[@]}" && cmake --build "$dir" -j "$(nproc)" ${targets[@]+"${targets[@]}"}; } >"$dir/build.log" 2>&1; then
  grep -E 'error|Error|warning' "$dir/build.log" | head -60 >&2 || tail -40 "$dir/build.log" >&2
  echo "build failed; full log: $dir/build.log" >&2
  exit 1
fi
if grep -q 'warning:' "$dir/build.log"; then
  grep 'warning:' "$dir/build.log" >&2
  echo "build has warnings (the build must stay warning-free)" >&2
  exit 1
fi
echo "$dir"
