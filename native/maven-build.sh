#!/usr/bin/env bash
# Called by the Maven build of the CUDA backend's module, java/backend-cuda (generate-resources): builds libedgeq_cuda.so with native/build.sh
# when nvcc and cmake exist and copies it to $1 (the jar's native/linux-x86_64/ resource folder). Without nvcc or
# cmake it prints one line and succeeds, so the CPU-only build is unaffected; a failing nvcc build fails Maven.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
dest="${1:?usage: maven-build.sh DEST_DIR}"
if [ -z "${CUDACXX:-}" ] && ! command -v nvcc >/dev/null 2>&1; then
  echo "native: nvcc not found, libedgeq_cuda.so not built; the jar carries no CUDA library (skip this check with -Dedgeq.skipNative=true)"
  exit 0
fi
if ! command -v cmake >/dev/null 2>&1; then
  echo "native: nvcc found but cmake not found, libedgeq_cuda.so not built; the jar carries no CUDA library"
  exit 0
fi
"$here/build.sh"
mkdir -p "$dest"
cp "$here/build/libedgeq_cuda.so" "$dest/libedgeq_cuda.so"
