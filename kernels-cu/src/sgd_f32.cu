// SGD with momentum (PyTorch's formulation, CpuElementwise.sgd's operation order), grid-stride, float4 when every
// pointer is 16-byte aligned.
#include "edgeq/elementwise.cuh"
#include "edgeq/kernels.h"
#include "launch.cuh"

namespace edgeq::kernels {
namespace {

struct SgdParams {
    float lr, momentum, weight_decay;
    bool nesterov;
};

__device__ __forceinline__ void sgd_lane(float& w, float g, float& v, const SgdParams& p) {
    sgd_update(w, g, v, p.lr, p.momentum, p.weight_decay, p.nesterov);
}

__global__ void sgd_vec4(float4* param, const float4* grad, float4* velocity, int64_t n4, SgdParams p) {
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n4;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        float4 w = param[i], g = grad[i], v = velocity[i];
        sgd_lane(w.x, g.x, v.x, p);
        sgd_lane(w.y, g.y, v.y, p);
        sgd_lane(w.z, g.z, v.z, p);
        sgd_lane(w.w, g.w, v.w, p);
        param[i] = w;
        velocity[i] = v;
    }
}

__global__ void sgd_scalar(float* param, const float* grad, float* velocity, int64_t from, int64_t n, SgdParams p) {
    for (int64_t i = from + blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        float w = param[i], v = velocity[i];
        sgd_lane(w, grad[i], v, p);
        param[i] = w;
        velocity[i] = v;
    }
}

}  // namespace

cudaError_t sgd_f32(float* param, const float* grad, float* velocity, int64_t n, float learning_rate, float momentum,
                    float weight_decay, bool nesterov, cudaStream_t stream) {
    SgdParams p{learning_rate, momentum, weight_decay, nesterov};
    int64_t from = 0;
    if (aligned16(param) && aligned16(grad) && aligned16(velocity) && n >= 4) {
        int64_t n4 = n / 4;
        sgd_vec4<<<grid_for(n4), kThreads, 0, stream>>>(reinterpret_cast<float4*>(param),
                                                       reinterpret_cast<const float4*>(grad),
                                                       reinterpret_cast<float4*>(velocity), n4, p);
        from = n4 * 4;
    }
    if (from < n) sgd_scalar<<<grid_for(n - from), kThreads, 0, stream>>>(param, grad, velocity, from, n, p);
    return cudaGetLastError();
}

}  // namespace edgeq::kernels
