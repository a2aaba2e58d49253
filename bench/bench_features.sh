#!/usr/bin/env bash
# Point-in-time features for the physionet2019-sepsis task on the 10,000 stays of PhysioNet 2019
# training set B (../shared/data/physionet2019/training_setB_dev; skipped when absent): vigil's
# features::ExtractFeatures (from opening the store to the finished matrix) against the equivalent
# pandas code (bench/features_pandas.py, Debian's /usr/bin/python3: forward fill and rolling windows
# per patient), in the same run. The store is built first with `vigil ingest` (not timed). The
# pandas code also checks that both compute the same values on the columns it compares.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build="$VIGIL_BENCH_BUILD"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$here/physionet2019_store.sh"
physionet2019_store bench_features "$tmp" || exit 0

vigil=$("$build/bench/features_bench" "$tmp/s.duckdb" physionet2019-sepsis 5 "$tmp/check.csv")
echo "$vigil"
pandas=$(/usr/bin/python3 "$here/features_pandas.py" "$data" "$tmp/check.csv") || {
  echo "$pandas"
  echo "bench_features: FAILED: vigil and pandas disagree"
  exit 1
}
echo "$pandas"
seconds() { sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$1" | head -1; }
events=$(sed -n 's/.*events=\([0-9]*\).*/\1/p' <<<"$vigil")
awk -v v="$(seconds "$vigil")" -v p="$(seconds "$pandas")" -v e="$events" 'BEGIN {
  printf "features speed-up over pandas: %.1fx (vigil %.3f s, pandas %.3f s); vigil %.2f million events/s\n",
         p / v, v, p, e / v / 1e6
  if (p / v < 10 || e / v < 5e6) { print "bench_features: below target (10x pandas, 5 million events/s)"; exit 1 }
}'
