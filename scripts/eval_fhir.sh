#!/usr/bin/env bash
# Evaluation of the FHIR reader on real files: ingests each data set under ../shared/data/fhir
# (Synthea bundles, the Bulk Data export of 10 patients, the FHIR R4 specification examples) into
# its own fresh store and prints, per data set, the run's accounting, the resources stored by type,
# what was skipped and why, and the rejects by reason and resource type.
#
#   scripts/eval_fhir.sh [VIGIL_BINARY]     (default build/release/vigil; `make build` first)
#   DATA=/path/to/shared/data scripts/eval_fhir.sh
#
# Reads ../shared/data (never copied into the repository); skips cleanly when it is absent.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
vigil=${1:-$here/build/release/vigil}
data=${DATA:-$(cd "$here/.." && pwd)/shared/data}/fhir
if [ ! -d "$data" ]; then
  echo "eval_fhir: no FHIR data at $data; skipped"
  exit 0
fi
if [ ! -x "$vigil" ]; then
  echo "eval_fhir: no vigil binary at $vigil (run make build)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for set in synthea bulk-10-patients r4-examples; do
  [ -d "$data/$set" ] || { echo "== $set: absent, skipped"; continue; }
  store="$work/$set.duckdb"
  echo "== $set ($(du -sh "$data/$set" | cut -f1), $(find "$data/$set" -type f | wc -l) files)"
  status=0
  "$vigil" ingest --store "$store" --format fhir "$data/$set" > "$work/out.txt" || status=$?
  grep -E '^  (files|records) ' "$work/out.txt"
  [ "$status" -le 3 ] || { cat "$work/out.txt"; exit "$status"; }
  echo "-- stored, by resource type"
  "$vigil" query --store "$store" "SELECT split_part(source, '/', 1) AS type, count(*) FROM \
    sources GROUP BY 1 ORDER BY 2 DESC, 1" | awk -F'\t' '{printf "  %8d  %s\n", $2, $1}'
  echo "-- rows: subjects, stays (by kind), events"
  "$vigil" query --store "$store" "SELECT 'subjects', count(*) FROM subjects UNION ALL SELECT \
    'stays ' || kind, count(*) FROM stays GROUP BY kind UNION ALL SELECT 'events', count(*) FROM \
    event_rows ORDER BY 1" | awk -F'\t' '{printf "  %8d  %s\n", $2, $1}'
  echo "-- skipped, by reason"
  "$vigil" query --store "$store" "SELECT reason, sum(count)::BIGINT FROM ingest_skips GROUP BY 1 ORDER \
    BY 2 DESC, 1" | awk -F'\t' '{printf "  %8d  %s\n", $2, $1}'
  echo "-- rejected, by reason and resource type"
  "$vigil" query --store "$store" "SELECT reason, coalesce(nullif(regexp_extract(decode(raw), \
    '\"resourceType\"\\s*:\\s*\"([A-Za-z]+)\"', 1), ''), '(none)') AS type, count(*) FROM rejects \
    GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2" | awk -F'\t' '{printf "  %8d  %-55s %s\n", $3, $1, $2}'
done
