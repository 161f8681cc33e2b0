#!/usr/bin/env bash
# Builds and runs the example against the EdgeQ artifact in the local Maven repository: trains a model on
# weather.csv with the CLI, then compiles this project (its own pom, depending on org.edgeq:edgeq as an outside
# project would) and runs it, checking its last line. .ci/run calls it after `mvn install`; by hand, install first:
#   ./mvnw -B -ntp install -DskipTests && examples/predict/run.sh
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"
rm -rf target/model target/quantized target/study && mkdir -p target
"$root/edgeq" train --dataset weather.csv --target comfort --model dense --hidden 16 --epochs 30 --out target/model >target/train.log 2>&1 || { cat target/train.log >&2; exit 1; }
# A project that depends on the library must not get the command line's parser: picocli is the CLI module's alone.
"$root/mvnw" -B -ntp -q -f pom.xml dependency:list -DincludeScope=runtime -DoutputFile=target/dependencies.txt >/dev/null
if grep -q 'info.picocli' target/dependencies.txt; then
  echo "examples/predict: org.edgeq:edgeq brings picocli onto the class path (only edgeq-cli may depend on it)" >&2
  exit 1
fi
out="$("$root/mvnw" -B -ntp -q -f pom.xml package exec:exec -Dmodel=target/model -Ddata=weather.csv 2>&1 | grep -v '^WARNING: Using incubator modules')"
printf '%s\n' "$out"
last="$(printf '%s\n' "$out" | tail -n 1)"
# The study folder was emptied above, so every cell runs now and none may fail; its blobs separate well too (~0.95).
study="$(printf '%s\n' "$out" | grep '^study: ' || true)"
if ! printf '%s\n' "$study" | grep -Eq '^study: ([0-9]+) cells, \1 run now, 0 failed; test accuracy fp32 [0-9.]+, mid-rise 4-bit [0-9.]+$' \
    || ! printf '%s\n' "$study" | awk '{ f = $(NF - 3) + 0; q = $NF + 0; exit !(f >= 0.8 && q >= 0.8) }'; then
  echo "examples/predict: unexpected study result: ${study:-no study line}" >&2
  exit 1
fi
# The rows are the training data itself, which this small network separates well: anything under 0.8 is a failure.
if ! printf '%s\n' "$last" | awk '/^example: OK \(fp32 [0-9.]+, 4-bit [0-9.]+\)$/ { f = $4 + 0; q = $6 + 0; exit !(f >= 0.8 && q >= 0.8) } { exit 1 }' ; then
  echo "examples/predict: unexpected result: $last" >&2
  exit 1
fi
