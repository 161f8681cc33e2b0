// Element-wise formulas of CpuElementwise that ABI 2 adds (axpy, scale, multiply, the finiteness test) and PyTorch's
// SGD with momentum in CpuElementwise.sgd's operation order (fused multiply-adds exactly where Java calls Math.fma).
#pragma once

#include "edgeq/host_device.h"

namespace edgeq {

/** y + alpha * x with one rounding: CpuElementwise.axpy computes Math.fma(x, alpha, y). */
EDGEQ_HD float axpy_value(float alpha, float x, float y) {
    return ffma_rn(x, alpha, y);
}

/** x * alpha (Backend.scale). */
EDGEQ_HD float scale_value(float x, float alpha) {
    return fmul_rn(x, alpha);
}

/** a * b (Backend.dropoutBackward, CpuElementwise.multiply). */
EDGEQ_HD float mul_value(float a, float b) {
    return fmul_rn(a, b);
}

/** True for every float but NaN and the infinities. */
EDGEQ_HD bool is_finite(float x) {
    return fsub_rn(x, x) == 0.0f;
}

/** One SGD element: g = fma(w, wd, grad); v = fma(v, momentum, g); w = fma(nesterov ? fma(v, momentum, g) : v, -lr, w). */
EDGEQ_HD void sgd_update(float& w, float grad, float& velocity, float lr, float momentum, float weight_decay,
                         bool nesterov) {
    float g = ffma_rn(w, weight_decay, grad);
    float v = ffma_rn(velocity, momentum, g);
    velocity = v;
    float step = nesterov ? ffma_rn(v, momentum, g) : v;
    w = ffma_rn(step, -lr, w);
}

/** sumRows' final value: (float) ((beta == 0 ? 0 : beta * old) + sum), the column sum taken in double. */
EDGEQ_HD float sum_rows_value(double sum, float old, float beta) {
    float scaled = beta == 0.0f ? 0.0f : fmul_rn(beta, old);
    return static_cast<float>(dadd_rn(static_cast<double>(scaled), sum));
}

}  // namespace edgeq
