package org.edgeq.backend.cuda;

/** Which engine {@link CudaBackend#gemmInt8} runs: our dp4a kernel, our tensor-core (WMMA) kernel, or cuBLASLt. */
public enum Int8GemmPath {
    /** edgeq_gemm_i8_i32: dp4a, any device of compute capability 6.1 or newer; the reference path. */
    DP4A,
    /** edgeq_gemm_i8_i32_tensor_core: WMMA m16n16k16, compute capability 7.2 or newer. */
    TENSOR_CORE,
    /** cublasLtMatmul with CUBLAS_COMPUTE_32I (needs k and n multiples of 4). */
    CUBLASLT
}
