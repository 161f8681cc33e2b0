package org.edgeq.backend.cuda;

/** Which engine {@link CudaBackend#gemmHalf} runs: our WMMA fp16 kernel or cuBLASLt. */
public enum HalfGemmPath {
    /** edgeq_gemm_f16_f32: WMMA tensor cores with f32 accumulate, compute capability 7.0 or newer. */
    KERNEL,
    /** cublasLtMatmul with CUDA_R_16F inputs, CUDA_R_32F output and CUBLAS_COMPUTE_32F. */
    CUBLASLT
}
