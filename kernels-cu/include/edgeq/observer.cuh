// Observer formulas shared by host and device, bit-identical to org.edgeq.quant.core.RangeFold (how a running range
// takes in a tensor's extremes) and org.edgeq.quant.core.AffineParams (range -> scale and zero point, torch.ao's
// _calculate_qparams). Every float operation is spelled with its rounding (host_device.h), so nvcc cannot contract
// a multiply and an add into one FMA that Java does not do.
#pragma once

#include <cmath>

#include "edgeq/elementwise.cuh"
#include "edgeq/host_device.h"

namespace edgeq {

/** RangeFold's constants, in its declaration order (the Java side passes ordinal()). */
enum RangeFoldKind : int32_t { kFoldCurrent = 0, kFoldRunning = 1, kFoldMovingAverage = 2 };

/** float32 machine epsilon: AffineParams.MIN_SCALE, the smallest scale the rule gives. */
constexpr float kMinScale = 1.1920928955078125e-7f;

/** RangeFold.apply: a channel's new bound (lower or upper) from its running bound and the newest tensor's. */
EDGEQ_HD float fold_bound(float running, float newest, bool upper, int32_t kind, float momentum) {
    switch (kind) {
        case kFoldCurrent: return newest;
        case kFoldRunning: return upper ? java_maxf(running, newest) : java_minf(running, newest);
        default: return fadd_rn(running, fmul_rn(momentum, fsub_rn(newest, running)));
    }
}

/**
 * RangeFold.fold: folds one channel's newest extremes into [lo, hi] in place. Newest extremes that are not both
 * finite leave the range as it is ([0, 0] on the first tensor); the first finite tensor sets it.
 */
EDGEQ_HD void fold_range(float& lo, float& hi, float newest_lo, float newest_hi, int32_t kind, float momentum,
                         bool first) {
    if (!is_finite(newest_lo) || !is_finite(newest_hi)) {
        if (first) {
            lo = 0.0f;
            hi = 0.0f;
        }
        return;
    }
    float new_lo = first ? newest_lo : fold_bound(lo, newest_lo, false, kind, momentum);
    float new_hi = first ? newest_hi : fold_bound(hi, newest_hi, true, kind, momentum);
    lo = new_lo;
    hi = new_hi;
}

/** AffineParams.scale: the range widened to hold 0, divided over the grid; at least kMinScale (NaN stays NaN). */
EDGEQ_HD float affine_scale(float min, float max, int32_t qmin, int32_t qmax, bool symmetric) {
    float lo = java_minf(min, 0.0f);
    float hi = java_maxf(max, 0.0f);
    float s = symmetric ? fdiv_rn(java_maxf(-lo, hi), fdiv_rn(static_cast<float>(qmax - qmin), 2.0f))
                        : fdiv_rn(fsub_rn(hi, lo), static_cast<float>(qmax - qmin));
    return java_maxf(s, kMinScale);
}

/** rint in double (half to even; exact in every rounding of a double argument). */
EDGEQ_HD double rint_double(double a) {
#if defined(__CUDA_ARCH__)
    return rint(a);
#else
    return std::nearbyint(a);
#endif
}

/**
 * AffineParams.zeroPoint: qmin - rint(min(min, 0) / scale), clamped to [qmin, qmax]; 0 when symmetric, and 0 where
 * Java's (int) cast of NaN gives 0.
 */
EDGEQ_HD int32_t affine_zero_point(float min, float scale, int32_t qmin, int32_t qmax, bool symmetric) {
    if (symmetric) return 0;
    double z = dsub_rn(static_cast<double>(qmin), rint_double(static_cast<double>(fdiv_rn(java_minf(min, 0.0f), scale))));
    if (z != z) return 0;
    if (z < qmin) return qmin;
    if (z > qmax) return qmax;
    return static_cast<int32_t>(z);
}

/** clampScales: max(s, min_scale), NaN becoming min_scale. */
EDGEQ_HD float clamp_scale(float s, float min_scale) {
    return s >= min_scale ? s : min_scale;
}

}  // namespace edgeq
