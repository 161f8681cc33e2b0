#!/usr/bin/env bash
# QatEpochOverhead's question (W8A8 QAT epoch / FP32 epoch of the MLP, CPU, 2 threads) answered with the two epochs
# alternating in one JVM, so that this machine's slow periods hit both alike; writes
# bench/results/QatEpochOverheadPaired.txt (BENCH_RESULTS_DIR overrides the folder).
#   bash bench/qat-paired.sh            # 10 rounds after 3 warm-up rounds
#   bash bench/qat-paired.sh 20 5       # 20 rounds after 5
. "$(dirname "$0")/paired-common.sh"
paired_build
{
    paired_header "W8A8 QAT epoch / FP32 epoch of the MLP, alternating epoch by epoch" bench/qat-paired.sh "$@"
    java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx4g -cp bench/target/benchmarks.jar \
        org.edgeq.bench.QatEpochOverheadPaired "$@" 2>/dev/null
} | tee "$results/QatEpochOverheadPaired.txt"
