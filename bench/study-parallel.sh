#!/usr/bin/env bash
# Does a 12-cell study on 2 cores take at most 0.65x the wall time of running its cells one after another (issue
# 10)? Builds the bench jar and runs org.edgeq.bench.StudyParallelWall (whole studies from empty folders, --jobs 1
# against --jobs 2, alternated), writing the figures, the machine and its load to bench/results/study-parallel.txt
# (BENCH_RESULTS_DIR overrides the folder).
#   bash bench/study-parallel.sh                                  telescope from ../shared/data, 3 repeats
#   bash bench/study-parallel.sh synthetic-blobs "" 5             generated data, no files needed
#   BENCH_SKIP_BUILD=1 bash bench/study-parallel.sh ...            reuse bench/target/benchmarks.jar
#   BENCH_MVN_OPTS=-o bash bench/study-parallel.sh                 build offline
set -euo pipefail
cd "$(dirname "$0")/.."
dataset="${1:-telescope}"
data_dir="${2-../shared/data}"
repeats="${3:-3}"
results="${BENCH_RESULTS_DIR:-bench/results}"
mkdir -p "$results"
# shellcheck source=../.mvn/find-jdk.sh
. .mvn/find-jdk.sh
edgeq_find_jdk 25
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
    ./mvnw -q -B ${BENCH_MVN_OPTS:-} -pl bench -am package -DskipTests -Dedgeq.skipNative=true -Dedgeq.skipNativeCpu=true
fi
out="$results/study-parallel.txt"
args=("$dataset")
[ -n "$data_dir" ] && args+=("$data_dir")
args+=("$repeats")
{
    echo "question: does a 12-cell study with --jobs 2 take <= 0.65x the wall time of --jobs 1 (its cells one after another) on 2 cores?"
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "cpu: $(lscpu | awk -F': +' '/^Model name/ {print $2; exit}'), $(nproc) cores online"
    echo "load_average_before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "command: bash bench/study-parallel.sh ${*:-}"
    "$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx4g \
        -cp bench/target/benchmarks.jar org.edgeq.bench.StudyParallelWall "${args[@]}" 2>/dev/null
    echo "load_average_after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"
