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

python3 - "$warm_runs" "$baseline_runs" <<'PY'
import statistics, subprocess, sys, time

def median_wall(cmd, runs):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), min(samples), max(samples)

warm, baseline = int(sys.argv[1]), int(sys.argv[2])
w = median_wall(["./build.sh", "--description"], warm)
b = median_wall(["dotnet", "run", "--project", "build", "--", "--description"], baseline)
print(f"warm ./build.sh --description            median {w[0]:.3f} s  (min {w[1]:.3f}, max {w[2]:.3f}, {warm} runs)")
print(f"dotnet run --project build --description median {b[0]:.3f} s  (min {b[1]:.3f}, max {b[2]:.3f}, {baseline} runs)")
print(f"ratio (dotnet run / warm build.sh): {b[0] / w[0]:.1f}x")
target = 0.3
print(f"target: warm median <= {target:.1f} s -> {'met' if w[0] <= target else 'NOT met'}")
PY
