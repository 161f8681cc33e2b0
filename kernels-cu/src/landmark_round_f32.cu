// Nearest-landmark and Philox stochastic rounding onto a sorted codebook held in shared memory (binary search).
#include "edgeq/kernels.h"
#include "edgeq/landmark.cuh"
#include "edgeq/philox.cuh"
#include "launch.cuh"

namespace edgeq::kernels {
namespace {

__device__ void load_codebook(float* shared, const float* points, int count) {
    for (int i = threadIdx.x; i < count; i += blockDim.x) shared[i] = points[i];
    __syncthreads();
}

__global__ void nearest_kernel(const float* x, float* y, int64_t n, const float* points, int count) {
    extern __shared__ float codebook[];
    load_codebook(codebook, points, count);
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        y[i] = codebook[landmark_nearest(codebook, count, x[i])];
    }
}

__global__ void stochastic_kernel(const float* x, float* y, int64_t n, const float* points, int count, uint64_t seed,
                                  uint64_t offset) {
    extern __shared__ float codebook[];
    load_codebook(codebook, points, count);
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        float u = philox_uniform(seed, offset + static_cast<uint64_t>(i));
        y[i] = codebook[landmark_stochastic(codebook, count, x[i], u)];
    }
}

}  // namespace

cudaError_t landmark_nearest_f32(const float* x, float* y, int64_t n, const float* points, int32_t count,
                                 cudaStream_t stream) {
    size_t shared = sizeof(float) * static_cast<size_t>(count);
    if (shared > 48 * 1024) {
        cudaError_t e = cudaFuncSetAttribute(nearest_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                             static_cast<int>(shared));
        if (e != cudaSuccess) return e;
    }
    nearest_kernel<<<grid_for(n), kThreads, shared, stream>>>(x, y, n, points, count);
    return cudaGetLastError();
}

cudaError_t landmark_stochastic_f32(const float* x, float* y, int64_t n, const float* points, int32_t count,
                                    uint64_t seed, uint64_t offset, cudaStream_t stream) {
    size_t shared = sizeof(float) * static_cast<size_t>(count);
    if (shared > 48 * 1024) {
        cudaError_t e = cudaFuncSetAttribute(stochastic_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                             static_cast<int>(shared));
        if (e != cudaSuccess) return e;
    }
    stochastic_kernel<<<grid_for(n), kThreads, shared, stream>>>(x, y, n, points, count, seed, offset);
    return cudaGetLastError();
}

}  // namespace edgeq::kernels
