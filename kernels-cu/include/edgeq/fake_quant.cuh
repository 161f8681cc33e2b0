// Per-element fake-quantization formulas (forward value, straight-through mask, LSQ step-size slope),
// bit-identical to org.edgeq.backend.cpu.CpuQuantization.
//
// Codes are relative to the zero point: lo = qmin - z, hi = qmax - z, r = round(x * (1 / s)),
// y = clamp(r, lo, hi) * s. Rounding is Java's "magic number" trick (v + 1.5*2^23) - 1.5*2^23: round half to even
// like rintf for |v| < 2^22, never -0 (rintf(-0.3) is -0, the trick gives +0, so y has the same sign bit as Java's),
// and monotone beyond 2^22, where every code clamps anyway. NaN stays NaN (every comparison is false).
#pragma once

#include "edgeq/host_device.h"

namespace edgeq {

constexpr float kRoundMagic = 0x1.8p23f;

/** The clamp range of codes relative to the zero point. */
struct CodeRange {
    float lo;
    float hi;
};

EDGEQ_HD CodeRange code_range(int32_t zero_point, int32_t qmin, int32_t qmax) {
    return CodeRange{static_cast<float>(wrapping_sub(qmin, zero_point)), static_cast<float>(wrapping_sub(qmax, zero_point))};
}

/** 1 / s rounded once, as Java's 1f / s. */
EDGEQ_HD float reciprocal(float s) {
    return fdiv_rn(1.0f, s);
}

/** Round half to even for |v| < 2^22, +0 for every zero result, monotone beyond (see the file comment). */
EDGEQ_HD float round_code(float v) {
    return fsub_rn(fadd_rn(v, kRoundMagic), kRoundMagic);
}

/** y = clamp(round(x * inv), lo, hi) * s; NaN in, NaN out. */
EDGEQ_HD float fake_quant_value(float x, float s, float inv, CodeRange range) {
    float r = round_code(fmul_rn(x, inv));
    r = r < range.lo ? range.lo : (r > range.hi ? range.hi : r);
    return fmul_rn(r, s);
}

/** The straight-through estimator passes the gradient only where lo <= round(x * inv) <= hi (never for NaN). */
EDGEQ_HD bool ste_passes(float x, float inv, CodeRange range) {
    float r = round_code(fmul_rn(x, inv));
    return r >= range.lo && r <= range.hi;
}

/** dx for the straight-through estimator. */
EDGEQ_HD float ste_gradient(float x, float dy, float inv, CodeRange range) {
    return ste_passes(x, inv, range) ? dy : 0.0f;
}

/**
 * LSQ d(y)/d(s) for one element: r - x * inv in range, lo below, hi above, 0 for NaN (Esser et al. 2020).
 * The step-size gradient sums dy * slope in double; that product of two floats is exact in double.
 */
EDGEQ_HD float lsq_slope(float x, float inv, CodeRange range) {
    float v = fmul_rn(x, inv);
    float r = round_code(v);
    if (r < range.lo) return range.lo;
    if (r > range.hi) return range.hi;
    if (r == r) return fsub_rn(r, v);
    return 0.0f;
}

}  // namespace edgeq
