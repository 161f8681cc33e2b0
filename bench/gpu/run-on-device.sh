#!/usr/bin/env bash
# The one script for a GPU machine (issue 4, item 6). NOT RUN ON A GPU YET: written on a machine without one.
#
#   bench/gpu/run-on-device.sh prepare                 # HERE (network, JDK 25, Maven): build and fill gpu-bundle/
#   bench/gpu/run-on-device.sh build check tests       # THERE, from the repo root, carrying gpu-bundle
#   bench/gpu/run-on-device.sh bench torch summary     # THERE again (each device command has 10 minutes)
#   bench/gpu/run-on-device.sh all                     # THERE: build check tests bench torch summary in one go
#
# Stages (any order of names; each is skipped cleanly when what it needs is missing):
#   prepare  build the jars (with libedgeq_cuda.so from nvcc), the test classes, the JUnit console launcher and a
#            jlinked Java runtime into gpu-bundle/ (ignored by git; the device machine has no Maven, no network and
#            perhaps no JDK 25, so this is what travels: name gpu-bundle in the device tool's carry)
#   build    native/build.sh there (CMake + nvcc): native/build/gpu_check and a libedgeq_cuda.so for that device
#   check    native/build/gpu_check: every C entry point against the host formulas on the real device
#   tests    the gpu JUnit suite (tag gpu) with the bundle's classes; a missing GPU fails instead of skipping
#   bench    GpuFakeQuantBandwidth, GpuGemm, GpuQatStep (JMH; BENCH_JMH_OPTS adds options, e.g. "-i 3 -wi 2")
#   torch    bench/gpu/pytorch_qat_step.py (PyTorch eager QAT of the same seed CNN, same batch, same GPU)
#   summary  bench/gpu/summarize_gpu.py: summary.md against the acceptance thresholds
#
# Results go to $OUT/<device-slug>/ when $OUT is set (the device tool brings back at most 8 files, at most two
# folders down), else bench/results/gpu/<device-slug>/: machine.txt, checks.log, run-<stages>.log, summary.md and
# the JSON of each benchmark. Copy them to bench/results/gpu/<device-slug>/ and commit them (see bench/README.md).
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
cd "$root"
bundle="$root/gpu-bundle"
junit_version=1.11.4   # junit-platform-console-standalone matching junit-jupiter 5.11.4 (root pom.xml)

stages=("$@")
[ ${#stages[@]} -eq 0 ] && { sed -n '2,25p' "$0"; exit 2; }
[ "${stages[0]}" = all ] && stages=(build check tests bench torch summary)

log() { echo "run-on-device: $*" >&2; }

prepare() {
  . .mvn/find-jdk.sh
  edgeq_find_jdk 25 || exit 2
  export PATH="$JAVA_HOME/bin:$PATH"
  command -v nvcc >/dev/null || [ -x /usr/local/cuda/bin/nvcc ] || log "warning: no nvcc here, the jar will hold no libedgeq_cuda.so"
  export PATH="$PATH:/usr/local/cuda/bin"
  ./mvnw -q -B -ntp package -DskipTests || exit 1
  rm -rf "$bundle" && mkdir -p "$bundle"
  cp bench/target/benchmarks.jar "$bundle/"        # EdgeQ, its dependencies, libedgeq_cuda.so and JMH
  # The gpu-tagged tests live in the CUDA backend's module; they extend the core's suites (BackendConformanceTest ...),
  # so both modules' test classes go into the one folder the JUnit launcher scans.
  cp -r java/target/test-classes "$bundle/test-classes"
  cp -r java/backend-cuda/target/test-classes/. "$bundle/test-classes/"
  ./mvnw -q -B -ntp dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit_version" \
      -DoutputDirectory="$bundle" || exit 1
  # Only the modules EdgeQ, JMH and JUnit use; packed, it is about 24 MB.
  "$JAVA_HOME/bin/jlink" --add-modules java.base,jdk.incubator.vector,java.management,jdk.unsupported,java.logging,java.xml,java.sql \
      --strip-debug --no-man-pages --no-header-files --compress=zip-9 --output "$bundle/jre" 2>/dev/null || exit 1
  tar -C "$bundle" -czf "$bundle/jre.tgz" jre && rm -rf "$bundle/jre"
  { echo "commit: $(git rev-parse HEAD 2>/dev/null || echo unknown)"
    echo "uncommitted_files: $(git status --porcelain 2>/dev/null | wc -l)"
    echo "prepared: $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname)"; } > "$bundle/commit.txt"
  local listing
  listing=$(unzip -l "$bundle/benchmarks.jar")
  if grep -q 'native/linux-x86_64/libedgeq_cuda.so' <<<"$listing"; then
    log "bundle holds libedgeq_cuda.so"
  else
    log "warning: the bundle has no libedgeq_cuda.so (built without nvcc): CUDA will be unavailable there"
  fi
  log "gpu-bundle ready ($(du -sh "$bundle" | cut -f1)); on the device run from the repo root, carrying gpu-bundle:"
  log "  bench/gpu/run-on-device.sh build check tests   then   bench/gpu/run-on-device.sh bench torch summary"
}

# ---- everything below runs on the GPU machine ----

slug() {
  local name
  name=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -n 1)
  [ -z "$name" ] && name="no-gpu"
  echo "$name" | tr '[:upper:]' '[:lower:]' | sed -e 's/[^a-z0-9]\+/-/g' -e 's/^-//' -e 's/-$//'
}

find_java() {
  for j in "${JAVA_HOME:-}/bin/java" "$(command -v java 2>/dev/null)"; do
    [ -x "$j" ] || continue
    v=$("$j" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then echo "$j"; return; fi
  done
  if [ -f "$bundle/jre.tgz" ]; then
    mkdir -p /tmp/edgeq-jre && tar -C /tmp/edgeq-jre -xzf "$bundle/jre.tgz" && echo /tmp/edgeq-jre/jre/bin/java && return
  fi
  echo ""
}

# The CUDA runtime, cuBLASLt and NVML by soname: the toolkit's folders, the driver's, and PyTorch's wheels.
cuda_library_path() {
  local dirs=() d
  for d in /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
    [ -d "$d" ] && dirs+=("$d")
  done
  local site
  site=$(python3 -c 'import nvidia, os; print(" ".join(nvidia.__path__))' 2>/dev/null || true)
  for d in $site; do
    while IFS= read -r lib; do dirs+=("$(dirname "$lib")"); done < <(find "$d" \( -name 'libcudart.so.1*' -o -name 'libcublasLt.so.1*' \) 2>/dev/null)
  done
  local IFS=:
  echo "${dirs[*]}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
}

stage_machine() {
  {
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "gpu: $(nvidia-smi --query-gpu=name,memory.total,clocks.max.sm,clocks.max.mem --format=csv,noheader 2>/dev/null | head -n 1)"
    echo "driver: $(nvidia-smi --query-gpu=driver_version --format=csv,noheader 2>/dev/null | head -n 1)"
    echo "git: $(git rev-parse HEAD 2>/dev/null || sed -n 's/^commit: //p' "$bundle/commit.txt" 2>/dev/null)"
    echo "jdk: $("$JAVA" -version 2>&1 | head -n 1)"
    echo "torch: $(python3 -c 'import torch; print(torch.__version__, "cuda", torch.version.cuda)' 2>/dev/null || echo none)"
    echo "nvcc: $(nvcc --version 2>/dev/null | tail -n 1)"
    echo "cpu: $(lscpu 2>/dev/null | awk -F': +' '/^Model name/ {print $2; exit}'), $(nproc) cores"
    echo "LD_LIBRARY_PATH: $LD_LIBRARY_PATH"
    echo; cat "$bundle/commit.txt" 2>/dev/null
    echo; nvidia-smi 2>&1
    echo; nvidia-smi -q -d CLOCK,POWER,PERFORMANCE 2>&1 | head -n 80
    echo; echo "edgeq doctor:"
    "$JAVA" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector -cp "$bundle/benchmarks.jar" org.edgeq.cli.Main doctor 2>&1
  } > "$results/machine.txt"
}

stage_build() {
  export PATH="$PATH:/usr/local/cuda/bin"
  echo "== build: native/build.sh ==" >> "$results/checks.log"
  native/build.sh 2>&1 | tee -a "$results/checks.log"
}

stage_check() {
  echo "== check: native/build/gpu_check ==" >> "$results/checks.log"
  if [ ! -x native/build/gpu_check ]; then
    echo "gpu_check not built (run the build stage first)" | tee -a "$results/checks.log"
    return
  fi
  native/build/gpu_check 2>&1 | tee -a "$results/checks.log"
  echo "gpu_check exit status: ${PIPESTATUS[0]}" | tee -a "$results/checks.log"
}

stage_tests() {
  echo "== tests: JUnit tag gpu ==" >> "$results/checks.log"
  local launcher
  launcher=$(ls "$bundle"/junit-platform-console-standalone-*.jar 2>/dev/null | head -n 1)
  if [ -z "$launcher" ] || [ ! -d "$bundle/test-classes" ]; then
    echo "no test bundle (run prepare here first and carry gpu-bundle)" | tee -a "$results/checks.log"
    return
  fi
  "$JAVA" -Dedgeq.requireGpu=true -Xmx8g --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
      -jar "$launcher" execute --class-path "$bundle/benchmarks.jar:$bundle/test-classes" \
      --scan-class-path "$bundle/test-classes" --include-tag gpu --details=tree --disable-banner \
      --reports-dir /tmp/edgeq-gpu-junit 2>&1 | tee -a "$results/checks.log"
  echo "tests exit status: ${PIPESTATUS[0]}" | tee -a "$results/checks.log"
}

stage_bench() {
  local name
  for name in GpuFakeQuantBandwidth GpuGemm GpuQatStep; do
    log "JMH $name"
    # shellcheck disable=SC2086
    "$JAVA" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -jar "$bundle/benchmarks.jar" \
        "$name" -rf json -rff "$results/$name.json" ${BENCH_JMH_OPTS:-} 2>&1
  done
}

stage_torch() {
  PYTHONUNBUFFERED=1 python3 bench/gpu/pytorch_qat_step.py --out "$results/pytorch_qat_step.json" 2>&1
}

stage_summary() {
  python3 bench/gpu/summarize_gpu.py "$results"
}

if [ "${stages[0]}" = prepare ]; then
  prepare
  exit $?
fi

run_stages() {
  JAVA=$(find_java)
  [ -z "$JAVA" ] && log "no Java 25 and no gpu-bundle/jre.tgz: the java stages will fail (run prepare here first)"
  export LD_LIBRARY_PATH
  LD_LIBRARY_PATH=$(cuda_library_path)
  log "device $device_slug, results in $results, java ${JAVA:-none}"
  [ -f "$results/machine.txt" ] || stage_machine
  local s start
  for s in "${stages[@]}"; do
    start=$(date +%s)
    case "$s" in
      build|check|tests|bench|torch|summary) log "stage $s"; "stage_$s" ;;
      machine) stage_machine ;;
      *) log "unknown stage '$s' (prepare, build, check, tests, bench, torch, summary, all)"; return 2 ;;
    esac
    log "stage $s done in $(( $(date +%s) - start )) s"
  done
}

device_slug=$(slug)
if [ -n "${OUT:-}" ]; then results="$OUT/$device_slug"; else results="$root/bench/results/gpu/$device_slug"; fi
mkdir -p "$results"
run_log="$results/run-$(IFS=-; echo "${stages[*]}").log"   # one per command, so two commands' logs can sit together
run_stages 2>&1 | tee -a "$run_log"
exit "${PIPESTATUS[0]}"
