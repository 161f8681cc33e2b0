#!/usr/bin/env bash
# Configures and builds native/build/libedgeq_cuda.so with CMake and keeps the ptxas register/spill lines of every
# kernel in native/build/ptxas.log. Usage: native/build.sh [extra cmake -D options]. Needs nvcc on PATH or CUDACXX
# (13 here; 11.8 builds too, see check-cuda-toolkit.sh, but the Java side loads libcudart 12 or 13); exits 3 with
# one line when there is none.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
nvcc_bin="${CUDACXX:-$(command -v nvcc || true)}"
if [ -z "$nvcc_bin" ]; then
  echo "native: nvcc not found, libedgeq_cuda.so not built (the CPU backend is unaffected)"
  exit 3
fi
build="$here/build"
# The header must stay plain C (jextract reads it as C): check it with the C compiler when there is one.
if command -v cc >/dev/null 2>&1; then
  cc -std=c11 -Wall -Wextra -Werror -pedantic -fsyntax-only -x c "$here/include/edgeq.h"
fi
start=$(date +%s)
# A build folder configured for another checkout (copied or moved tree) would make CMake refuse: start afresh.
if [ -f "$build/CMakeCache.txt" ] && ! grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$here" "$build/CMakeCache.txt"; then
  rm -rf "$build"
fi
cmake -S "$here" -B "$build" -DCMAKE_CUDA_COMPILER="$nvcc_bin" "$@" >"$build.configure.log" 2>&1 \
  || { cat "$build.configure.log"; exit 1; }
mv "$build.configure.log" "$build/configure.log"
set +e
cmake --build "$build" -j "$(nproc)" >"$build/build.log" 2>&1
rc=$?
set -e
find "$build" -name '*.ptxas.txt' | sort | xargs -r cat >"$build/ptxas.log"
if [ $rc -ne 0 ]; then
  grep -v "^ptxas info" "$build/build.log" | tail -60
  echo "native: build failed (full log: $build/build.log)"
  exit $rc
fi
# The C ABI's promises that need no GPU (argument checks, messages, "no device" without aborting).
if command -v cc >/dev/null 2>&1; then
  cc -std=c11 -Wall -Wextra -Werror -pedantic -I"$here/include" "$here/test/abi_check.c" -L"$build" -ledgeq_cuda \
    -Wl,-rpath,"$build" -o "$build/abi_check"
  "$build/abi_check" >"$build/abi_check.log" 2>&1 || { cat "$build/abi_check.log"; echo "native: C ABI check failed"; exit 1; }
fi
spills=$( (grep -E "[1-9][0-9]* bytes spill (stores|loads)" "$build/ptxas.log" || true) | wc -l)
echo "native: built $build/libedgeq_cuda.so in $(( $(date +%s) - start )) s; ptxas lines in $build/ptxas.log ($spills with spills); $(tail -1 "$build/abi_check.log" 2>/dev/null || echo "C ABI check skipped (no cc)")"
