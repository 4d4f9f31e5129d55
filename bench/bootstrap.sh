#!/usr/bin/env bash
# Bootstrap benchmark: wall time of a task-free command (--description) through ./build.sh (warm:
# the compiled build program is reused) against the usual `dotnet run --project build` bootstrap,
# both measured in this run on this machine. Prints both medians and their ratio.
# Usage: bench/bootstrap.sh [warm-runs=21] [baseline-runs=7]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
warm_runs=${1:-21}
baseline_runs=${2:-7}

# Warm both paths once so neither pays a first compile inside the measurement.
./build.sh --description >/dev/null
dotnet run --project build -- --description >/dev/null

# Pure bash + awk (no python on a fresh Debian): nanosecond wall clock per run, median of the sorted samples.
median_wall() { # runs cmd...  -> "median min max" in seconds
  local runs=$1; shift
  local i start end
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    echo $(((end - start) / 1000))
  done | sort -n | awk '{ v[NR] = $1 / 1e6 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f %.3f %.3f\n", m, v[1], v[NR] }'
}

read -r w_med w_min w_max < <(median_wall "$warm_runs" ./build.sh --description)
read -r b_med b_min b_max < <(median_wall "$baseline_runs" dotnet run --project build -- --description)
printf 'warm ./build.sh --description            median %s s  (min %s, max %s, %d runs)\n' "$w_med" "$w_min" "$w_max" "$warm_runs"
printf 'dotnet run --project build --description median %s s  (min %s, max %s, %d runs)\n' "$b_med" "$b_min" "$b_max" "$baseline_runs"
awk -v w="$w_med" -v b="$b_med" 'BEGIN {
  printf "ratio (dotnet run / warm build.sh): %.1fx\n", b / w
  printf "target: warm median <= 0.3 s -> %s\n", (w <= 0.3 ? "met" : "NOT met")
}'
