#!/usr/bin/env bash
# FHIR ingestion speed: vigil end to end (files -> store) against a Python baseline (json + pandas,
# /usr/bin/python3) flattening the same files into the same rows, in the same run, with the raw
# simdjson parse speed of the same files as the ceiling.
#
# Input: ../shared/data/fhir (VIGIL_DATA=...), replicated with new ids into a temporary folder
# (SYNTHEA_COPIES copies of the Synthea bundles, BULK_COPIES copies of the bulk export concatenated
# per resource type) because the shared data (~35 MB) is too small for a stable measurement.
# FHIR_BIG_GB=N (default 0: off) also writes an N GB Observation NDJSON file and reports vigil's
# peak resident memory (/usr/bin/time -v) ingesting it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${VIGIL_BENCH_BUILD:-$here/../build/bench}
data=${VIGIL_DATA:-$(cd "$here/../.." && pwd)/shared/data}/fhir
if [ ! -d "$data/synthea" ] || [ ! -d "$data/bulk-10-patients" ]; then
  echo "bench_ingest_fhir: no FHIR data under $data; skipped"
  exit 0
fi
vigil=$build/vigil
parse=$build/bench/bench_fhir_parse
work=$(mktemp -d "${TMPDIR:-/tmp}/vigil_bench_fhir.XXXXXX")
trap 'rm -rf "$work"' EXIT
synthea_copies=${SYNTHEA_COPIES:-10}
bulk_copies=${BULK_COPIES:-20}
/usr/bin/python3 "$here/fhir_replicate.py" "$data" "$work/in" "$synthea_copies" "$bulk_copies"

now() { date +%s.%N; }
printf '%-8s %9s | %12s %12s | %12s %12s | %12s | %s\n' set MB "vigil s" "vigil MB/s" "python s" \
  "python MB/s" "parse MB/s" "vigil/python"
for set in synthea bulk; do
  dir=$work/in/$set
  mb=$(du -sb "$dir" | awk '{printf "%.1f", $1 / 1e6}')
  cat "$dir"/* > /dev/null  # page cache warm for every contender
  ceiling=$("$parse" "$dir" | awk '{print $8}')
  t0=$(now)
  status=0
  "$vigil" -q ingest --store "$work/$set.duckdb" --format fhir "$dir" || status=$?
  t1=$(now)
  [ "$status" -le 3 ] || { echo "vigil failed ($status)"; exit 1; }
  /usr/bin/python3 "$here/fhir_baseline.py" "$dir" > "$work/py.txt"
  py=$(awk '{print $NF}' "$work/py.txt")
  awk -v set="$set" -v mb="$mb" -v t0="$t0" -v t1="$t1" -v py="$py" -v c="$ceiling" 'BEGIN {
    v = t1 - t0; printf "%-8s %9.1f | %12.3f %12.1f | %12.3f %12.1f | %12.1f | %.1fx\n",
    set, mb, v, mb / v, py, mb / py, c, py / v }'
done
echo "(vigil: files -> DuckDB store, incl. SHA-256, versions and commit; python: files -> pandas"
echo " DataFrames in memory; parse: simdjson DOM parse of the files already in memory)"

if [ "${FHIR_BIG_GB:-0}" != "0" ]; then
  /usr/bin/python3 "$here/fhir_big_ndjson.py" "$work/big" "$FHIR_BIG_GB"
  mb=$(du -sb "$work/big" | awk '{printf "%.1f", $1 / 1e6}')
  /usr/bin/time -v "$vigil" -q ingest --store "$work/big.duckdb" --format fhir "$work/big" \
    2> "$work/time.txt" || true
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$work/time.txt")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
  echo "big NDJSON: $mb MB in $wall (m:ss), peak RSS $rss MB"
fi
