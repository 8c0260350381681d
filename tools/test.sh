#!/usr/bin/env bash
# The whole test suite: builds with warnings as errors and runs every test
# through CTest, then again under AddressSanitizer+UndefinedBehaviorSanitizer
# and the threaded tests under ThreadSanitizer. Installs missing Debian
# packages first. `tools/test.sh --quick` runs the release build only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$root/build"
start=$(date +%s)
jobs=$(nproc)

run_suite() {
  local flavour="$1"; shift
  echo "== stridefuse tests: $flavour build"
  bash "$root/tools/build.sh" "$flavour"
  ctest --test-dir "$root/build/$flavour" --output-on-failure -j "$jobs" "$@"
}

run_suite release
if [[ "${1-}" != "--quick" ]]; then
  run_suite asan -LE no_asan
  run_suite tsan -L threaded
fi
echo "== stridefuse tests: all passed in $(( $(date +%s) - start )) s"
