#!/usr/bin/env bash
# Builds native/cpu/build/libedgeq_cpu.so (the AVX-512 VNNI int8 GEMM of include/edgeq_cpu.h) with the C compiler
# ($CC, else cc), runs its check against int64 loops (test/cpu_check.c) and, given DEST_DIR, copies the library
# there (the java module's build passes target/classes/native/linux-x86_64, so the jar carries it).
# Usage: native/cpu/build.sh [DEST_DIR]. Prints one line. Where there is no C compiler, the machine is not x86-64
# Linux, or the compiler cannot target AVX-512 VNNI, it says so in that line and succeeds without a library: the
# Java int8 GEMM then runs its Vector API kernel. A compile error or a failing check fails the build.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
dest="${1:-}"
cc_bin="${CC:-cc}"
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "native-cpu: not x86-64 Linux ($(uname -s)-$(uname -m)), libedgeq_cpu.so not built; the int8 GEMM uses its Java kernel"
  exit 0
fi
if ! command -v "$cc_bin" >/dev/null 2>&1; then
  echo "native-cpu: no C compiler ($cc_bin), libedgeq_cpu.so not built; the int8 GEMM uses its Java kernel"
  exit 0
fi
build="$here/build"
mkdir -p "$build"
# A compiler too old for AVX-512 VNNI intrinsics (GCC < 8) is a missing tool, not a broken source.
probe='#include <immintrin.h>
__attribute__((target("avx512f,avx512bw,avx512vnni"))) __m512i f(__m512i a, __m512i b, __m512i c) { return _mm512_dpbusd_epi32(a, b, c); }'
if ! echo "$probe" | "$cc_bin" -x c -c -o /dev/null - >/dev/null 2>&1; then
  echo "native-cpu: $cc_bin cannot compile AVX-512 VNNI intrinsics, libedgeq_cpu.so not built; the int8 GEMM uses its Java kernel"
  exit 0
fi
start=$(date +%s)
flags=(-std=c11 -O3 -fPIC -Wall -Wextra -Werror -pedantic -I"$here/include")
# The header must stay plain C (jextract reads it as C).
"$cc_bin" "${flags[@]}" -fsyntax-only -x c "$here/include/edgeq_cpu.h"
"$cc_bin" "${flags[@]}" -shared -Wl,-soname,libedgeq_cpu.so -o "$build/libedgeq_cpu.so" "$here/src/gemm_s8.c"
"$cc_bin" "${flags[@]}" -o "$build/cpu_check" "$here/test/cpu_check.c" -L"$build" -ledgeq_cpu -Wl,-rpath,"$build"
"$build/cpu_check" >"$build/cpu_check.log" 2>&1 || { cat "$build/cpu_check.log"; echo "native-cpu: check failed"; exit 1; }
if [ -n "$dest" ]; then
  mkdir -p "$dest"
  cp "$build/libedgeq_cpu.so" "$dest/libedgeq_cpu.so"
fi
echo "native-cpu: built $build/libedgeq_cpu.so in $(( $(date +%s) - start )) s; $(tail -1 "$build/cpu_check.log")"
