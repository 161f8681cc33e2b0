// Macros and IEEE round-to-nearest float operations shared by device code and the host build of the kernel headers.
//
// Every per-element formula must give the same bits as the Java CPU backend. Java never contracts a*b+c into an
// FMA, but nvcc does by default (-fmad=true), so device code uses the explicit _rn intrinsics, which the compiler
// never fuses. The host build must be compiled with -ffp-contract=off (g++ -std=c++17 implies it).
#pragma once

#include <cstdint>
#include <cmath>

#if defined(__CUDACC__)
#define EDGEQ_HD __host__ __device__ __forceinline__
#else
#define EDGEQ_HD inline
#endif

namespace edgeq {

EDGEQ_HD float fadd_rn(float a, float b) {
#if defined(__CUDA_ARCH__)
    return __fadd_rn(a, b);
#else
    return a + b;
#endif
}

EDGEQ_HD float fsub_rn(float a, float b) {
#if defined(__CUDA_ARCH__)
    return __fsub_rn(a, b);
#else
    return a - b;
#endif
}

EDGEQ_HD float fmul_rn(float a, float b) {
#if defined(__CUDA_ARCH__)
    return __fmul_rn(a, b);
#else
    return a * b;
#endif
}

EDGEQ_HD float fdiv_rn(float a, float b) {
#if defined(__CUDA_ARCH__)
    return __fdiv_rn(a, b);
#else
    return a / b;
#endif
}

EDGEQ_HD float fsqrt_rn(float a) {
#if defined(__CUDA_ARCH__)
    return __fsqrt_rn(a);
#else
    return std::sqrt(a);
#endif
}

/** Fused multiply-add with one rounding, as Java's Math.fma(a, b, c). */
EDGEQ_HD float ffma_rn(float a, float b, float c) {
#if defined(__CUDA_ARCH__)
    return __fmaf_rn(a, b, c);
#else
    return std::fma(a, b, c);
#endif
}

/** Java's int subtraction (wraps on overflow instead of being undefined). */
EDGEQ_HD int32_t wrapping_sub(int32_t a, int32_t b) {
    return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b));
}

}  // namespace edgeq
