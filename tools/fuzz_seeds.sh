#!/usr/bin/env bash
# Regenerates the fuzz targets' seed corpus: small valid inputs made by the
# codecs' encoders (tests/fuzz_corpus/make_fuzz_seeds.cpp), written to
# drivers/<folder>/corpus/<target>/ where tools/fuzz.sh seeds each target from.
# The files are checked in; run this after changing a wire format.
#   tools/fuzz_seeds.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/tools/build.sh" release --target make_fuzz_seeds
"$root/build/release/tests/fuzz_corpus/make_fuzz_seeds" "$root/drivers"
