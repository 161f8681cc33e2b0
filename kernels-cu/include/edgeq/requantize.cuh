// Integer requantization of an int32 GEMM accumulator to int8 and the packed int8 dot product (dp4a).
//
// q = saturate_int8(round_half_away((acc + bias) * multiplier / 2^shift) + zero_point), with multiplier > 0 an
// int32 and 1 <= shift <= 62 (clamped into that range); the product is formed in int64 (|acc * multiplier| < 2^62, no overflow) and the sum
// acc + bias wraps like Java's int addition. Round half away from zero, as gemmlowp/TFLite's rounding right shift.
#pragma once

#include "edgeq/host_device.h"

namespace edgeq {

/** Rounding (half away from zero) arithmetic right shift of p by shift in [1, 62], |p| <= 2^62. */
EDGEQ_HD int64_t rounding_shift_right(int64_t p, int shift) {
    int64_t half = static_cast<int64_t>(1) << (shift - 1);
    return p >= 0 ? (p + half) >> shift : -((-p + half) >> shift);
}

EDGEQ_HD int32_t saturate_int8(int64_t v) {
    return v < -128 ? -128 : (v > 127 ? 127 : static_cast<int32_t>(v));
}

EDGEQ_HD int8_t requantize_i32_to_i8(int32_t acc, int32_t bias, int32_t multiplier, int shift, int32_t zero_point) {
    shift = shift < 1 ? 1 : (shift > 62 ? 62 : shift);  // outside 1..62 the shift is undefined: clamp, never UB
    int32_t sum = static_cast<int32_t>(static_cast<uint32_t>(acc) + static_cast<uint32_t>(bias));
    int64_t scaled = rounding_shift_right(static_cast<int64_t>(sum) * multiplier, shift);
    return static_cast<int8_t>(saturate_int8(scaled + zero_point));
}

/** c + the dot product of the four signed bytes packed in a and b (little-endian), as __dp4a(a, b, c). */
EDGEQ_HD int32_t dot4_i8(int32_t a, int32_t b, int32_t c) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 610
    return __dp4a(a, b, c);
#else
    uint32_t acc = static_cast<uint32_t>(c);
    for (int i = 0; i < 4; ++i) {
        int32_t ai = static_cast<int8_t>(static_cast<uint32_t>(a) >> (8 * i));
        int32_t bi = static_cast<int8_t>(static_cast<uint32_t>(b) >> (8 * i));
        acc += static_cast<uint32_t>(ai * bi);
    }
    return static_cast<int32_t>(acc);
#endif
}

}  // namespace edgeq
