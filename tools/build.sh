#!/usr/bin/env bash
# Configures and builds one flavour of stridefuse into build/<flavour>:
#   release (default), asan (AddressSanitizer+UBSan), tsan (ThreadSanitizer).
# Installs missing Debian packages first. Used by run.sh and test.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
flavour="${1:-release}"
shift || true
bash "$root/tools/setup/install-deps.sh"

# Unity build: each target's sources are compiled a few at a time as one
# translation unit, so the Eigen, Cap'n Proto, Boost and GoogleTest headers
# are parsed and their templates instantiated once per batch, not once per
# file; the three builds of the suite take about 40 % less compiler time.
# Each source must still build on its own (a plain cmake configure builds them
# so): names in anonymous namespaces must not clash within a target.
common=(-G Ninja -DSTRIDEFUSE_WERROR=ON -DPython_EXECUTABLE=/usr/bin/python3 -DCMAKE_UNITY_BUILD=ON)
# Optimised without full debug info: with Eigen, Cap'n Proto and Boost headers
# in most files, -g roughly doubles compile time. Sanitizer builds keep line
# tables (-g1) so their reports point at source lines.
case "$flavour" in
  release) flags=(-DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2") ;;
  asan)    flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1"
                  -DSTRIDEFUSE_SANITIZE=address -DSTRIDEFUSE_BUILD_BENCHMARKS=OFF -DSTRIDEFUSE_BUILD_PYTHON=OFF) ;;
  tsan)    flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1"
                  -DSTRIDEFUSE_SANITIZE=thread -DSTRIDEFUSE_BUILD_BENCHMARKS=OFF -DSTRIDEFUSE_BUILD_PYTHON=OFF) ;;
  *) echo "build.sh: unknown flavour '$flavour' (release, asan or tsan)" >&2; exit 2 ;;
esac

build="$root/build/$flavour"
mkdir -p "$root/build"
cmake -S "$root" -B "$build" "${common[@]}" "${flags[@]}" >"$build.configure.log" 2>&1 || {
  cat "$build.configure.log" >&2; exit 1; }
cmake --build "$build" -j "$(nproc)" "$@"
