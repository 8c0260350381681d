#!/usr/bin/env bash
# Builds every libFuzzer target under tests/fuzz with clang (ASan+UBSan) and
# runs each briefly. `tools/fuzz.sh [SECONDS]` (default 20 per target).
# Targets compile the decoder sources they exercise directly, no CMake build needed.
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
sources=(
  "$root"/drivers/bridge/bridge_protocol.cpp "$root"/drivers/bridge/bridge_driver.cpp
  "$root"/drivers/reference_insole/reference_insole_payload.cpp "$root"/drivers/reference_insole/reference_insole_driver.cpp
  "$root"/drivers/reference_imu/reference_imu_payload.cpp "$root"/drivers/reference_imu/reference_imu_driver.cpp
  "$root"/drivers/rsc_speed/rsc_measurement.cpp "$root"/drivers/rsc_speed/rsc_speed_driver.cpp
  "$root"/drivers/simulated/sensor_packet.cpp
  "$root"/sdk/src/core/stream.cpp "$root"/sdk/src/driver/driver_defaults.cpp "$root"/sdk/src/driver/measurement_gatt_driver.cpp
)
flags=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -I"$root/sdk/include" -I"$root/drivers" -isystem /usr/include/eigen3)
for target in "$root"/tests/fuzz/*_fuzz.cpp; do
  name="$(basename "$target" .cpp)"
  echo "== fuzz: building $name"
  "$clang" "${flags[@]}" "$target" "${sources[@]}" -o "$out/$name"
  mkdir -p "$out/$name.corpus"
  echo "== fuzz: running $name for $seconds s"
  set +e
  "$out/$name" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 -artifact_prefix="$out/$name-" \
    "$out/$name.corpus" > "$out/$name.log" 2>&1
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
