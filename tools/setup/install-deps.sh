#!/usr/bin/env bash
# Installs the Debian packages stridefuse builds and tests with, only those
# missing, so a fresh Debian 12 machine needs nothing done by hand.
set -euo pipefail

packages=(
  cmake g++ ninja-build pkg-config git
  libboost-dev libboost-program-options-dev
  libeigen3-dev
  libzmq3-dev cppzmq-dev
  capnproto libcapnp-dev
  zlib1g-dev  # CRC-32 of recording frames
  libusb-1.0-0-dev umockdev libumockdev-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  pybind11-dev python3-dev python3-zmq python3-numpy
  clang-14  # libFuzzer targets of the decoders (tools/fuzz.sh)
  chromium  # the report's test renders report.html in headless Chromium (tests/findings)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "stridefuse: installing missing Debian packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=sudo
  else
    echo "stridefuse: need root to install ${missing[*]} (run as root or install sudo)" >&2
    exit 1
  fi
else
  SUDO=""
fi
# Another apt (a second build started at the same moment, the machine's own
# updates) may hold dpkg's lock: wait for it rather than fail.
lock_wait=(-o DPkg::Lock::Timeout=600)
$SUDO apt-get "${lock_wait[@]}" update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get "${lock_wait[@]}" install -y -qq --no-install-recommends "${missing[@]}"
