#!/usr/bin/env bash
# Benchmark: `vigil ingest` of the PhysioNet 2019 dev set and the 2012 set A against pandas (read_csv per file +
# concat, bench/pandas_read_physionet20xx.py), measured in the same run on the same machine.
#
# Reads ../shared/data (VIGIL_DATA): physionet2019/training_setB_dev, physionet2012/set-a, Outcomes-a.txt; skips
# cleanly when they are absent. Prints, per data set: vigil's wall time (median of REPEAT runs, each into a fresh
# store, process start to exit), stored values (events in the store) per second, pandas' time (its own timer:
# reading + concat, without interpreter start-up; median of PANDAS_REPEAT runs), the ratio, and the store's size
# against the raw files'. Targets (issue 2): 2019 >= 20x pandas, >= 2 million values/s, store <= raw.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${VIGIL_BENCH_BUILD:-$here/../build/bench}
data=${VIGIL_DATA:-$here/../../shared/data}
repeat=${REPEAT:-3}
pandas_repeat=${PANDAS_REPEAT:-1}
vigil="$build/vigil"
python=/usr/bin/python3

if [ ! -x "$vigil" ]; then
  echo "bench_ingest_physionet: no vigil binary at $vigil (make bench builds it)"
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
events_in() { "$vigil" stats --store "$1" --json | $python -c 'import json, sys; print(json.load(sys.stdin)["events"])'; }

# bench NAME FORMAT DIR PANDAS_SCRIPT [vigil ingest options...]
bench() {
  local name=$1 format=$2 dir=$3 script=$4
  shift 4
  if [ ! -d "$dir" ]; then
    echo "$name: skipped, $dir is absent (the benchmark reads ../shared/data)"
    return 0
  fi
  cat "$dir"/* > /dev/null  # both sides read from the page cache
  local raw_bytes times=() ptimes=() store="" i t0 t1 status
  raw_bytes=$(du -sb "$dir" | cut -f1)
  for ((i = 0; i < repeat; i++)); do
    store="$tmp/$name-$i.duckdb"
    t0=$(now)
    "$vigil" -q ingest --store "$store" --format "$format" "$@" "$dir"
    status=$?
    t1=$(now)
    if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then
      echo "$name: vigil ingest failed with status $status"
      return 1
    fi
    times+=("$(echo "$t1 - $t0" | bc -l)")
    # pandas between vigil runs, so both see the same machine load
    if [ "$i" -lt "$pandas_repeat" ]; then
      ptimes+=("$($python "$here/$script" "$dir" | awk '{ print $NF }')")
    fi
  done
  local vigil_s pandas_s events store_bytes
  vigil_s=$(printf '%s\n' "${times[@]}" | median)
  pandas_s=$(printf '%s\n' "${ptimes[@]}" | median)
  events=$(events_in "$store")
  store_bytes=$(stat -c %s "$store")
  [ -f "$store.wal" ] && store_bytes=$((store_bytes + $(stat -c %s "$store.wal")))
  echo "$name ($dir)"
  echo "  vigil   $(printf '%.3f' "$vigil_s") s (median of $repeat: ${times[*]})"
  echo "  pandas  $(printf '%.3f' "$pandas_s") s (read_csv + concat, median of $pandas_repeat: ${ptimes[*]})"
  echo "  ratio   $(printf '%.1f' "$(echo "$pandas_s / $vigil_s" | bc -l)")x faster than pandas (same run)"
  echo "  speed   $(printf '%.2f' "$(echo "$events / $vigil_s / 1000000" | bc -l)") million stored values/s ($events events in the store)"
  echo "  size    store $(printf '%.1f' "$(echo "$store_bytes / 1000000" | bc -l)") MB vs raw $(printf '%.1f' "$(echo "$raw_bytes / 1000000" | bc -l)") MB ($(printf '%.2f' "$(echo "$store_bytes / $raw_bytes" | bc -l)")x)"
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (shared: compare the ratios)"
status=0
bench physionet2019 physionet2019 "$data/physionet2019/training_setB_dev" pandas_read_physionet2019.py || status=1
bench physionet2012 physionet2012 "$data/physionet2012/set-a" pandas_read_physionet2012.py \
  --outcomes "$data/physionet2012/Outcomes-a.txt" || status=1
exit $status
