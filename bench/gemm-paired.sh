#!/usr/bin/env bash
# GemmVsOpenBlas's question (EdgeQ SGEMM speed / OpenBLAS SGEMM speed, square row-major, 2 threads) answered with
# the two libraries alternating call by call in one JVM, so that this machine's slow periods hit both alike; writes
# bench/results/GemmVsOpenBlasPaired.txt (BENCH_RESULTS_DIR overrides the folder).
#   bash bench/gemm-paired.sh                 # 40 rounds at 256, 512, 1024, 2048 and 4096
#   bash bench/gemm-paired.sh 20 1024 2048    # 20 rounds at the sizes given
. "$(dirname "$0")/paired-common.sh"
paired_build
{
    paired_header "EdgeQ SGEMM speed / OpenBLAS SGEMM speed, alternating call by call" bench/gemm-paired.sh "$@"
    # As bench/run.sh: OpenBLAS must run the machine's best kernel, whatever this environment forces.
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=2 java --add-modules=jdk.incubator.vector \
        --enable-native-access=ALL-UNNAMED -Xmx4g -cp bench/target/benchmarks.jar org.edgeq.bench.GemmVsOpenBlasPaired "$@" 2>/dev/null
} | tee "$results/GemmVsOpenBlasPaired.txt"
