#!/usr/bin/env bash
# The whole test suite, every test run once where it can be checked hardest:
# all that can run under AddressSanitizer+UndefinedBehaviorSanitizer do, the
# threaded ones again under ThreadSanitizer, and the rest (the installed
# package as an outside project sees it, the Python module, which load no
# sanitizer runtime) in the optimised release build, which also builds the
# program, the examples and the benchmarks. Warnings are errors. Installs
# missing Debian packages first. `tools/test.sh --quick` runs every test in
# the release build only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$root/build"
start=$(date +%s)
jobs=$(nproc)

# run_suite FLAVOUR "BUILD TARGETS (empty: all)" CTEST-ARGS...
run_suite() {
  local flavour="$1" targets="$2"; shift 2
  echo "== stridefuse tests: $flavour build"
  local build_args=()
  for t in $targets; do build_args+=(--target "$t"); done
  bash "$root/tools/build.sh" "$flavour" "${build_args[@]}"
  ctest --test-dir "$root/build/$flavour" --output-on-failure --no-tests=error -j "$jobs" "$@"
}

export TSAN_OPTIONS="suppressions=$root/tests/tsan.supp halt_on_error=1 second_deadlock_stack=1"
export ASAN_OPTIONS="detect_leaks=1"
export UBSAN_OPTIONS="print_stacktrace=1 halt_on_error=1"

if [[ "${1-}" == "--quick" ]]; then
  run_suite release ""
else
  run_suite release "stridefuse install_tests bindings_python_tests benchmarks" -L "no_asan|python"
  run_suite asan "" -LE no_asan
  # The threaded code (session, merge, publishers) lives in the SDK area; the
  # C API's tests drive its callback and poll queue across threads.
  run_suite tsan "sdk_tests bindings_c_tests" -L threaded
  bash "$root/tools/fuzz.sh" 5  # every decoder's libFuzzer target, briefly
fi
echo "== stridefuse tests: all passed in $(( $(date +%s) - start )) s"
