#!/usr/bin/env bash
# Submits an EdgeQ study to Slurm: counts the study's cells (`edgeq study plan --json`), submits slurm-study.sbatch as
# a job array with one task per cell, then a merge job that runs once every task has succeeded
# (--dependency=afterok:<array job>). See docs/scale-out/slurm.md.
#
#   submit-slurm.sh --out /shared/study [options] -- --study study.yaml
#
# Options (before `--`; everything after `--` is the study's spec, passed unchanged to plan, run-cell and merge):
#   --out DIR            study directory on a filesystem every node sees (required)
#   --cpus-per-task N    CPUs for each cell (default 2)
#   --max-parallel K     at most K cells at once (--array=...%K)
#   --indices LIST       submit only these cell indices (Slurm array syntax: 3,7,10-12), e.g. to resubmit failures
#   --partition P, --time T, --mem M, --account A
#                        passed to sbatch for the cell tasks and the merge job
#   --sbatch-arg ARG     any other sbatch option for the cell tasks (repeatable), e.g. --sbatch-arg=--gres=gpu:1
#   --no-merge           submit the cells only
#   --dry-run            plan and print the sbatch commands without submitting
#
# Environment: EDGEQ, the launcher every node runs (default: `edgeq` on PATH, else this checkout's ./edgeq); it is
# made absolute and exported to the jobs with the rest of this environment (sbatch's default --export=ALL).
# Planning here first also builds the CLI jar once, before any node could try to.
#
# Prints, last, one line each: cells=N, array_job=ID, merge_job=ID (for scripts).
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
say() { echo "submit-slurm: $*" >&2; }
die() { say "$*"; exit 2; }

out="" cpus=2 max_parallel="" indices="" merge=1 dry_run=0
common=() cell_extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="${2:?--out needs a directory}"; shift 2 ;;
    --out=*) out="${1#*=}"; shift ;;
    --cpus-per-task) cpus="${2:?--cpus-per-task needs a number}"; shift 2 ;;
    --cpus-per-task=*) cpus="${1#*=}"; shift ;;
    --max-parallel) max_parallel="${2:?--max-parallel needs a number}"; shift 2 ;;
    --max-parallel=*) max_parallel="${1#*=}"; shift ;;
    --indices) indices="${2:?--indices needs a list}"; shift 2 ;;
    --indices=*) indices="${1#*=}"; shift ;;
    --partition|--time|--mem|--account) common+=("$1=${2:?$1 needs a value}"); shift 2 ;;
    --partition=*|--time=*|--mem=*|--account=*) common+=("$1"); shift ;;
    --sbatch-arg) cell_extra+=("${2:?--sbatch-arg needs a value}"); shift 2 ;;
    --sbatch-arg=*) cell_extra+=("${1#*=}"); shift ;;
    --no-merge) merge=0; shift ;;
    --dry-run) dry_run=1; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (the study's own options go after '--')" ;;
  esac
done
spec=("$@")
[ -n "$out" ] || die "--out DIR is required (a directory every node sees)"
[[ "$cpus" =~ ^[1-9][0-9]*$ ]] || die "--cpus-per-task must be a positive integer, not '$cpus'"
[ -z "$max_parallel" ] || [[ "$max_parallel" =~ ^[1-9][0-9]*$ ]] || die "--max-parallel must be a positive integer"
[ -z "$indices" ] || [[ "$indices" =~ ^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$ ]] \
  || die "--indices takes Slurm array syntax such as 3,7,10-12, not '$indices'"

# The launcher, as an absolute path the jobs can run.
edgeq="${EDGEQ:-}"
if [ -z "$edgeq" ]; then
  if command -v edgeq >/dev/null 2>&1; then edgeq="$(command -v edgeq)"; else edgeq="$here/../../edgeq"; fi
fi
case "$edgeq" in
  */*) edgeq="$(readlink -f "$edgeq")" ;;
  *) edgeq="$(command -v "$edgeq")" || die "EDGEQ=$EDGEQ is not a command" ;;
esac
[ -x "$edgeq" ] || die "the EdgeQ launcher $edgeq is not executable (set EDGEQ)"
export EDGEQ="$edgeq"

mkdir -p "$out/logs" || die "cannot create $out/logs"
out="$(cd "$out" && pwd -P)"

# Counts the cells in `edgeq study plan --json` output: a JSON array of cells, or an object whose "cells" is one.
# The JSON is the whole stdout or, after other lines, its last line.
count_cells() {
  local text="$1" n=""
  if command -v jq >/dev/null 2>&1; then
    local filter='if type == "array" then length else (.cells | length) end'
    n="$(jq -e "$filter" <<<"$text" 2>/dev/null || jq -e "$filter" <<<"$(tail -n 1 <<<"$text")" 2>/dev/null || true)"
  elif command -v python3 >/dev/null 2>&1; then
    n="$(python3 -c '
import json, sys
text = sys.stdin.read()
for candidate in (text, text.strip().splitlines()[-1] if text.strip() else ""):
    try:
        d = json.loads(candidate)
    except ValueError:
        continue
    print(len(d if isinstance(d, list) else d["cells"]))
    break' <<<"$text" 2>/dev/null || true)"
  else
    # No JSON tool: every cell object carries an "index" key.
    n="$(tail -n 1 <<<"$text" | grep -o '"index"[[:space:]]*:' | wc -l)"
  fi
  [[ "$n" =~ ^[0-9]+$ ]] || return 1
  echo "$n"
}

say "planning with $edgeq study plan ${spec[*]}"
plan_rc=0
plan="$("$edgeq" study plan "${spec[@]}" --json)" || plan_rc=$?
[ "$plan_rc" -eq 0 ] || { say "edgeq study plan failed (exit $plan_rc)"; exit "$plan_rc"; }
cells="$(count_cells "$plan")" || die "cannot count the cells in the output of edgeq study plan --json"
if [ "$cells" -eq 0 ]; then
  say "the study has no cells: nothing to submit"
  echo "cells=0"
  exit 0
fi

array="${indices:-0-$((cells - 1))}"
[ -z "$max_parallel" ] || array="$array%$max_parallel"
script="$here/slurm-study.sbatch"
cell_cmd=(sbatch --parsable --array="$array" --job-name=edgeq-cells --cpus-per-task="$cpus"
  --output="$out/logs/cell-%A_%a.out" --chdir="$PWD" "${common[@]}" "${cell_extra[@]}"
  "$script" cell --out "$out" -- "${spec[@]}")
# The merge job, after array job $1 has succeeded in every task (a failed task cancels it: see slurm.md).
merge_cmd_after() {
  merge_cmd=(sbatch --parsable --dependency="afterok:$1" --kill-on-invalid-dep=yes --job-name=edgeq-merge
    --cpus-per-task="$cpus" --output="$out/logs/merge-%j.out" --chdir="$PWD" "${common[@]}"
    "$script" merge --out "$out" -- "${spec[@]}")
}

if [ "$dry_run" -eq 1 ]; then
  say "dry run: would submit"
  quoted() { local a line=""; for a in "$@"; do line+="${line:+ }$(printf '%q' "$a")"; done; echo "$line"; }
  quoted "${cell_cmd[@]}"
  merge_cmd_after '<array_job>'
  [ "$merge" -eq 0 ] || quoted "${merge_cmd[@]}"
  echo "cells=$cells"
  exit 0
fi

command -v sbatch >/dev/null 2>&1 || die "sbatch not found: this is not a Slurm submit host"
array_job="$("${cell_cmd[@]}")"
array_job="${array_job%%;*}"
if [ -n "$indices" ]; then what="cell indices $indices of $cells"; else what="$cells cell(s)"; fi
say "submitted $what as array job $array_job (--array=$array), logs in $out/logs/cell-${array_job}_<index>.out"
merge_job=""
if [ "$merge" -eq 1 ]; then
  merge_cmd_after "$array_job"
  merge_job="$("${merge_cmd[@]}")"
  merge_job="${merge_job%%;*}"
  say "submitted merge job $merge_job after array job $array_job succeeds, log $out/logs/merge-$merge_job.out"
fi
say "watch: squeue -j $array_job${merge_job:+,$merge_job}   failed cells: sacct -j $array_job (or scontrol show job $array_job)"
echo "cells=$cells"
echo "array_job=$array_job"
[ -z "$merge_job" ] || echo "merge_job=$merge_job"
