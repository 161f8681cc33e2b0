// Adam/AdamW update restricted by an optional pruning mask, and the pruning mask applied (Backend.applyMask), over f32.
#include "edgeq/kernels.h"
#include "launch.cuh"

namespace edgeq::kernels {
namespace {

__global__ void adam_kernel(float* param, const float* grad, float* m, float* v, const float* mask, int64_t n,
                            AdamCoefficients c) {
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        float w = param[i], mi = m[i], vi = v[i];
        if (mask != nullptr) masked_adam_update(w, grad[i], mi, vi, mask[i], c);
        else adam_update(w, grad[i], mi, vi, c);
        param[i] = w;
        m[i] = mi;
        v[i] = vi;
    }
}

__global__ void mask_kernel(float* x, const float* mask, int64_t n) {
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        x[i] = apply_mask(x[i], mask[i]);
    }
}

}  // namespace

cudaError_t adam_masked_f32(float* param, const float* grad, float* m, float* v, const float* mask, int64_t n,
                            AdamCoefficients c, cudaStream_t stream) {
    adam_kernel<<<grid_for(n), kThreads, 0, stream>>>(param, grad, m, v, mask, n, c);
    return cudaGetLastError();
}

cudaError_t mask_apply_f32(float* x, const float* mask, int64_t n, cudaStream_t stream) {
    mask_kernel<<<grid_for(n), kThreads, 0, stream>>>(x, mask, n);
    return cudaGetLastError();
}

}  // namespace edgeq::kernels
