#!/usr/bin/env bash
# Outer cross-validation by patient: N models, model K trained with `vigil train --test-fold K/N`
# (its test patients are part K of N of the task's stratified split; hyperparameters, calibration
# and threshold are chosen by cross-validation inside the other parts), each predicting the whole
# store; evals/pool_folds.py then keeps each model's held-out patients and scores the pooled rows.
#
# Usage: evals/cross_validate.sh VIGIL STORE TASK N OUT_DIR [vigil train options...]
#   e.g. evals/cross_validate.sh build/release/vigil p12.duckdb physionet2012-mortality 5 p12.cv --seed 1
# For a task scored by the PhysioNet 2019 utility, set POOL_OPTIONS=--physionet2019.
set -euo pipefail
if [ $# -lt 5 ]; then
  sed -n "2,10p" "$0"
  exit 2
fi
vigil=$1 store=$2 task=$3 n=$4 out=$5
shift 5
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
for k in $(seq 1 "$n"); do
  if [ ! -d "$out/fold_$k" ]; then
    echo "cross_validate: fold $k of $n: training"
    "$vigil" -q train --store "$store" --task "$task" --test-fold "$k/$n" --out "$out/fold_$k" "$@"
  fi
  "$vigil" -q predict --model "$out/fold_$k" --store "$store" --out "$out/fold_$k.csv"
done
/usr/bin/python3 "$here/pool_folds.py" "$out" "$n" ${POOL_OPTIONS:-}
