#!/usr/bin/env bash
# make demo: runs vigil's main job on data it generates. Grows with each capability.
# For now: a synthetic PhysioNet 2019-format sample is ingested, checked record by record, and summarised
# (a later step replaces the sample with the synthetic hospital).
set -euo pipefail
build=${1:-build/release}
here=$(cd "$(dirname "$0")" && pwd)
out=${DEMO_DIR:-$here/../build/demo}
vigil="$build/vigil"

echo "demo: vigil built at $vigil"
"$vigil" --version
rm -rf "$out"
mkdir -p "$out"
/usr/bin/python3 "$here/make_physionet_sample.py" --stays 500 --seed 7 "$out/physionet2019"

# Exit status 3 means "done, some records rejected": the sample has one malformed cell on purpose.
echo
echo "\$ vigil ingest --store $out/demo.duckdb --format physionet2019 $out/physionet2019"
status=0
"$vigil" ingest --store "$out/demo.duckdb" --format physionet2019 "$out/physionet2019" || status=$?
[ "$status" -eq 0 ] || [ "$status" -eq 3 ] || exit "$status"
echo "(exit status $status)"

echo
echo "\$ vigil stats --store $out/demo.duckdb --codes 12"
"$vigil" stats --store "$out/demo.duckdb" --codes 12

echo
echo "rejected records, with where and why ($out/demo.duckdb.rejects.ndjson):"
cat "$out/demo.duckdb.rejects.ndjson"

echo
echo "\$ vigil timeline --store $out/demo.duckdb p000001 (first lines)"
"$vigil" timeline --store "$out/demo.duckdb" p000001 > "$out/timeline.txt"
head -n 12 "$out/timeline.txt"

echo
echo "running the same ingest again stores nothing new:"
"$vigil" ingest --store "$out/demo.duckdb" --format physionet2019 "$out/physionet2019" || true
