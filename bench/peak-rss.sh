#!/usr/bin/env bash
# What is the peak resident memory of `edgeq train` (issue 12: at most 600 MB each)? Trains, on Fashion-MNIST with
# default options for 2 epochs, the MLP 784-512-256-10 and cnn-small, each under GNU time -v, and writes each run's
# "Maximum resident set size" (KiB and MB), wall time and the peak edgeq itself reports, with the machine and its
# load, to bench/results/peak-rss.txt (BENCH_RESULTS_DIR overrides the folder). Needs Fashion-MNIST where
# `edgeq train --dataset fashion-mnist` finds it, and GNU time at /usr/bin/time.
#   bash bench/peak-rss.sh            # one run of each
#   bash bench/peak-rss.sh 3          # three runs of each, alternated
set -euo pipefail

runs="${1:-1}"
cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || { echo "bench/peak-rss.sh: GNU time (/usr/bin/time) is not installed (apt-get install time)" >&2; exit 2; }
results="${BENCH_RESULTS_DIR:-bench/results}"
mkdir -p "$results"
out="$results/peak-rss.txt"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
{
    echo "question: peak RSS of edgeq train (Fashion-MNIST, 2 epochs, default options) for the MLP and cnn-small"
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "cpu: $(lscpu | awk -F': +' '/^Model name/ {print $2; exit}'), $(nproc) cores online, $(free -g | awk '/^Mem/ {print $2}') GiB"
    echo "load_average_before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "EDGEQ_JAVA_OPTS: ${EDGEQ_JAVA_OPTS:-(unset)}"
} > "$out"
declare -A args=(
    [mlp]="--dataset fashion-mnist --model dense --hidden 512,256 --epochs 2"
    [cnn-small]="--dataset fashion-mnist --model cnn-small --epochs 2"
)
for run in $(seq "$runs"); do
    for model in mlp cnn-small; do
        # shellcheck disable=SC2086
        /usr/bin/time -v -o "$work/time.txt" ./edgeq train ${args[$model]} --out "$work/$model" --overwrite > "$work/log.txt" 2>&1
        kib="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")"
        wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")"
        reported="$(grep -o 'peak memory of the process (resident): .*' "$work/log.txt" | tail -n 1 || true)"
        printf '%-10s run %d: %s KiB (%d MB), wall %s; edgeq: %s\n' "$model" "$run" "$kib" $(( kib * 1024 / 1000000 )) \
            "$wall" "${reported:-(not printed)}" >> "$out"
        echo "  command: edgeq train ${args[$model]}" >> "$out"
    done
done
cat "$out"
