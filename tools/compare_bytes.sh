#!/usr/bin/env bash
# Shows that a change leaves the pipeline's bytes alone, against another
# build of the program (e.g. one built from the commit before the change):
#
#   tools/compare_bytes.sh OLD_STRIDEFUSE [NEW_STRIDEFUSE]
#
#  1. analyze: a 10-minute simulated session (written by OLD, so both read the
#     same files) analysed by both builds, with the treadmill speed and with a
#     speed file and insole IMUs; every output file compared with cmp;
#  2. replay: a live simulated session recorded by OLD (20 s, the host clock)
#     replayed by NEW, which compares each event byte for byte.
# Exits 1 at the first difference. NEW defaults to build/release/tools/stridefuse.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
old="${1:?usage: tools/compare_bytes.sh OLD_STRIDEFUSE [NEW_STRIDEFUSE]}"
new="${2:-$root/build/release/tools/stridefuse}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

analyse_both() {  # NAME SIMULATE-ARGS -- ANALYZE-ARGS
  local name="$1"; shift
  local sim=() ana=()
  while [[ "$1" != "--" ]]; do sim+=("$1"); shift; done
  shift
  ana=("$@")
  "$old" simulate --out "$work/$name" "${sim[@]}" > /dev/null
  local files=(--pelvis "$work/$name/pelvis.csv" --left "$work/$name/left.csv" --left-layout "$work/$name/left_layout.json"
               --right "$work/$name/right.csv" --right-layout "$work/$name/right_layout.json")
  "$old" analyze "${files[@]}" "${ana[@]/@/$work/$name/}" --out "$work/$name.old" > /dev/null 2>&1
  "$new" analyze "${files[@]}" "${ana[@]/@/$work/$name/}" --out "$work/$name.new" > /dev/null 2>&1
  for f in attitude.csv steps.csv events.jsonl report.html; do
    cmp "$work/$name.old/$f" "$work/$name.new/$f"
  done
  echo "analyze $name: attitude.csv, steps.csv, events.jsonl, report.html identical"
}

analyse_both treadmill --duration 600 --seed 7 -- --speed 3.5
analyse_both footpod --duration 600 --seed 3 --insole-imu --speed-source stream -- --speed-csv @speed.csv

port() { echo "tcp://127.0.0.1:$((20000 + RANDOM % 20000))"; }
"$old" record --simulate --duration 20 --seed 7 --quiet --endpoint "$(port)" --output "$work/live.sfrec" > /dev/null 2>&1
"$new" replay "$work/live.sfrec" --speed 0 --endpoint "$(port)" 2> /dev/null | tee "$work/replay.txt" | tail -1
grep -q '^identical' "$work/replay.txt"
echo "replay: a live session recorded by the old build replays identically"
