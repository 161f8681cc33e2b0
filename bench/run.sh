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

java_major() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
        | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
}
jdk_major=0
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then jdk_major="$(java_major "$JAVA_HOME")"; fi
if [ "${jdk_major:-0}" -lt 25 ]; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
if [ ! -x "$JAVA_HOME/bin/java" ]; then
    echo "bench/run.sh: no JDK 25 at JAVA_HOME=$JAVA_HOME; install one (e.g. temurin-25-jdk)" >&2
    exit 2
fi
export PATH="$JAVA_HOME/bin:$PATH"

if [ -x ./mvnw ]; then mvn_cmd=./mvnw; else mvn_cmd=mvn; fi
"$mvn_cmd" -q -B -pl bench -am package -DskipTests

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
    echo "simd_flags: $(grep -o -w -E 'avx2|avx512f|avx512_bf16|avx512_fp16|amx_tile' /proc/cpuinfo | sort -u | tr '\n' ' ')"
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

# Throughput of the GEMM benchmarks, from the measured mean times (2 * size^3 flops per call).
if command -v python3 >/dev/null; then
    python3 - "$results/$name.json" <<'PY' | tee -a "$machine"
import json, sys
rows = json.load(open(sys.argv[1]))
for r in rows:
    size = r.get("params", {}).get("size")
    m = r["primaryMetric"]
    best = min(x for fork in m["rawData"] for x in fork)
    line = (f'{r["benchmark"].rsplit(".", 1)[-1]:>16} size={size}: mean {m["score"]:.4f} ± {m["scoreError"]:.4f}'
            f' (best iteration {best:.4f}) {m["scoreUnit"]}')
    if size and m["scoreUnit"] == "ms/op":
        flops = 2 * int(size) ** 3
        line += f'  = {flops / (m["score"] * 1e-3) / 1e9:.1f} GFLOP/s (best {flops / (best * 1e-3) / 1e9:.1f})'
    print(line)
# EdgeQ relative to the OpenBLAS anchor measured in the same run: OpenBLAS time / EdgeQ time (> 1 = faster).
# On a busy machine the best iterations are the steadier comparison; on a quiet one both agree.
times = {}
for r in rows:
    name = r["benchmark"].rsplit(".", 1)[-1]
    m = r["primaryMetric"]
    best = min(x for fork in m["rawData"] for x in fork)
    times.setdefault(tuple(sorted(r.get("params", {}).items())), {})[name] = (m["score"], best)
for params, t in times.items():
    ours = [v for k, v in t.items() if k.startswith("edgeq")]
    anchor = [v for k, v in t.items() if k.startswith("openBlas")]
    if ours and anchor:
        print(f'ratio {dict(params)}: EdgeQ speed / OpenBLAS speed = {anchor[0][0] / ours[0][0]:.2f} (means),'
              f' {anchor[0][1] / ours[0][1]:.2f} (best iterations)')
PY
fi
