#!/usr/bin/env bash
# Runs one JMH benchmark class of bench/ and records its results with a description of the machine:
#   bash bench/run.sh GemmVsOpenBlas                 # annotated warmup/measurement settings
#   bash bench/run.sh GemmVsOpenBlas -wi 5 -i 10     # extra JMH options pass through
# Writes bench/results/<name>.json (JMH) and bench/results/<name>.machine.txt (BENCH_RESULTS_DIR overrides the folder).
set -euo pipefail

name="${1:?usage: bash bench/run.sh <BenchmarkClass> [JMH options...]}"
shift
cd "$(dirname "$0")/.."

# The OpenBLAS anchor is Debian's libopenblas0, bound through FFM at run time.
if ! ldconfig -p 2>/dev/null | grep -q 'libopenblas\.so\.0'; then
    echo "bench/run.sh: installing libopenblas0" >&2
    sudo_cmd=""
    if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi
    $sudo_cmd apt-get update -qq
    $sudo_cmd apt-get install -y -qq libopenblas0 >/dev/null
fi

# The same JDK finder as ./mvnw, ./edgeq and .ci/run.
. .mvn/find-jdk.sh
edgeq_find_jdk 25 || exit 2
export PATH="$JAVA_HOME/bin:$PATH"

./mvnw -q -B -pl bench -am package -DskipTests

jar=bench/target/benchmarks.jar
results="${BENCH_RESULTS_DIR:-bench/results}"  # override to keep trial runs out of the repo
mkdir -p "$results"

# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE may be forced in this environment for older builds; the anchor must run
# the machine's best kernel, so they are dropped for the benchmark (and the probe that records the kernel) only.
bench_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=2)

machine="$results/$name.machine.txt"
{
    echo "benchmark: $name"
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "cpu: $(lscpu | awk -F': +' '/^Model name/ {print $2; exit}')"
    echo "cores: $(nproc) online ($(lscpu | awk -F': +' '/^Core\(s\) per socket/ {print $2; exit}') per socket)"
    echo "simd_flags: $(grep -o -w -E 'avx2|avx512f|avx512bw|avx512_vnni|avx512_bf16|avx512_fp16|amx_tile' /proc/cpuinfo | sort -u | tr '\n' ' ')"
    echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
    echo "load_average_before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "kernel: $(uname -r)"
    echo "jdk: $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 2 | tr '\n' ' ')"
    echo "env_OPENBLAS_CORETYPE: ${OPENBLAS_CORETYPE:-<unset>} (unset for the run)"
    echo "env_OPENBLAS_L2_SIZE: ${OPENBLAS_L2_SIZE:-<unset>} (unset for the run)"
    "${bench_env[@]}" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$jar" org.edgeq.bench.OpenBlas 2
    echo "jmh_args: $name -rf json -rff $results/$name.json $*"
} > "$machine"
cat "$machine"

"${bench_env[@]}" "$JAVA_HOME/bin/java" -jar "$jar" "$name" -rf json -rff "$results/$name.json" "$@"

# A readable summary (throughput for GEMM sizes, EdgeQ/OpenBLAS ratios) appended to the machine file.
if command -v python3 >/dev/null; then
    python3 bench/summarize.py "$results/$name.json" | tee -a "$machine"
fi
