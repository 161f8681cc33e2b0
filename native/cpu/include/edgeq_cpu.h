/*
 * EdgeQ CPU kernels: the plain C ABI of libedgeq_cpu.so (read by jextract for the Java bindings).
 *
 * An int8 GEMM with AVX-512 VNNI (vpdpbusd) for the hardware simulator's integer arithmetic (org.edgeq.hwsim). The
 * library loads and every function may be called on any x86-64 CPU: the kernel checks the CPU at run time and
 * answers EDGEQ_CPU_ERROR_UNSUPPORTED where AVX-512 VNNI is missing, so the caller falls back to its own kernel.
 * Nothing here allocates, keeps state between calls or aborts; every function is safe to call from many threads at
 * once (each with its own workspace).
 */
#ifndef EDGEQ_CPU_H
#define EDGEQ_CPU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EDGEQ_CPU_ABI_VERSION 1

typedef enum edgeq_cpu_status {
    EDGEQ_CPU_OK = 0,
    EDGEQ_CPU_ERROR_INVALID_ARGUMENT = 1, /* a null pointer, negative size, short leading dimension or workspace */
    EDGEQ_CPU_ERROR_UNSUPPORTED = 2       /* this CPU, or its operating system, does not run AVX-512 VNNI */
} edgeq_cpu_status;

/* EDGEQ_CPU_ABI_VERSION of the loaded library, to check against the bindings. */
int32_t edgeq_cpu_abi_version(void);

/* 1 when this CPU and operating system run the AVX-512 VNNI kernel (avx512f, avx512bw, avx512vnni with the zmm
 * state enabled), else 0. */
int32_t edgeq_cpu_has_avx512_vnni(void);

/* Bytes of workspace edgeq_cpu_gemm_s8s8s32 needs for an m x n x k product (packed panels of A and B); -1 when a
 * size is negative. */
int64_t edgeq_cpu_gemm_s8s8s32_workspace_bytes(int32_t m, int32_t n, int32_t k);

/*
 * C[i * ldc + j] = sum over p < k of A[i * lda + p] * B[j * ldb + p], for i < m, j < n, in 32-bit two's-complement
 * arithmetic (exact whenever the true sum fits in int32_t; it wraps otherwise): A is [m, k] and B [n, k], both
 * row-major int8, so B is the weight with output channels first. C's old contents are ignored. m, n or k may be 0
 * (k = 0 writes zeros). workspace holds at least edgeq_cpu_gemm_s8s8s32_workspace_bytes(m, n, k) bytes, any
 * alignment; it may not overlap A, B or C.
 */
edgeq_cpu_status edgeq_cpu_gemm_s8s8s32(int32_t m, int32_t n, int32_t k, const int8_t* a, int64_t lda,
                                        const int8_t* b, int64_t ldb, int32_t* c, int64_t ldc,
                                        void* workspace, int64_t workspace_bytes);

#ifdef __cplusplus
}
#endif

#endif /* EDGEQ_CPU_H */
