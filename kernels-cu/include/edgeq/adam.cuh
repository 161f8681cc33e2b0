// One Adam/AdamW element update, the same float operations in the same order as the scalar loop of
// org.edgeq.backend.cpu.CpuElementwise.adam (the host computes the per-step coefficients in double, once).
#pragma once

#include "edgeq/host_device.h"

namespace edgeq {

/** Per-step constants of one Adam step, all floats as the Java backend derives them. */
struct AdamCoefficients {
    float beta1, beta2, epsilon, weight_decay;
    float step_size;      // (float) (lr / (1 - beta1^step))
    float inv_sqrt_bc2;   // (float) (1 / sqrt(1 - beta2^step))
    float decay;          // 1 - lr * weight_decay (decoupled only)
    float c1, c2;         // 1 - beta1, 1 - beta2
    int decoupled;        // AdamW when non-zero
};

/** Host only: the per-step constants, as CpuElementwise.adam derives them (pow in double). */
inline AdamCoefficients adam_coefficients(float lr, float beta1, float beta2, float epsilon, float weight_decay,
                                          bool decoupled, int step) {
    AdamCoefficients c{};
    c.beta1 = beta1;
    c.beta2 = beta2;
    c.epsilon = epsilon;
    c.weight_decay = weight_decay;
    c.step_size = static_cast<float>(lr / (1.0 - std::pow(static_cast<double>(beta1), step)));
    c.inv_sqrt_bc2 = static_cast<float>(1.0 / std::sqrt(1.0 - std::pow(static_cast<double>(beta2), step)));
    c.decay = 1.0f - lr * weight_decay;
    c.c1 = 1.0f - beta1;
    c.c2 = 1.0f - beta2;
    c.decoupled = decoupled ? 1 : 0;
    return c;
}

/** Updates w, m and v of one element with gradient g. */
EDGEQ_HD void adam_update(float& w, float g, float& m, float& v, const AdamCoefficients& c) {
    if (c.decoupled) w = fmul_rn(w, c.decay);
    else g = ffma_rn(w, c.weight_decay, g);
    float mi = fadd_rn(fmul_rn(c.beta1, m), fmul_rn(g, c.c1));
    float vi = fadd_rn(fmul_rn(c.beta2, v), fmul_rn(fmul_rn(g, g), c.c2));
    m = mi;
    v = vi;
    float denom = fadd_rn(fmul_rn(fsqrt_rn(vi), c.inv_sqrt_bc2), c.epsilon);
    w = fsub_rn(w, fdiv_rn(fmul_rn(mi, c.step_size), denom));
}

/**
 * Adam restricted to the weights a pruning mask keeps: where mask is 0 the weight is forced to +0 and its moments
 * reset to 0, so pruned weights stay pruned; elsewhere exactly adam_update.
 */
EDGEQ_HD void masked_adam_update(float& w, float g, float& m, float& v, float mask, const AdamCoefficients& c) {
    if (mask == 0.0f) {
        w = 0.0f;
        m = 0.0f;
        v = 0.0f;
        return;
    }
    adam_update(w, g, m, v, c);
}

/** Pruning mask application as Backend.applyMask: x * mask (a 0 in the mask gives +0 or -0 for every finite x). */
EDGEQ_HD float apply_mask(float x, float mask) {
    return fmul_rn(x, mask);
}

}  // namespace edgeq
