#!/usr/bin/env bash
# End to end on PhysioNet 2019 training set B (10,000 stays, ../shared/data/physionet2019/
# training_setB_dev; skipped when absent): ingest, features, training with one XGBoost
# hyperparameter set, and evaluation on the held-out test patients, by vigil's four commands
#   vigil ingest --format physionet2019 / vigil train (5 grouped folds, early stopping) /
#   vigil evaluate --bootstrap 200
# against the pandas + xgboost equivalent (bench/e2e_python.py, Debian's /usr/bin/python3 and
# python3-xgboost, same hyperparameters, same threads, same test patients). Each side's time is
# its processes' wall time, start to exit (the Python interpreter's start included). The two sides
# alternate RUNS times (default 1; E2E_RUNS=3 for a steadier ratio) in the same run, because the
# machine is shared; the ratio uses each side's best run. Prints every phase, the CPU seconds of
# each side, how much of each side is boosting (both call the same libxgboost), both sides' test
# AUROC (they must agree within 0.02 or the bench fails: the comparison would be meaningless),
# and the load average before and after. Figures and their reading: docs/benchmarks.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data="$VIGIL_DATA/physionet2019/training_setB_dev"
build="$VIGIL_BENCH_BUILD"
runs=${E2E_RUNS:-1}
threads=${E2E_THREADS:-$(nproc)}
target=5
if [ ! -d "$data" ]; then
  echo "bench_e2e: skipped: no PhysioNet 2019 data at $data"
  exit 0
fi
if ! "$build/vigil" train --help >/dev/null 2>&1; then
  echo "bench_e2e: skipped: this vigil has no 'train' command"
  exit 0
fi
echo "bench_e2e: PhysioNet 2019 training set B from $data, $threads threads, $runs run(s) per side"
echo "bench_e2e: load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/params.json" <<'EOF'
{"max_depth":4,"learning_rate":0.05,"min_child_weight":1,"subsample":0.8,"colsample_bytree":0.8,"reg_lambda":1,"reg_alpha":0,"max_bin":256,"class_weighting":"balanced"}
EOF

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
# Runs a command, appending its user + system CPU seconds to the file $cpu_log.
cpu() { /usr/bin/time -a -o "$cpu_log" -f "%U %S" "$@"; }
cpu_total() { awk '/^[0-9]/ { s += $1 + $2 } END { printf "%.1f", s }' "$1"; }
# CPU seconds of the Nth command in the file $1.
cpu_nth() { awk -v n="$2" '/^[0-9]/ && ++i == n { printf "%.1f", $1 + $2 }' "$1"; }

# One vigil run: prints "vigil e2e: total=... ingest=... train=... evaluate=... auroc=...".
run_vigil() {
  local dir="$tmp/vigil$1" t0 t1 t2 t3 status=0
  mkdir -p "$dir"
  local cpu_log="$dir/cpu"
  t0=$(now)
  cpu "$build/vigil" ingest -q --store "$dir/s.duckdb" --format physionet2019 "$data" \
    >"$dir/ingest.log" 2>&1 || status=$?
  if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then  # 3: some records rejected
    echo "bench_e2e: vigil ingest failed (status $status):" >&2
    tail -3 "$dir/ingest.log" >&2
    return 1
  fi
  t1=$(now)
  cpu "$build/vigil" train --store "$dir/s.duckdb" --task physionet2019-sepsis --out "$dir/model" \
    --model xgboost --seed 1 --hyperparameters "$tmp/params.json" --folds 5 \
    --threads "$threads" >"$dir/train.log" 2>&1 || {
    echo "bench_e2e: vigil train failed:" >&2
    tail -5 "$dir/train.log" >&2
    return 1
  }
  t2=$(now)
  cpu "$build/vigil" evaluate --model "$dir/model" --store "$dir/s.duckdb" --json "$dir/eval.json" \
    --bootstrap 200 --threads "$threads" >"$dir/evaluate.log" 2>&1 || {
    echo "bench_e2e: vigil evaluate failed:" >&2
    tail -5 "$dir/evaluate.log" >&2
    return 1
  }
  t3=$(now)
  local metrics inner
  metrics=$(/usr/bin/python3 "$here/e2e_vigil_metrics.py" "$dir/eval.json" "$dir/model")
  # vigil train's own split: "time features X s, training Y s, test evaluation Z s".
  inner=$(sed -n 's/.*time *features \([0-9.]*\) s, training \([0-9.]*\) s, test evaluation \([0-9.]*\) s.*/train.features=\1 train.fit=\2 train.test_evaluation=\3/p' \
    "$dir/train.log")
  grep -E '^  (rows|cv|test|time) ' "$dir/train.log" | sed 's/^/  vigil train: /' >&2 || true
  echo "vigil e2e: total=$(elapsed "$t0" "$t3") ingest=$(elapsed "$t0" "$t1")" \
    "train=$(elapsed "$t1" "$t2") evaluate=$(elapsed "$t2" "$t3") cpu=$(cpu_total "$cpu_log")" \
    "cpu.ingest=$(cpu_nth "$cpu_log" 1) cpu.train=$(cpu_nth "$cpu_log" 2)" \
    "cpu.evaluate=$(cpu_nth "$cpu_log" 3) $inner $metrics"
  rm -rf "$dir"
}

# One Python run: its own phase line plus the process time measured here.
run_python() {
  local t0 t1 out cpu_log="$tmp/python.cpu"
  rm -f "$cpu_log"
  t0=$(now)
  out=$(cpu /usr/bin/python3 "$here/e2e_python.py" "$data" "$tmp/params.json" --threads "$threads" \
    --seed 1 --bootstrap 200) || {
    echo "$out" >&2
    echo "bench_e2e: e2e_python.py failed" >&2
    return 1
  }
  t1=$(now)
  grep -v '^python e2e:' <<<"$out" | sed 's/^/  /' >&2
  echo "$(grep '^python e2e:' <<<"$out") process=$(elapsed "$t0" "$t1") cpu=$(cpu_total "$cpu_log")"
}

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1" | head -1; }
best_vigil="" best_python=""
for i in $(seq 1 "$runs"); do
  v=$(run_vigil "$i")
  echo "$v"
  p=$(run_python)
  echo "$p"
  if [ -z "$best_vigil" ] || awk -v a="$(field "$v" total)" -v b="$(field "$best_vigil" total)" \
    'BEGIN { exit !(a < b) }'; then best_vigil=$v; fi
  if [ -z "$best_python" ] || awk -v a="$(field "$p" process)" \
    -v b="$(field "$best_python" process)" 'BEGIN { exit !(a < b) }'; then best_python=$p; fi
done
echo "bench_e2e: load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v v="$(field "$best_vigil" total)" -v p="$(field "$best_python" process)" \
  -v pi="$(field "$best_python" total)" -v av="$(field "$best_vigil" auroc)" \
  -v ap="$(field "$best_python" auroc)" -v target="$target" \
  -v vc="$(field "$best_vigil" cpu)" -v pc="$(field "$best_python" cpu)" \
  -v px="$(field "$best_python" xgboost)" -v pxc="$(field "$best_python" xgboost_cpu)" \
  -v vx="$(field "$best_vigil" train.fit)" -v vtc="$(field "$best_vigil" cpu.train)" 'BEGIN {
  printf "end-to-end speed-up over pandas + xgboost: %.2fx (vigil %.1f s, python %.1f s process, %.1f s in-script)\n",
         p / v, v, p, pi
  printf "CPU seconds (user + system): vigil %.1f, python %.1f (ratio %.2fx)\n", vc, pc, pc / vc
  printf "boosting (the same libxgboost on both sides): python %.1f s wall, %.1f CPU-s inside XGBoost calls (%.0f %% of its total); vigil train fit %.1f s wall (the whole train command: %.1f CPU-s)\n",
         px, pxc, 100 * px / pi, vx, vtc
  printf "outside boosting: python %.1f s, vigil %.1f s (%.1fx); if vigil boosted as slowly as python did, the ratio would be %.2fx\n",
         p - px, v - vx, (p - px) / (v - vx), p / (v - vx + px)
  printf "test AUROC: vigil %s, python %s (difference %.4f)\n", av, ap, av - ap
  status = 0
  if (av - ap > 0.02 || ap - av > 0.02) { print "bench_e2e: test AUROCs differ by more than 0.02"; status = 1 }
  if (p / v < target) { printf "bench_e2e: below target (%dx)\n", target; status = 1 }
  exit status
}'
