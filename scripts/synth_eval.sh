#!/usr/bin/env bash
# The evaluation of issue 4 recorded in docs/synth.md: generates a synthetic hospital and checks
# it from its files (vigil-synth-eval reads the FHIR NDJSON and truth/hours.csv, never the
# generator's state). Exit status 0 when every target holds.
#
#   scripts/synth_eval.sh [PATIENTS] [SEED]     (defaults: 5000 1)
#   BUILD=build/release  OUT=<temporary folder, removed unless KEEP=1>
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$here/build/release}
patients=${1:-5000}
seed=${2:-1}
if [ ! -x "$build/vigil" ] || [ ! -x "$build/vigil-synth-eval" ]; then
  make -C "$here" build >/dev/null
fi
out=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/vigil_synth_eval.XXXXXX")}
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$out"' EXIT
echo "\$ vigil synth --patients $patients --seed $seed --out $out"
"$build/vigil" synth --patients "$patients" --seed "$seed" --out "$out"
echo "\$ vigil-synth-eval $out"
"$build/vigil-synth-eval" "$out"
