#!/usr/bin/env bash
# A stand-in for `edgeq study plan|run-cell|merge`, for testing the scale-out scripts (docs/scale-out/) without the
# JVM: it follows the CLI contract of issue 10 (DECISIONS-10.md) and does no training. Spec options: --dataset NAME
# (default synthetic-hard), --methods A,B (default minmax), --bits 8,4 (default 8,4); the cells are methods x bits,
# in that order; a cell id is the first 12 hex digits of the SHA-256 of "dataset|method|bits".
#
#   plan [--json]                  one line per cell (index, id, label), or one JSON line {"cells":[...]}
#                                  (STANDIN_PLAN_JSON=array prints a bare array instead)
#   run-cell --index N --out DIR   writes DIR/cells/<id>.csv (tmp file + rename) unless it exists (then "skipped");
#                                  appends "<id> <index> <job> <cpus>" to DIR/standin-runs.log for each cell it
#                                  runs (cpus: -XX:ActiveProcessorCount in EDGEQ_JAVA_OPTS, else "-");
#                                  sleeps STANDIN_CELL_SECONDS (default 1) first; fails (exit 1) once for index N
#                                  while DIR/fail-once-N exists, removing that file
#   merge --out DIR                DIR/results.csv: one header, then every cell's rows in plan order; exit 1 naming
#                                  the missing cells when one has no file
# Exit codes as the real CLI: 0 ok, 1 run failure, 2 bad input.
set -euo pipefail

die2() { echo "edgeq-standin: $*" >&2; exit 2; }

[ "${1:-}" = study ] || die2 "only 'study plan|run-cell|merge' is stood in for, not '$*'"
shift
cmd="${1:-}"; [ $# -gt 0 ] && shift

dataset=synthetic-hard methods=minmax bits=8,4 json=0 index="" out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dataset) dataset="${2:?}"; shift 2 ;;
    --methods) methods="${2:?}"; shift 2 ;;
    --bits) bits="${2:?}"; shift 2 ;;
    --json) json=1; shift ;;
    --index) index="${2:?}"; shift 2 ;;
    --out) out="${2:?}"; shift 2 ;;
    *) die2 "unknown option '$1' (allowed: --dataset, --methods, --bits, --json, --index, --out)" ;;
  esac
done

ids=() labels=()
IFS=, read -r -a method_list <<<"$methods"
IFS=, read -r -a bit_list <<<"$bits"
for m in "${method_list[@]}"; do
  for b in "${bit_list[@]}"; do
    [[ "$b" =~ ^[0-9]+$ ]] || die2 "--bits takes integers, not '$b'"
    ids+=("$(printf '%s|%s|%s' "$dataset" "$m" "$b" | sha256sum | cut -c1-12)")
    labels+=("$dataset $m w$b")
  done
done
n=${#ids[@]}

case "$cmd" in
  plan)
    if [ "$json" -eq 1 ]; then
      items=""
      for i in $(seq 0 $((n - 1))); do
        items+="${items:+,}{\"index\":$i,\"cell_id\":\"${ids[$i]}\",\"label\":\"${labels[$i]}\"}"
      done
      if [ "${STANDIN_PLAN_JSON:-object}" = array ]; then echo "[$items]"; else echo "{\"cells\":[$items]}"; fi
    else
      for i in $(seq 0 $((n - 1))); do printf '%d  %s  %s\n' "$i" "${ids[$i]}" "${labels[$i]}"; done
    fi
    ;;
  run-cell)
    [ -n "$out" ] || die2 "run-cell needs --out DIR"
    if ! [[ "$index" =~ ^[0-9]+$ ]] || [ "$index" -ge "$n" ]; then die2 "--index must be 0..$((n - 1)), not '$index'"; fi
    id="${ids[$index]}"
    mkdir -p "$out/cells"
    if [ -f "$out/cells/$id.csv" ]; then
      echo "cell $index ($id) already finished: skipped"
      exit 0
    fi
    sleep "${STANDIN_CELL_SECONDS:-1}"
    if [ -f "$out/fail-once-$index" ]; then
      rm -f "$out/fail-once-$index"
      echo "edgeq-standin: cell $index ($id) failed (simulated)" >&2
      exit 1
    fi
    IFS=' ' read -r _ m b <<<"${labels[$index]}"
    {
      echo "edgeq_version,cell_id,dataset,method,weight_bits,cpus"
      echo "standin,$id,$dataset,$m,${b#w},$(nproc)"
    } >"$out/cells/$id.csv.tmp.$$"
    mv "$out/cells/$id.csv.tmp.$$" "$out/cells/$id.csv"
    cpus="$(grep -oE -- '-XX:ActiveProcessorCount=[0-9]+' <<<"${EDGEQ_JAVA_OPTS:-}" | tail -n 1 | cut -d= -f2 || true)"
    echo "$id $index ${SLURM_ARRAY_JOB_ID:-${SLURM_JOB_ID:-local}} ${cpus:--}" >>"$out/standin-runs.log"
    echo "cell $index ($id) done: $out/cells/$id.csv"
    ;;
  merge)
    [ -n "$out" ] || die2 "merge needs --out DIR"
    missing=()
    for id in "${ids[@]}"; do [ -f "$out/cells/$id.csv" ] || missing+=("$id"); done
    if [ ${#missing[@]} -gt 0 ]; then
      echo "edgeq-standin: ${#missing[@]} cell(s) not finished: ${missing[*]}" >&2
      exit 1
    fi
    {
      head -n 1 "$out/cells/${ids[0]}.csv"
      for id in "${ids[@]}"; do tail -n +2 "$out/cells/$id.csv"; done
    } >"$out/results.csv.tmp"
    mv "$out/results.csv.tmp" "$out/results.csv"
    echo "merged $n cell(s) into $out/results.csv"
    ;;
  *) die2 "unknown study command '$cmd' (plan, run-cell, merge)" ;;
esac
