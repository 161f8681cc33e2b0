// Macros and IEEE round-to-nearest float operations shared by device code and the host build of the kernel headers.
//
// Every per-element formula must give the same bits as the Java CPU backend. Java never contracts a*b+c into an
// FMA, but nvcc does by default (-fmad=true), so device code uses the explicit _rn intrinsics, which the compiler
// never fuses. The host build must be compiled with -ffp-contract=off (g++ -std=c++17 implies it).
#pragma once

#include <cstdint>
#include <cmath>
#include <cstring>

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

/** Double-precision IEEE operations that nvcc must not contract into an FMA (Java never does). */
EDGEQ_HD double dadd_rn(double a, double b) {
#if defined(__CUDA_ARCH__)
    return __dadd_rn(a, b);
#else
    return a + b;
#endif
}

EDGEQ_HD double dsub_rn(double a, double b) {
#if defined(__CUDA_ARCH__)
    return __dsub_rn(a, b);
#else
    return a - b;
#endif
}

EDGEQ_HD double dmul_rn(double a, double b) {
#if defined(__CUDA_ARCH__)
    return __dmul_rn(a, b);
#else
    return a * b;
#endif
}

EDGEQ_HD double ddiv_rn(double a, double b) {
#if defined(__CUDA_ARCH__)
    return __ddiv_rn(a, b);
#else
    return a / b;
#endif
}

EDGEQ_HD double dsqrt_rn(double a) {
#if defined(__CUDA_ARCH__)
    return __dsqrt_rn(a);
#else
    return std::sqrt(a);
#endif
}

/**
 * exp and log in double. Java's StrictMath (fdlibm), glibc and CUDA's libdevice are each within 1 ulp of the exact
 * value but not always the same ulp, so results built on them agree with the CPU backend to 1 ulp, not bit for bit.
 */
EDGEQ_HD double dexp(double a) {
#if defined(__CUDA_ARCH__)
    return ::exp(a);
#else
    return std::exp(a);
#endif
}

EDGEQ_HD double dlog(double a) {
#if defined(__CUDA_ARCH__)
    return ::log(a);
#else
    return std::log(a);
#endif
}

EDGEQ_HD bool sign_bit(float a) {
#if defined(__CUDA_ARCH__)
    return (__float_as_uint(a) >> 31) != 0;
#else
    uint32_t bits;
    std::memcpy(&bits, &a, sizeof bits);
    return (bits >> 31) != 0;
#endif
}

/** Java's Math.max(float, float): NaN wins, +0 is larger than -0. */
EDGEQ_HD float java_maxf(float a, float b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0.0f && b == 0.0f) return sign_bit(a) ? b : a;
    return a >= b ? a : b;
}

/** Java's Math.min(float, float): NaN wins, -0 is smaller than +0. */
EDGEQ_HD float java_minf(float a, float b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0.0f && b == 0.0f) return sign_bit(a) ? a : b;
    return a <= b ? a : b;
}

/** Java's Math.max(double, double) for the values the losses compare (NaN wins; signed zeros as Java). */
EDGEQ_HD double java_max(double a, double b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0.0 && b == 0.0) return sign_bit(static_cast<float>(a)) ? b : a;
    return a >= b ? a : b;
}

}  // namespace edgeq
