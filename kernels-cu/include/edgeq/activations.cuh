// ReLU and row-vector bias formulas, identical to CpuElementwise: Java's Math.max(x, 0f) propagates NaN and maps -0
// to +0, which CUDA's fmaxf does not (fmaxf(NaN, 0) is 0), hence the explicit comparisons.
#pragma once

#include "edgeq/host_device.h"

namespace edgeq {

/** max(x, 0) with Java's semantics: NaN stays NaN, -0 becomes +0. */
EDGEQ_HD float relu_value(float x) {
    return x != x ? x : (x > 0.0f ? x : 0.0f);
}

/** dx = dy where the ReLU output y > 0, else 0. */
EDGEQ_HD float relu_gradient(float y, float dy) {
    return y > 0.0f ? dy : 0.0f;
}

/** x + bias, one rounding (as Java's float addition). */
EDGEQ_HD float add_bias(float x, float bias) {
    return fadd_rn(x, bias);
}

}  // namespace edgeq
