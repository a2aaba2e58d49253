# Sourced by the benchmarks that read PhysioNet 2019 training set B through a vigil store.
# physionet2019_store NAME DIR: ingests ../shared/data/physionet2019/training_setB_dev (VIGIL_DATA) into
# DIR/s.duckdb with the benchmark build's vigil (not timed). Prints why and returns 1 when the data is
# absent or the ingest fails, so the caller can skip.
physionet2019_store() {
  local name=$1 dir=$2 data="$VIGIL_DATA/physionet2019/training_setB_dev" status=0
  if [ ! -d "$data" ]; then
    echo "$name: skipped: no PhysioNet 2019 data at $data"
    return 1
  fi
  echo "$name: reading PhysioNet 2019 training set B from $data"
  "$VIGIL_BENCH_BUILD/vigil" ingest -q --store "$dir/s.duckdb" --format physionet2019 "$data" \
    >"$dir/ingest.log" 2>&1 || status=$?
  if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then  # 3: some records rejected, the store is complete
    echo "$name: skipped: vigil ingest --format physionet2019 failed (status $status):"
    tail -3 "$dir/ingest.log"
    return 1
  fi
}
