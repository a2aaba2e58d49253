#!/usr/bin/env bash
# FHIR ingestion speed: vigil end to end (files -> store) against a Python baseline (json + pandas,
# /usr/bin/python3) flattening the same files into the same rows, in the same run, with the raw
# simdjson parse speed of the same files as the ceiling.
#
# Each contender runs REPEATS times (default 3), interleaved; medians of wall and CPU time.
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

# One timed run: prints "wall cpu" (seconds; cpu = user + system, which stays meaningful when the
# shared machine is busy and wall times are not).
timed() {
  local out=$work/time.$$
  /usr/bin/time -f '%e %U %S' -o "$out" "$@" > "$work/stdout.txt" || true
  awk '{printf "%s %.2f\n", $1, $2 + $3}' "$out"
}
median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
repeats=${REPEATS:-3}
printf '%-8s %7s | %17s | %17s | %12s | %s\n' set MB "vigil s wall/cpu" "python s wall/cpu" \
  "parse MB/s" "vigil/python wall, cpu (MB/s vigil wall)"
for set in synthea bulk; do
  dir=$work/in/$set
  mb=$(du -sb "$dir" | awk '{printf "%.1f", $1 / 1e6}')
  cat "$dir"/* > /dev/null  # page cache warm for every contender
  ceiling=$("$parse" "$dir" | awk '{print $8}')
  : > "$work/v.txt"
  : > "$work/p.txt"
  for ((r = 0; r < repeats; r++)); do  # interleaved, so both see the same machine
    rm -f "$work/$set.duckdb" "$work/$set.duckdb.wal"
    timed "$vigil" -q ingest --store "$work/$set.duckdb" --format fhir "$dir" >> "$work/v.txt"
    [ -s "$work/$set.duckdb" ] || { echo "vigil failed on $set"; exit 1; }
    /usr/bin/python3 "$here/fhir_baseline.py" "$dir" |
      awk '{for (i = 1; i < NF; ++i) if ($i == "cpu") c = $(i + 1); print $NF, c}' >> "$work/p.txt"
  done
  vw=$(awk '{print $1}' "$work/v.txt" | median); vc=$(awk '{print $2}' "$work/v.txt" | median)
  pw=$(awk '{print $1}' "$work/p.txt" | median); pc=$(awk '{print $2}' "$work/p.txt" | median)
  awk -v set="$set" -v mb="$mb" -v vw="$vw" -v vc="$vc" -v pw="$pw" -v pc="$pc" -v c="$ceiling" 'BEGIN {
    printf "%-8s %7.1f | %8.2f %8.2f | %8.2f %8.2f | %12.1f | %.1fx, %.1fx (%.1f)\n",
    set, mb, vw, vc, pw, pc, c, pw / vw, pc / vc, mb / vw }'
done
echo "(medians of $repeats interleaved runs; vigil: files -> DuckDB store, incl. SHA-256, versions and"
echo " commit, whole process; python: files -> pandas DataFrames in memory, timed by the script after"
echo " its imports (interpreter and pandas start, ~0.7 s CPU here, excluded); parse: simdjson"
echo " DOM parse of the files already in memory)"

if [ "${FHIR_BIG_GB:-0}" != "0" ]; then
  /usr/bin/python3 "$here/fhir_big_ndjson.py" "$work/big" "$FHIR_BIG_GB"
  mb=$(du -sb "$work/big" | awk '{printf "%.1f", $1 / 1e6}')
  /usr/bin/time -v "$vigil" -q ingest --store "$work/big.duckdb" --format fhir "$work/big" \
    2> "$work/time.txt" || true
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$work/time.txt")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
  echo "big NDJSON: $mb MB in $wall (m:ss), peak RSS $rss MB"
fi
