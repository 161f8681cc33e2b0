#!/usr/bin/env bash
# Compiles every CUDA source of libedgeq_cuda.so (kernels-cu/src/*.cu, native/src/*.cu) and native/test/gpu_check.cu
# with a given nvcc, for the given GPU architectures, with the library's flags (C++17, warnings as errors on device
# and host), then links libedgeq_cuda.so and gpu_check from those objects. Nothing is run and nothing is kept: the
# objects live in a temporary folder. It checks that another CUDA toolkit than the build's (say Debian's 11.8) still
# compiles the code; native/README.md says how to get one without installing it.
#
# Usage: native/check-cuda-toolkit.sh NVCC [ARCH ...]      (ARCH: 70 80 ...; default 70 80)
#   HOST_CXX=/path/to/g++   host compiler (nvcc -ccbin); default: nvcc's own choice
#   NVCC_FLAGS="..."        more nvcc flags, e.g. -allow-unsupported-compiler
#   JOBS=n                  sources compiled at once (default: nproc)
# Exit 0 when everything compiled and linked; 1 otherwise, with the compiler's messages of each failure.
set -euo pipefail
if [ $# -lt 1 ]; then
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
nvcc_bin="$1"
shift
archs=("$@")
[ ${#archs[@]} -gt 0 ] || archs=(70 80)
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/.." && pwd)"
"$nvcc_bin" --version >/dev/null || { echo "check-cuda-toolkit: cannot run $nvcc_bin"; exit 2; }
release="$("$nvcc_bin" --version | sed -n 's/.*release \([0-9.]*\).*/\1/p')"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# shellcheck disable=SC2054  # the commas belong to -Xcompiler
flags=(-std=c++17 --Werror all-warnings -Xcompiler=-Wall,-Wextra,-Werror -Xcompiler=-fPIC
       -I"$root/native/include" -I"$root/kernels-cu/include" -I"$root/kernels-cu/src")
for a in "${archs[@]}"; do flags+=(-gencode "arch=compute_$a,code=sm_$a"); done
[ -z "${HOST_CXX:-}" ] || flags+=(-ccbin "$HOST_CXX")
# shellcheck disable=SC2206
[ -z "${NVCC_FLAGS:-}" ] || flags+=(${NVCC_FLAGS})

compile() {  # source, object, extra host flags
  local src="$1" obj="$2" extra="${3:-}"
  local log="$obj.log"
  if "$nvcc_bin" "${flags[@]}" ${extra:+"-Xcompiler=$extra"} -c "$src" -o "$obj" >"$log" 2>&1; then
    echo "ok     ${src#"$root"/}"
  else
    echo "FAILED ${src#"$root"/}"
    sed 's/^/       /' "$log"
    return 1
  fi
}

sources=("$root"/kernels-cu/src/*.cu "$root"/native/src/*.cu)
jobs="${JOBS:-$(nproc)}"
start=$(date +%s)
failed=0
pids=()
outs=()
i=0
for src in "${sources[@]}" "$root/native/test/gpu_check.cu"; do
  extra=""
  [ "$src" != "$root/native/test/gpu_check.cu" ] || extra="-ffp-contract=off"
  out="$work/$i.out"
  compile "$src" "$work/$(basename "$src" .cu).o" "$extra" >"$out" 2>&1 &
  pids+=($!)
  outs+=("$out")
  i=$((i + 1))
  if [ ${#pids[@]} -ge "$jobs" ]; then
    wait "${pids[0]}" || failed=$((failed + 1))
    cat "${outs[0]}"
    pids=("${pids[@]:1}")
    outs=("${outs[@]:1}")
  fi
done
for k in "${!pids[@]}"; do
  wait "${pids[$k]}" || failed=$((failed + 1))
  cat "${outs[$k]}"
done

if [ $failed -eq 0 ]; then
  objs=()
  for src in "${sources[@]}"; do objs+=("$work/$(basename "$src" .cu).o"); done
  link=(-cudart shared)
  [ -z "${HOST_CXX:-}" ] || link+=(-ccbin "$HOST_CXX")
  if "$nvcc_bin" "${link[@]}" -shared "${objs[@]}" -ldl -o "$work/libedgeq_cuda.so" >"$work/link.log" 2>&1 &&
     "$nvcc_bin" "${link[@]}" "$work/gpu_check.o" -L"$work" -ledgeq_cuda -o "$work/gpu_check" >>"$work/link.log" 2>&1; then
    echo "ok     link libedgeq_cuda.so, gpu_check"
  else
    echo "FAILED link"
    sed 's/^/       /' "$work/link.log"
    failed=$((failed + 1))
  fi
fi

# The host compiler nvcc used: its version macros, preprocessed through nvcc.
printf 'edgeq_host_cxx __GNUC__.__GNUC_MINOR__.__GNUC_PATCHLEVEL__\n' >"$work/version.cpp"
host_opt=()
[ -z "${HOST_CXX:-}" ] || host_opt=(-ccbin "$HOST_CXX")
host="$("$nvcc_bin" "${host_opt[@]}" -E -x c++ "$work/version.cpp" 2>/dev/null | sed -n 's/^edgeq_host_cxx \(.*\)/g++ \1/p' | tr -d ' ' | sed 's/g++/g++ /' || true)"
archs_text="sm_${archs[*]}"
if [ $failed -ne 0 ]; then
  echo "check-cuda-toolkit: $failed of $(( ${#sources[@]} + 2 )) steps FAILED with nvcc $release (${archs_text// /, sm_}; host ${host:-unknown})"
  exit 1
fi
echo "check-cuda-toolkit: ${#sources[@]} library sources and gpu_check compile and link with nvcc $release" \
     "(${archs_text// /, sm_}; host ${host:-unknown}) in $(( $(date +%s) - start )) s"
