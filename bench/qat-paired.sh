#!/usr/bin/env bash
# QatEpochOverhead's question (W8A8 QAT epoch / FP32 epoch of the MLP, CPU, 2 threads) answered with the two epochs
# alternating in one JVM, so that this machine's slow periods hit both alike; writes
# bench/results/QatEpochOverheadPaired.txt (BENCH_RESULTS_DIR overrides the folder).
#   bash bench/qat-paired.sh            # 10 rounds after 3 warm-up rounds
#   bash bench/qat-paired.sh 20 5       # 20 rounds after 5
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/find-jdk.sh
edgeq_find_jdk 25 || exit 2
export PATH="$JAVA_HOME/bin:$PATH"
./mvnw -q -B -pl bench -am package -DskipTests
results="${BENCH_RESULTS_DIR:-bench/results}"
mkdir -p "$results"
{
    echo "question: W8A8 QAT epoch / FP32 epoch of the MLP, alternating epoch by epoch (bench/qat-paired.sh $*)"
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "cpu: $(lscpu | awk -F': +' '/^Model name/ {print $2; exit}'), $(nproc) cores online"
    echo "load_average_before: $(cut -d' ' -f1-3 /proc/loadavg)"
    java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx4g -cp bench/target/benchmarks.jar \
        org.edgeq.bench.QatEpochOverheadPaired "$@" 2>/dev/null
} | tee "$results/QatEpochOverheadPaired.txt"
