// One max-pooling window (square, no padding) as CpuPooling's general loop: the first maximum wins, a NaN in the
// window wins (PyTorch), the recorded argmax is the flat input index.
#pragma once

#include "edgeq/host_device.h"

namespace edgeq {

struct PoolResult {
    float value;
    int64_t index;
};

/** Window (oy, ox) of the plane starting at flat index `plane` of x, `width` wide. */
EDGEQ_HD PoolResult max_pool_window(const float* x, int64_t plane, int width, int oy, int ox, int window, int stride) {
    int64_t best = plane + static_cast<int64_t>(oy) * stride * width + static_cast<int64_t>(ox) * stride;
    float max = x[best];
    for (int ky = 0; ky < window; ++ky) {
        int64_t row = plane + static_cast<int64_t>(oy * stride + ky) * width + static_cast<int64_t>(ox) * stride;
        for (int kx = 0; kx < window; ++kx) {
            float v = x[row + kx];
            if (v > max || (v != v && max == max)) {
                max = v;
                best = row + kx;
            }
        }
    }
    return PoolResult{max, best};
}

}  // namespace edgeq
