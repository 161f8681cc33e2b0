// Quantize f32 -> int8 codes and dequantize int8 -> f32, per tensor, with the fake-quant rounding and clamp.
#include "edgeq/fake_quant.cuh"
#include "edgeq/kernels.h"
#include "launch.cuh"

namespace edgeq::kernels {
namespace {

__global__ void quantize_kernel(const float* x, int8_t* q, int64_t n, float inv, int32_t zp, CodeRange r) {
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        q[i] = static_cast<int8_t>(quantize_code(x[i], inv, zp, r));
    }
}

__global__ void dequantize_kernel(const int8_t* q, float* y, int64_t n, float s, int32_t zp) {
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        y[i] = dequantize_code(q[i], s, zp);
    }
}

}  // namespace

cudaError_t quantize_per_tensor_f32_i8(const float* x, int8_t* q, int64_t n, float scale, int32_t zero_point,
                                       int32_t qmin, int32_t qmax, cudaStream_t stream) {
    quantize_kernel<<<grid_for(n), kThreads, 0, stream>>>(x, q, n, reciprocal(scale), zero_point,
                                                          code_range(zero_point, qmin, qmax));
    return cudaGetLastError();
}

cudaError_t dequantize_per_tensor_i8_f32(const int8_t* q, float* y, int64_t n, float scale, int32_t zero_point,
                                         cudaStream_t stream) {
    dequantize_kernel<<<grid_for(n), kThreads, 0, stream>>>(q, y, n, scale, zero_point);
    return cudaGetLastError();
}

}  // namespace edgeq::kernels
