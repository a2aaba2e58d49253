#!/usr/bin/env bash
# Logistic regression: one fit of vigil's model::LogisticModel (Newton's method, the logistic part of
# `vigil train --model logistic|blend`) on every labelled row of the physionet2019-sepsis task over
# PhysioNet 2019 training set B (../shared/data/physionet2019/training_setB_dev; skipped when
# absent), against the same fit written with numpy (bench/logistic_numpy.py, Debian's python3-numpy),
# in the same run. The store and the feature CSV are built first (not timed); both fits must reach
# the same optimum (their mean log losses agree to 1e-7).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build="$VIGIL_BENCH_BUILD"
l2=${L2:-0.01}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$here/physionet2019_store.sh"
physionet2019_store bench_logistic "$tmp" || exit 0
"$build/vigil" -q features --store "$tmp/s.duckdb" --task physionet2019-sepsis --out "$tmp/f.csv"

vigil=$("$build/bench/logistic_bench" "$tmp/s.duckdb" physionet2019-sepsis "$l2" 2 3)
echo "$vigil"
numpy=$(/usr/bin/python3 "$here/logistic_numpy.py" "$tmp/f.csv" "$l2")
echo "$numpy"
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2" | head -1; }
awk -v v="$(field seconds "$vigil")" -v p="$(field seconds "$numpy")" \
  -v lv="$(field mean_log_loss "$vigil")" -v lp="$(field mean_log_loss "$numpy")" 'BEGIN {
  printf "logistic fit speed-up over numpy: %.1fx (vigil %.3f s on 2 threads, numpy %.3f s)\n", p / v, v, p
  d = lv - lp; if (d < 0) d = -d
  if (d > 1e-7) { printf "bench_logistic: FAILED: the fits differ (mean log loss %s vs %s)\n", lv, lp; exit 1 }
}'
