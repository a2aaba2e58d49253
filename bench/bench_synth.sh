#!/usr/bin/env bash
# Benchmark of `vigil synth` (issue 4): patients per second and MB/s written for 100,000 patients,
# against a baseline measured in the same run: `dd` writing the same number of bytes to the same
# disk (the speed of the disk itself, buffered like vigil's writes). Also reports generation alone
# (--dry-run) and peak memory (/usr/bin/time -v). Needs no input data.
#
#   SYNTH_PATIENTS=100000   how many patients (the target: 100,000 in under 2 minutes)
#   TMPDIR=/tmp             where the files go (about 12 GB for 100,000 patients; removed after)
set -euo pipefail
build=${VIGIL_BENCH_BUILD:-build/bench}
vigil="$build/vigil"
patients=${SYNTH_PATIENTS:-100000}
if [ ! -x "$vigil" ]; then
  echo "bench_synth: $vigil not built (make bench builds it)"
  exit 1
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/vigil_bench_synth.XXXXXX")
trap 'rm -rf "$dir"' EXIT

now() { date +%s.%N; }
field() { grep -F "$1" "$2" | sed 's/.*: //'; }
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (shared machine)"

t0=$(now)
/usr/bin/time -v "$vigil" -q synth --patients "$patients" --seed 1 --out "$dir/out" 2>"$dir/time.txt"
t1=$(now)
bytes=$(du -sb "$dir/out" | cut -f1)
rss_kb=$(field "Maximum resident set size" "$dir/time.txt")
rm -rf "$dir/out"

mb=$((bytes / 1048576))
t2=$(now)
dd if=/dev/zero of="$dir/dd.bin" bs=1M count="$mb" status=none
t3=$(now)
rm -f "$dir/dd.bin"

t4=$(now)
/usr/bin/time -v "$vigil" -q synth --patients "$patients" --seed 1 --dry-run 2>"$dir/time_dry.txt"
t5=$(now)
rss_dry_kb=$(field "Maximum resident set size" "$dir/time_dry.txt")

awk -v p="$patients" -v b="$bytes" -v ts="$t0" -v te="$t1" -v ds="$t2" -v de="$t3" \
    -v gs="$t4" -v ge="$t5" -v rss="$rss_kb" -v rssd="$rss_dry_kb" 'BEGIN {
  s = te - ts; d = de - ds; g = ge - gs; mbytes = b / 1e6;
  printf "vigil synth   %d patients, %.0f MB in %.1f s: %.0f patients/s, %.1f MB/s, peak RSS %.0f MB\n",
         p, mbytes, s, p / s, mbytes / s, rss / 1024;
  printf "baseline dd   same bytes in %.1f s: %.1f MB/s\n", d, mbytes / d;
  printf "ratio         vigil synth writes at %.2fx the speed of dd on this disk\n", (mbytes / s) / (mbytes / d);
  printf "generation    --dry-run (nothing written): %.1f s, %.0f patients/s, peak RSS %.0f MB\n",
         g, p / g, rssd / 1024;
  printf "target        %d patients in under 120 s: %s\n", p, (s < 120 ? "met" : "NOT met");
}'
