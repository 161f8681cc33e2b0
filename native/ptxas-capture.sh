#!/usr/bin/env bash
# CUDA compiler launcher (CMAKE_CUDA_COMPILER_LAUNCHER): runs the nvcc command line given as arguments and keeps
# its ptxas -v register/spill lines beside the object file (OBJECT.ptxas.txt), so that build.sh can assemble a
# complete build/ptxas.log even after an incremental build that recompiled only some files.
set -uo pipefail
obj=""
prev=""
for arg in "$@"; do
  if [ "$prev" = "-o" ]; then obj="$arg"; fi
  prev="$arg"
done
log="$(mktemp)"
"$@" 2> >(tee "$log" >&2)
rc=$?
wait
if [ -n "$obj" ] && [ $rc -eq 0 ]; then
  grep -E "Compiling entry function|spill stores|Used [0-9]+ registers" "$log" >"$obj.ptxas.txt" || true
fi
rm -f "$log"
exit $rc
