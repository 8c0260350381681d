#!/usr/bin/env bash
# Builds every libFuzzer target and runs each briefly: `tools/fuzz.sh [SECONDS]`
# (default 20 per target). A target is a driver folder's own *_fuzz.cpp
# (drivers/<family>/*_fuzz.cpp): a new device adds its fuzz target in its
# folder and nothing else. Each target is compiled with clang (ASan+UBSan,
# coverage) together with the core's and the drivers' sources (not the
# simulated world's, below), so the decoders under test are instrumented; no
# CMake build is needed. A folder's
# corpus/<target>/ (when present) seeds the run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-20}"
clang="$(command -v clang++-14 || command -v clang++ || true)"
if [[ -z "$clang" ]]; then
  echo "fuzz: no clang++ found (install clang-14); fuzz targets skipped" >&2
  exit 0
fi
out="$root/build/fuzz"
mkdir -p "$out"
# The decoders and what they use; not the simulated world (the simulator's
# models, the simulated link, the bridge emulator and the registrations that
# open them), which no target decodes with and which is half the compile time.
mapfile -t sources < <(find "$root/sdk/core/src" "$root/drivers" -name '*.cpp' ! -name '*_fuzz.cpp' \
  ! -path "$root/drivers/simulated/runner/*" ! -path "$root/drivers/simulated/drill/*" \
  ! -path "$root/drivers/bridge/emulator/*" ! -path "$root/drivers/bridge/register.cpp" \
  ! -path "$root/drivers/simulated/register.cpp" ! -path "$root/drivers/simulated/simulated_runner_link.cpp" \
  ! -path "$root/drivers/simulated/sensor_packetizer.cpp" ! -path "$root/drivers/simulated/runner_uri.cpp" \
  ! -path "$root/drivers/simulated/drill_uri.cpp" | sort)
# The simulator's models (runner/, drill/) each keep their headers in an include/ of their own.
model_includes=()
for dir in "$root"/drivers/simulated/*/include; do model_includes+=(-I"$dir"); done
flags=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -I"$root/sdk/core/include" -I"$root/drivers" -I"$root/drivers/include"
       "${model_includes[@]}" -isystem /usr/include/eigen3)
# The sources once, as objects every target links (the generated list of
# driver folders is not needed: targets name what they test), on every core.
objects=()
stale=()
for src in "${sources[@]}"; do
  rel="${src#"$root"/}"
  obj="$out/objects/${rel%.cpp}.o"
  mkdir -p "$(dirname "$obj")"
  # Stale when the source or any header it included (the compiler's .d list) is
  # newer: an object built against an older header has another layout than
  # the targets built against the new one (a false finding, e.g. a bad free).
  if [[ ! -f "$obj" || ! -f "$obj.d" || "$src" -nt "$obj" ]] ||
     [[ -n "$(sed -e 's/\\$//' -e 's/^[^:]*://' "$obj.d" | xargs -r -n 200 sh -c 'find "$@" -newer "$0" -print -quit' "$obj" 2>/dev/null | head -n1)" ]]; then
    stale+=("$src")
  fi
  objects+=("$obj")
done
compile_flags=("${flags[@]/-fsanitize=fuzzer,/-fsanitize=fuzzer-no-link,}")
echo "== fuzz: compiling ${#stale[@]} of ${#sources[@]} sources"
if (( ${#stale[@]} > 0 )); then
  printf '%s\n' "${stale[@]}" | xargs -P "$(nproc)" -I{} bash -c \
    'rel="${1#"$2"/}"; o="$4/objects/${rel%.cpp}.o"; "$3" "${@:5}" -MMD -MF "$o.d" -c "$1" -o "$o"' _ {} "$root" "$clang" "$out" "${compile_flags[@]}"
fi
for target in "$root"/drivers/*/*_fuzz.cpp; do
  folder="$(basename "$(dirname "$target")")"
  name="${folder}_$(basename "$target" .cpp)"
  echo "== fuzz: building $name"
  "$clang" "${flags[@]}" "$target" "${objects[@]}" -lpthread -o "$out/$name"
  mkdir -p "$out/$name.corpus"
  seeds=()
  [[ -d "$(dirname "$target")/corpus/$(basename "$target" .cpp)" ]] && seeds+=("$(dirname "$target")/corpus/$(basename "$target" .cpp)")
  echo "== fuzz: running $name for $seconds s"
  set +e
  "$out/$name" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 -artifact_prefix="$out/$name-" \
    "$out/$name.corpus" "${seeds[@]}" > "$out/$name.log" 2>&1
  status=$?
  set -e
  grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|Done)" "$out/$name.log" || true
  if [[ $status -ne 0 ]]; then
    grep -E "ERROR|SUMMARY|Test unit written" "$out/$name.log" >&2 || true
    echo "fuzz: $name failed (log: $out/$name.log)" >&2
    exit 1
  fi
done
echo "== fuzz: all targets ran clean"
