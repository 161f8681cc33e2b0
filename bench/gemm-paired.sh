#!/usr/bin/env bash
# GemmVsOpenBlas's question (EdgeQ SGEMM speed / OpenBLAS SGEMM speed, square row-major, 2 threads) answered with
# the two libraries alternating call by call in one JVM, so that this machine's slow periods hit both alike; writes
# bench/results/GemmVsOpenBlasPaired.txt (BENCH_RESULTS_DIR overrides the folder).
#   bash bench/gemm-paired.sh                 # 40 rounds at 256, 512, 1024, 2048 and 4096
#   bash bench/gemm-paired.sh 20 1024 2048    # 20 rounds at the sizes given
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/find-jdk.sh
edgeq_find_jdk 25 || exit 2
export PATH="$JAVA_HOME/bin:$PATH"
./mvnw -q -B -pl bench -am package -DskipTests
results="${BENCH_RESULTS_DIR:-bench/results}"
mkdir -p "$results"
out="$results/GemmVsOpenBlasPaired.txt"
{
    echo "question: EdgeQ SGEMM speed / OpenBLAS SGEMM speed, alternating call by call (bench/gemm-paired.sh $*)"
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "cpu: $(lscpu | awk -F': +' '/^Model name/ {print $2; exit}'), $(nproc) cores online"
    echo "load_average_before: $(cut -d' ' -f1-3 /proc/loadavg)"
    # As bench/run.sh: OpenBLAS must run the machine's best kernel, whatever this environment forces.
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=2 java --add-modules=jdk.incubator.vector \
        --enable-native-access=ALL-UNNAMED -Xmx4g -cp bench/target/benchmarks.jar org.edgeq.bench.GemmVsOpenBlasPaired "$@" 2>/dev/null
} | tee "$out"
