package org.edgeq.backend.cuda;

/** Which f32 GEMM {@link CudaBackend#gemm} runs. */
public enum GemmEngine {
    /** Our SIMT kernel, edgeq_gemm_f32. */
    KERNEL,
    /** cublasLtMatmul with CUBLAS_COMPUTE_32F. */
    CUBLASLT,
    /** Times both once per shape and keeps the faster; the kernel alone when cuBLASLt is not loaded. */
    AUTO
}
