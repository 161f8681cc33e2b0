// IEEE binary16 conversions. Device code uses the hardware conversions (__float2half_rn: round to nearest even,
// overflow to infinity, subnormals kept); the host formulas give the same bits for every float but NaN, where only
// NaN-ness is part of the contract (the device returns its canonical NaN 0x7fff, so does the host formula).
#pragma once

#include "edgeq/host_device.h"

#if defined(__CUDACC__)
#include <cuda_fp16.h>
#endif

namespace edgeq {

/** float -> half bits, round to nearest even (F. Giesen's float_to_half_fast3_rtne, NaN made canonical). */
EDGEQ_HD uint16_t float_to_half_bits(float f) {
#if defined(__CUDA_ARCH__)
    return __half_as_ushort(__float2half_rn(f));
#else
    uint32_t u;
    std::memcpy(&u, &f, sizeof u);
    uint32_t sign = u & 0x80000000u;
    u ^= sign;
    uint16_t out;
    if (u >= (127u + 16u) << 23) {  // |f| >= 65536, inf or NaN
        if (u > 0x7f800000u) return 0x7fff;
        out = 0x7c00;
    } else if (u < 113u << 23) {  // below 2^-14: the half is subnormal or zero
        // Adding 0.5 aligns the 10 mantissa bits at the bottom; float addition rounds to nearest even.
        const uint32_t magic_bits = ((127u - 15u) + (23u - 10u) + 1u) << 23;
        float magic, g;
        std::memcpy(&magic, &magic_bits, sizeof magic);
        std::memcpy(&g, &u, sizeof g);
        g = fadd_rn(g, magic);
        uint32_t gb;
        std::memcpy(&gb, &g, sizeof gb);
        out = static_cast<uint16_t>(gb - magic_bits);
    } else {
        uint32_t mant_odd = (u >> 13) & 1u;
        u += (static_cast<uint32_t>(15 - 127) << 23) + 0xfffu;  // re-bias the exponent, round half down...
        u += mant_odd;                                           // ...or up to even
        out = static_cast<uint16_t>(u >> 13);
    }
    return static_cast<uint16_t>(out | (sign >> 16));
#endif
}

/** half bits -> float (exact). */
EDGEQ_HD float half_bits_to_float(uint16_t h) {
#if defined(__CUDA_ARCH__)
    return __half2float(__ushort_as_half(h));
#else
    uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
    uint32_t e = (h >> 10) & 0x1fu, m = h & 0x3ffu;
    uint32_t bits;
    if (e == 0x1f) {
        bits = sign | 0x7f800000u | (m << 13);
    } else if (e == 0) {
        float v = static_cast<float>(m) * 5.9604644775390625e-8f;  // m * 2^-24, exact
        std::memcpy(&bits, &v, sizeof bits);
        bits |= sign;
    } else {
        bits = sign | ((e + 112u) << 23) | (m << 13);
    }
    float out;
    std::memcpy(&out, &bits, sizeof out);
    return out;
#endif
}

}  // namespace edgeq
