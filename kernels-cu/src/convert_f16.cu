// f32 <-> IEEE half conversions (hardware cvt: round to nearest even, overflow to infinity), grid-stride; four
// elements per thread when the pointers allow 16-byte float loads and 8-byte half stores.
#include "edgeq/half.cuh"
#include "edgeq/kernels.h"
#include "launch.cuh"

namespace edgeq::kernels {
namespace {

__global__ void to_half_vec4(const float4* x, ushort4* y, int64_t n4) {
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n4;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        float4 v = x[i];
        y[i] = make_ushort4(float_to_half_bits(v.x), float_to_half_bits(v.y), float_to_half_bits(v.z),
                            float_to_half_bits(v.w));
    }
}

__global__ void to_half_scalar(const float* x, uint16_t* y, int64_t from, int64_t n) {
    for (int64_t i = from + blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        y[i] = float_to_half_bits(x[i]);
    }
}

__global__ void to_float_vec4(const ushort4* x, float4* y, int64_t n4) {
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n4;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        ushort4 h = x[i];
        y[i] = make_float4(half_bits_to_float(h.x), half_bits_to_float(h.y), half_bits_to_float(h.z),
                           half_bits_to_float(h.w));
    }
}

__global__ void to_float_scalar(const uint16_t* x, float* y, int64_t from, int64_t n) {
    for (int64_t i = from + blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        y[i] = half_bits_to_float(x[i]);
    }
}

bool aligned8(const void* p) {
    return (reinterpret_cast<uintptr_t>(p) & 7u) == 0;
}

}  // namespace

cudaError_t convert_f32_f16(const float* x, uint16_t* y, int64_t n, cudaStream_t stream) {
    int64_t from = 0;
    if (aligned16(x) && aligned8(y) && n >= 4) {
        int64_t n4 = n / 4;
        to_half_vec4<<<grid_for(n4), kThreads, 0, stream>>>(reinterpret_cast<const float4*>(x),
                                                           reinterpret_cast<ushort4*>(y), n4);
        from = n4 * 4;
    }
    if (from < n) to_half_scalar<<<grid_for(n - from), kThreads, 0, stream>>>(x, y, from, n);
    return cudaGetLastError();
}

cudaError_t convert_f16_f32(const uint16_t* x, float* y, int64_t n, cudaStream_t stream) {
    int64_t from = 0;
    if (aligned8(x) && aligned16(y) && n >= 4) {
        int64_t n4 = n / 4;
        to_float_vec4<<<grid_for(n4), kThreads, 0, stream>>>(reinterpret_cast<const ushort4*>(x),
                                                            reinterpret_cast<float4*>(y), n4);
        from = n4 * 4;
    }
    if (from < n) to_float_scalar<<<grid_for(n - from), kThreads, 0, stream>>>(x, y, from, n);
    return cudaGetLastError();
}

}  // namespace edgeq::kernels
