#!/usr/bin/env bash
# Regenerates the committed FFM bindings with an installed jextract: those of the CUDA backend's module
# (java/backend-cuda) under bindings/src/main/java, those of the core's CPU helper library (edgeqcpu) under
# bindings/cpu/src/main/java, as native/ holds the CUDA library and native/cpu/ the CPU one.
# jextract is not vendored: put it on PATH or point $JEXTRACT at it. The header locations default to
# the ones the committed files were generated from (see bindings/README.md) and can be overridden:
#   CUDA_INCLUDE      directory holding cuda_runtime_api.h (CUDA 13.0)
#   CUBLASLT_INCLUDE  directory holding cublasLt.h (CUDA 11.8, Debian nvidia-cuda-dev)
#   NVML_INCLUDE      directory holding nvml.h (CUDA 11.8, Debian libnvidia-ml-dev)
#   EDGEQ_H           native/include/edgeq.h of this repository
#   EDGEQ_CPU_H       native/cpu/include/edgeq_cpu.h of this repository
# BINDINGS picks the packages to regenerate (default: all of "cudart cublaslt nvml edgeq edgeqcpu"), e.g.
# BINDINGS=edgeqcpu bindings/regenerate.sh on a machine without the CUDA headers.
# No --library option is passed on purpose: the generated classes resolve symbols through the class
# loader's lookup, and org.edgeq.backend.cuda.CudaLibraries loads libcudart.so.13/.12, libcublasLt.so.13/.12/.11
# and libnvidia-ml.so.1 by soname at run time, so loading a bindings class never fails on a machine without CUDA.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
jextract="${JEXTRACT:-jextract}"
command -v "$jextract" >/dev/null || { echo "regenerate.sh: jextract not found (install it, or set JEXTRACT)" >&2; exit 2; }
cuda_inc="${CUDA_INCLUDE:-/usr/local/cuda-13.0/include}"
cublaslt_inc="${CUBLASLT_INCLUDE:-/usr/include}"
nvml_inc="${NVML_INCLUDE:-/usr/include}"
edgeq_h="${EDGEQ_H:-$root/native/include/edgeq.h}"
edgeq_cpu_h="${EDGEQ_CPU_H:-$root/native/cpu/include/edgeq_cpu.h}"
out="$root/bindings/src/main/java"
out_cpu="$root/bindings/cpu/src/main/java"
bindings=" ${BINDINGS:-cudart cublaslt nvml edgeq edgeqcpu} "
wanted() { [[ "$bindings" == *" $1 "* ]]; }

# Each package is deleted and rewritten so that removed declarations do not linger; edgeqcpu goes to the core's root.
generate() {
  local pkg="$1"; shift
  local dest="$out"
  [ "$pkg" = org.edgeq.bindings.edgeqcpu ] && dest="$out_cpu"
  rm -rf "$dest/${pkg//.//}"
  "$jextract" --output "$dest" --target-package "$pkg" "$@"
}

# Repeats an option for every name that follows: opts --include-function a b -> --include-function a --include-function b
opts() { local o="$1"; shift; for n in "$@"; do printf '%s\n%s\n' "$o" "$n"; done; }

if wanted cudart; then
mapfile -t cudart < <(
  opts --include-function \
    cudaGetDeviceCount cudaDeviceGetAttribute cudaSetDevice cudaGetDevice cudaDriverGetVersion cudaRuntimeGetVersion \
    cudaMalloc cudaFree cudaMemcpyAsync cudaMemsetAsync cudaMemGetInfo \
    cudaStreamCreate cudaStreamDestroy cudaStreamSynchronize \
    cudaEventCreate cudaEventRecord cudaEventSynchronize cudaEventElapsedTime cudaEventDestroy \
    cudaGetErrorString cudaGetErrorName cudaGetLastError
  opts --include-typedef cudaError_t cudaStream_t cudaEvent_t
  opts --include-constant \
    cudaSuccess cudaErrorMemoryAllocation cudaErrorInitializationError cudaErrorInsufficientDriver \
    cudaErrorNoDevice cudaErrorInvalidValue cudaErrorInvalidDevice \
    cudaMemcpyHostToHost cudaMemcpyHostToDevice cudaMemcpyDeviceToHost cudaMemcpyDeviceToDevice cudaMemcpyDefault \
    cudaDevAttrComputeCapabilityMajor cudaDevAttrComputeCapabilityMinor cudaDevAttrMultiProcessorCount \
    cudaDevAttrMaxSharedMemoryPerBlockOptin cudaDevAttrL2CacheSize cudaDevAttrGlobalMemoryBusWidth \
    cudaDevAttrClockRate cudaDevAttrMemoryClockRate cudaDevAttrWarpSize cudaDevAttrMaxThreadsPerBlock \
    CUDART_VERSION
)
generate org.edgeq.bindings.cudart --header-class-name CudaRuntime -I "$cuda_inc" "${cudart[@]}" \
  "$cuda_inc/cuda_runtime_api.h"
fi

if wanted cublaslt; then
mapfile -t cublaslt < <(
  opts --include-function \
    cublasLtCreate cublasLtDestroy cublasLtGetVersion cublasLtGetStatusName cublasLtGetStatusString \
    cublasLtMatmulDescCreate cublasLtMatmulDescSetAttribute cublasLtMatmulDescDestroy \
    cublasLtMatrixLayoutCreate cublasLtMatrixLayoutSetAttribute cublasLtMatrixLayoutDestroy \
    cublasLtMatmulPreferenceCreate cublasLtMatmulPreferenceSetAttribute cublasLtMatmulPreferenceDestroy \
    cublasLtMatmulAlgoGetHeuristic cublasLtMatmul
  opts --include-typedef \
    cublasLtHandle_t cublasLtMatmulDesc_t cublasLtMatrixLayout_t cublasLtMatmulPreference_t \
    cublasLtMatmulAlgo_t cublasLtMatmulHeuristicResult_t cublasStatus_t cublasComputeType_t cudaDataType \
    cublasOperation_t cublasLtMatmulDescAttributes_t cublasLtMatrixLayoutAttribute_t \
    cublasLtMatmulPreferenceAttributes_t cublasLtOrder_t cublasLtEpilogue_t
  opts --include-struct cublasLtMatmulAlgo_t cublasLtMatmulHeuristicResult_t
  opts --include-constant \
    CUBLAS_STATUS_SUCCESS CUBLAS_STATUS_NOT_INITIALIZED CUBLAS_STATUS_ALLOC_FAILED CUBLAS_STATUS_INVALID_VALUE \
    CUBLAS_STATUS_ARCH_MISMATCH CUBLAS_STATUS_EXECUTION_FAILED CUBLAS_STATUS_INTERNAL_ERROR CUBLAS_STATUS_NOT_SUPPORTED \
    CUBLAS_COMPUTE_32F CUBLAS_COMPUTE_32F_FAST_16F CUBLAS_COMPUTE_32F_FAST_TF32 CUBLAS_COMPUTE_32I CUBLAS_COMPUTE_16F \
    CUDA_R_32F CUDA_R_16F CUDA_R_8I CUDA_R_32I \
    CUBLAS_OP_N CUBLAS_OP_T \
    CUBLASLT_MATMUL_DESC_TRANSA CUBLASLT_MATMUL_DESC_TRANSB CUBLASLT_MATMUL_DESC_EPILOGUE \
    CUBLASLT_MATMUL_DESC_BIAS_POINTER CUBLASLT_MATMUL_DESC_SCALE_TYPE CUBLASLT_MATMUL_DESC_POINTER_MODE \
    CUBLASLT_MATRIX_LAYOUT_ORDER CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT CUBLASLT_ORDER_COL CUBLASLT_ORDER_ROW \
    CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES \
    CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES \
    CUBLASLT_EPILOGUE_DEFAULT CUBLASLT_EPILOGUE_RELU CUBLASLT_EPILOGUE_BIAS CUBLASLT_EPILOGUE_RELU_BIAS
)
generate org.edgeq.bindings.cublaslt --header-class-name CublasLt -I "$cublaslt_inc" "${cublaslt[@]}" \
  "$cublaslt_inc/cublasLt.h"
fi

if wanted nvml; then
mapfile -t nvml < <(
  opts --include-function \
    nvmlInit_v2 nvmlShutdown nvmlDeviceGetCount_v2 nvmlDeviceGetHandleByIndex_v2 nvmlDeviceGetTotalEnergyConsumption \
    nvmlDeviceGetPowerUsage nvmlDeviceGetName nvmlErrorString
  opts --include-typedef nvmlReturn_t nvmlDevice_t
  opts --include-constant \
    NVML_SUCCESS NVML_ERROR_UNINITIALIZED NVML_ERROR_NOT_SUPPORTED NVML_ERROR_NO_PERMISSION \
    NVML_ERROR_LIBRARY_NOT_FOUND NVML_ERROR_DRIVER_NOT_LOADED NVML_ERROR_GPU_IS_LOST NVML_ERROR_UNKNOWN \
    NVML_DEVICE_NAME_V2_BUFFER_SIZE
)
generate org.edgeq.bindings.nvml --header-class-name Nvml -I "$nvml_inc" "${nvml[@]}" \
  "$nvml_inc/nvml.h"
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Our own headers: everything a header itself declares is bound, and nothing it merely includes (<stdint.h>).
# own_header PACKAGE CLASS HEADER [extra grep -v pattern]
own_header() {
  local pkg="$1" cls="$2" header="$3" skip="${4:-^$}"
  "$jextract" --dump-includes "$tmp/$cls.all" "$header" >/dev/null 2>&1
  grep -E "^--include-[a-z]+ +[A-Za-z0-9_]+ +# header: .*/$(basename "$header" | sed 's/\./\\./g')$" "$tmp/$cls.all" \
    | grep -v -E "$skip" | awk '{print $1; print $2}' > "$tmp/$cls.args"
  local args
  mapfile -t args < "$tmp/$cls.args"
  generate "$pkg" --header-class-name "$cls" "${args[@]}" "$header"
}

if ! wanted edgeq; then
  :
elif [ -f "$edgeq_h" ]; then
  # Its opaque edgeq_context is left out: jextract cannot lay out an incomplete struct, and pointers to it need no layout.
  own_header org.edgeq.bindings.edgeq EdgeqNative "$edgeq_h" '^--include-struct edgeq_context '
else
  echo "regenerate.sh: $edgeq_h not found, org.edgeq.bindings.edgeq left as it is" >&2
fi

if ! wanted edgeqcpu; then
  :
elif [ -f "$edgeq_cpu_h" ]; then
  # libedgeq_cpu.so (the AVX-512 VNNI int8 GEMM); org.edgeq.hwsim.NativeIntGemm loads it from the jar.
  own_header org.edgeq.bindings.edgeqcpu EdgeqCpu "$edgeq_cpu_h"
else
  echo "regenerate.sh: $edgeq_cpu_h not found, org.edgeq.bindings.edgeqcpu left as it is" >&2
fi
