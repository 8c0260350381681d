#!/usr/bin/env bash
# The main job: a live session on the built-in simulated runner. Prints one
# line per step and publishes events on ZeroMQ (tcp://127.0.0.1:5556 unless
# --endpoint is given). Extra arguments go to `stridefuse run`.
#   tools/run.sh                     # 30 s session
#   tools/run.sh --duration 120 --endpoint tcp://127.0.0.1:6000
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$root/build"
bash "$root/tools/build.sh" release --target stridefuse >/dev/null
args=("$@")
if [[ " ${args[*]-} " != *" --duration "* ]]; then args+=(--duration 30); fi
exec "$root/build/release/tools/stridefuse" run --simulate "${args[@]}"
