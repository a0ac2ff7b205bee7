#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, ASan + UBSan) and runs each for a bounded time, from the
# seed corpus in tests/fuzz/corpus/<name>/; prints executions per target. Any crash, leak or broken
# invariant fails the run; the input is saved in the build directory's artifacts/.
#   tests/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]    (default 10 s, every target)
# Build directory: $OPTIN_FUZZ_BUILD_DIR or build-fuzz/. Exit 77 (skipped) when clang-14 and its
# fuzzer runtime cannot be had — except with CI=true, where that fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
seconds=${1:-10}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(address request token csv_import cleverreach config mail altcha)
build=${OPTIN_FUZZ_BUILD_DIR:-$root/build-fuzz}

scripts/install-deps.sh --with-fuzz >&2 || true
fuzzer_rt=$(ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null | head -1 || true)
if ! command -v clang++-14 >/dev/null || [ -z "$fuzzer_rt" ]; then
  msg="clang-14 with libFuzzer (clang-14, libclang-rt-14-dev) is not installed"
  # Under CI a tool the test command installs must be there: missing is a failure, not a skip.
  [ "${CI:-}" = true ] && { echo "fuzz: $msg" >&2; exit 1; }
  echo "skipped: $msg" >&2
  exit 77
fi

mkdir -p "$build"
if ! { CC=clang-14 CXX=clang++-14 cmake -S tests/fuzz -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
         && cmake --build "$build" -j "$(nproc)"; } >"$build/build.log" 2>&1; then
  grep -E 'error|warning' "$build/build.log" | head -40 >&2 || tail -40 "$build/build.log" >&2
  echo "fuzz build failed; full log: $build/build.log" >&2
  exit 1
fi
if grep -q 'warning:' "$build/build.log"; then
  grep 'warning:' "$build/build.log" >&2
  echo "fuzz build has warnings (it must stay warning-free)" >&2
  exit 1
fi

# The seed corpus stays read-only: new inputs go to the build directory's corpus.
export ASAN_OPTIONS=${FUZZ_ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
unset LSAN_OPTIONS
failed=0
printf '%-12s %12s %10s  %s\n' target executions exec/s result
for name in "${targets[@]}"; do
  mkdir -p "$build/corpus/$name" "$build/artifacts/$name"
  log="$build/$name.log"
  status=ok
  "$build/${name}_fuzz" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
      -max_len=4096 -artifact_prefix="$build/artifacts/$name/" \
      "$build/corpus/$name" "tests/fuzz/corpus/$name" >"$log" 2>&1 || status=FAILED
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  printf '%-12s %12s %10s  %s\n' "$name" "${execs:-0}" "${rate:-0}" "$status"
  if [ "$status" != ok ]; then
    failed=1
    grep -E 'ERROR|invariant broken|runtime error|Test unit written' "$log" | head -20 >&2 || true
    echo "full log: $log" >&2
  fi
done
exit $failed
