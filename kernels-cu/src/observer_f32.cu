// Observers on the device, after the fold of extremes into running ranges (fold_extremes_f32, a reduction in
// reductions_f32.cu): ranges into scales and zero points, and learned scales kept positive. Together they let a
// QAT step keep every quantization parameter on the device (Backend.foldExtremes, affineParams, clampScales). The
// formulas are edgeq/observer.cuh's, shared with the host check and bit-identical to the Java CPU backend.
#include "edgeq/kernels.h"
#include "edgeq/observer.cuh"
#include "launch.cuh"

namespace edgeq::kernels {
namespace {

__global__ void affine_params_kernel(const float* mins, const float* maxs, float* scales, int32_t* zero_points,
                                     int64_t channels, int32_t qmin, int32_t qmax, bool symmetric) {
    for (int64_t c = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; c < channels;
         c += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        float s = affine_scale(mins[c], maxs[c], qmin, qmax, symmetric);
        scales[c] = s;
        zero_points[c] = affine_zero_point(mins[c], s, qmin, qmax, symmetric);
    }
}

__global__ void clamp_scales_kernel(float* scales, int64_t n, float min_scale) {
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        scales[i] = clamp_scale(scales[i], min_scale);
    }
}

}  // namespace

cudaError_t affine_params_f32(const float* mins, const float* maxs, float* scales, int32_t* zero_points,
                              int64_t channels, int32_t qmin, int32_t qmax, bool symmetric, cudaStream_t stream) {
    affine_params_kernel<<<grid_for(channels), kThreads, 0, stream>>>(mins, maxs, scales, zero_points, channels, qmin,
                                                                      qmax, symmetric);
    return cudaGetLastError();
}

cudaError_t clamp_scales_f32(float* scales, int64_t n, float min_scale, cudaStream_t stream) {
    clamp_scales_kernel<<<grid_for(n), kThreads, 0, stream>>>(scales, n, min_scale);
    return cudaGetLastError();
}

}  // namespace edgeq::kernels
