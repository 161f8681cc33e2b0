#!/usr/bin/env bash
# Do repeated rows of identical arithmetic report the same latency (issue 9: within 10% of each other)? Runs
#   edgeq quantize --model MODEL_DIR --method rounding --set uniform --bits 8,8,...   (ROWS widths, default 8)
# so that every compressed row quantizes the same weights the same way, and writes each row's latency_ms_p50,
# latency_ms_p99 and throughput_per_s, and the spread of the compressed rows' p50 ((max - min) / median), with the
# machine and its load, to bench/results/latency-rows-NAME.txt (BENCH_RESULTS_DIR overrides the folder).
#   bash bench/latency-rows.sh /tmp/m-tel telescope
#   bash bench/latency-rows.sh runs/fm fashion-mnist 4 --threads 2
set -euo pipefail

model="${1:?usage: bash bench/latency-rows.sh MODEL_DIR NAME [ROWS] [edgeq options...]}"
name="${2:?usage: bash bench/latency-rows.sh MODEL_DIR NAME [ROWS] [edgeq options...]}"
rows="${3:-8}"
shift $(( $# < 3 ? $# : 3 ))
cd "$(dirname "$0")/.."
results="${BENCH_RESULTS_DIR:-bench/results}"
mkdir -p "$results"
out="$results/latency-rows-$name.txt"
bits="$(printf '8,%.0s' $(seq "$rows"))"
bits="${bits%,}"
csv="$(mktemp -d)/rows.csv"
{
    echo "question: do $rows quantize rows of identical arithmetic report the same latency_ms_p50?"
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "cpu: $(lscpu | awk -F': +' '/^Model name/ {print $2; exit}'), $(nproc) cores online"
    echo "load_average_before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "command: edgeq quantize --model $model --method rounding --set uniform --bits $bits $* --json"
} > "$out"
./edgeq quantize --model "$model" --method rounding --set uniform --bits "$bits" --csv "$csv" --json "$@" 2>/dev/null \
    | tail -n 1 | python3 -c '
import json, sys
rows = json.loads(sys.stdin.read())["rows"]
print("%-10s %14s %14s %16s %10s" % ("method", "p50 ms", "p99 ms", "samples/s", "seconds"))
for r in rows:
    print("%-10s %14.6g %14.6g %16.6g %10.2f" % (r["method"], r["latency_ms_p50"], r["latency_ms_p99"], r["throughput_per_s"], r["seconds"]))
q = sorted(r["latency_ms_p50"] for r in rows[1:])
median = q[len(q) // 2] if len(q) % 2 else (q[len(q) // 2 - 1] + q[len(q) // 2]) / 2
print("compressed rows: p50 from %.6g to %.6g ms, spread (max - min) / median = %.1f%%, max / min = %.3f"
      % (q[0], q[-1], 100 * (q[-1] - q[0]) / median, q[-1] / q[0]))
' >> "$out"
echo "load_average_after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out"
cat "$out"
