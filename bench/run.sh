#!/usr/bin/env bash
# make bench: runs every benchmark script bench/bench_*.sh with the benchmark build folder as argument.
# Each script measures vigil and its baseline in the same run and prints both, with the ratio.
# Data comes from ../shared/data (DATA=... to change); a script says so and skips when it is absent.
set -uo pipefail
build=${1:-build/bench}
here=$(cd "$(dirname "$0")" && pwd)
export VIGIL_BENCH_BUILD=$(cd "$build" && pwd)
export VIGIL_DATA=${DATA:-$(cd "$here/../.." && pwd)/shared/data}
status=0
for script in "$here"/bench_*.sh; do
  [ -e "$script" ] || continue
  echo "== $(basename "$script")"
  "$script" || status=1
done
exit $status
