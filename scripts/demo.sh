#!/usr/bin/env bash
# make demo: vigil's main job, end to end, on data it generates.
#
#   1. vigil synth      a synthetic hospital (FHIR R4 bulk export + ground truth), DEMO_PATIENTS
#   2. vigil ingest     the FHIR files into a DuckDB patient store, checked record by record
#   3. vigil train      deterioration-24h (ICU transfer, cardiac arrest or death within 24 h at each
#                       set of ward vital signs) on the training patients, XGBoost, calibrated
#   4. vigil evaluate   on the held-out patients, against NEWS2 (and qSOFA, SIRS): the HTML report
#   5. vigil predict    every prediction with its top SHAP contributions
#
# Environment: DEMO_DIR (default build/demo), DEMO_PATIENTS (default 2000), DEMO_SEED (default 1).
set -euo pipefail
build=${1:-build/release}
here=$(cd "$(dirname "$0")" && pwd)
out=${DEMO_DIR:-$here/../build/demo}
patients=${DEMO_PATIENTS:-2000}
seed=${DEMO_SEED:-1}
vigil="$build/vigil"
start=$(date +%s)

step() {
  echo
  echo "\$ vigil $*"
}

"$vigil" --version
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)

step synth --patients "$patients" --seed "$seed" --out "$out/hospital"
"$vigil" synth --patients "$patients" --seed "$seed" --out "$out/hospital"

# Exit status 3 means "done, some records were rejected" (they are in the reject file).
step ingest --store "$out/hospital.duckdb" --format fhir "$out/hospital/*.ndjson"
status=0
"$vigil" ingest --store "$out/hospital.duckdb" --format fhir "$out"/hospital/*.ndjson || status=$?
[ "$status" -eq 0 ] || [ "$status" -eq 3 ] || exit "$status"

step train --store "$out/hospital.duckdb" --task deterioration-24h --out "$out/model" --seed "$seed"
"$vigil" train --store "$out/hospital.duckdb" --task deterioration-24h --out "$out/model" \
  --seed "$seed"

step evaluate --model "$out/model" --store "$out/hospital.duckdb" --report "$out/report.html" \
  --json "$out/evaluation.json"
"$vigil" evaluate --model "$out/model" --store "$out/hospital.duckdb" \
  --report "$out/report.html" --json "$out/evaluation.json"

step predict --model "$out/model" --store "$out/hospital.duckdb" --out "$out/predictions.csv" --explain
"$vigil" predict --model "$out/model" --store "$out/hospital.duckdb" \
  --out "$out/predictions.csv" --explain
echo "first predictions (subject_id,stay_id,time,probability,alert,label,explanation):"
sed -n '2,3p' "$out/predictions.csv" | cut -c1-220

echo
echo "demo: done in $(($(date +%s) - start)) s"
echo "  model folder     $out/model (MODEL_CARD.md, XGBoost model.json, task.yaml, metrics.json)"
echo "  report           $out/report.html"
echo "  evaluation       $out/evaluation.json"
echo "  predictions      $out/predictions.csv"
echo "  store            $out/hospital.duckdb (try: $vigil query --store $out/hospital.duckdb 'SELECT code, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC LIMIT 5')"
