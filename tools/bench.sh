#!/usr/bin/env bash
# Builds the release flavour and runs the benchmarks, each printing the
# figures an issue asks for. Not part of the test suite.
#   tools/bench.sh                 # all of them
#   tools/bench.sh broad engine    # only those whose name contains a word given
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$root/build"
bash "$root/tools/build.sh" release >/dev/null
bench_dir="$root/build/release/tests/benchmarks"

# name, then its arguments: the figures the issues ask for.
benches=(
  "broad_attitude_bench"              # issue 3: attitude on the six BROAD trials vs VQF's 0.64 deg
  "attitude_cost_bench"               # issue 3: ns per attitude update
  "engine_accuracy_bench"             # issue 3: accuracy table over the scenario matrix, then one hour
  "analyze_hour_bench"                # issues 3, 17: CPU seconds and peak memory of 'analyze' on one simulated hour
  "live_path_bench"                   # issue 17: the live path per sample, a 10-minute replay vs 2,000x real time
  "clock_sync_bench"                  # issue 4: clock error vs arrival stamping and a least-squares fit
  "event_stream_bench"                # issues 2 and 6: encode cost, PUB->SUB rate vs raw ZeroMQ, latency, slow subscriber
  "runner_simulation_bench 1"         # issue 2: cost of simulating one hour
  "driver_decode_bench"               # issue 5: decode throughput per driver
  "driver_usb_latency_bench"          # issue 5: latency through the emulated USB path
  "sensor_subsets_bench"              # issue 13: steps from any set of sensors, on real mobgap and OpenGo data too
  "real_runner_bench"                 # issue 11: a real treadmill runner (RBDS) against its force plate and markers
  "second_model_bench"                # issue 11: analyze on a second, independent runner model, every figure vs its target
  "runner_matrix_bench"               # issue 11: analyze on a randomised matrix of our own runner, files on their own clocks
  "fault_soak_bench"                  # issue 12: 30 min of a bridge session with link faults: steps, recovery, memory
  "drill_accuracy_bench"              # issue 16: drill mode over every exercise: rep count, excursion, flags, latency
)

status=0
for entry in "${benches[@]}"; do
  name="${entry%% *}"
  args=""
  [[ "$entry" == *" "* ]] && args="${entry#* }"
  if [[ $# -gt 0 ]]; then
    wanted=false
    for word in "$@"; do [[ "$name" == *"$word"* ]] && wanted=true; done
    $wanted || continue
  fi
  if [[ ! -x "$bench_dir/$name" ]]; then
    echo "== $name: not built" >&2
    status=1
    continue
  fi
  echo "== $name $args"
  if [[ "$name" == live_path_bench ]]; then
    # Sample copies are counted only in a build made for it (every copy of a
    # Sample then costs a counter increment): its own flavour, this benchmark only.
    cmake -S "$root" -B "$root/build/counting" -G Ninja -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2" \
      -DSTRIDEFUSE_COUNT_SAMPLE_COPIES=ON -DSTRIDEFUSE_BUILD_PYTHON=OFF -DPython_EXECUTABLE=/usr/bin/python3 >/dev/null
    cmake --build "$root/build/counting" --target live_path_bench >/dev/null
    echo "== $name (copy-counting build) $args"
    "$root/build/counting/tests/benchmarks/$name" $args || true  # its times are not the figure; the release run's are
  fi
  runner=()
  [[ "$name" == driver_usb_* ]] && runner=(umockdev-wrapper)
  # shellcheck disable=SC2086
  "${runner[@]}" "$bench_dir/$name" $args || status=1
done
exit $status
