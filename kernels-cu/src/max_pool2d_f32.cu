// 2-D max pooling over NCHW f32 with recorded argmax (one thread per output), and its backward pass:
// dx = 0, then dx[argmax[o]] += dy[o] (atomic; exact and order-free when windows do not overlap, stride >= window).
#include "edgeq/kernels.h"
#include "edgeq/pool.cuh"
#include "launch.cuh"

namespace edgeq::kernels {
namespace {

__global__ void max_pool_kernel(const float* x, float* y, int32_t* argmax, int64_t outputs, int height, int width,
                                int out_h, int out_w, int window, int stride) {
    for (int64_t o = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; o < outputs;
         o += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        int64_t plane = o / (static_cast<int64_t>(out_h) * out_w);
        int rem = static_cast<int>(o - plane * out_h * out_w);
        PoolResult r = max_pool_window(x, plane * height * width, width, rem / out_w, rem % out_w, window, stride);
        y[o] = r.value;
        argmax[o] = static_cast<int32_t>(r.index);
    }
}

__global__ void max_pool_backward_kernel(const float* dy, const int32_t* argmax, float* dx, int64_t outputs) {
    for (int64_t o = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; o < outputs;
         o += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        atomicAdd(dx + argmax[o], dy[o]);
    }
}

}  // namespace

cudaError_t max_pool2d_f32(const float* x, float* y, int32_t* argmax, int batch, int channels, int height, int width,
                           int window, int stride, cudaStream_t stream) {
    int out_h = (height - window) / stride + 1, out_w = (width - window) / stride + 1;
    int64_t outputs = static_cast<int64_t>(batch) * channels * out_h * out_w;
    max_pool_kernel<<<grid_for(outputs), kThreads, 0, stream>>>(x, y, argmax, outputs, height, width, out_h, out_w,
                                                                window, stride);
    return cudaGetLastError();
}

cudaError_t max_pool2d_backward_f32(const float* dy, const int32_t* argmax, float* dx, int batch, int channels,
                                    int height, int width, int window, int stride, cudaStream_t stream) {
    int out_h = (height - window) / stride + 1, out_w = (width - window) / stride + 1;
    int64_t outputs = static_cast<int64_t>(batch) * channels * out_h * out_w;
    cudaError_t e = cudaMemsetAsync(dx, 0, sizeof(float) * static_cast<size_t>(batch) * channels * height * width, stream);
    if (e != cudaSuccess) return e;
    max_pool_backward_kernel<<<grid_for(outputs), kThreads, 0, stream>>>(dy, argmax, dx, outputs);
    return cudaGetLastError();
}

}  // namespace edgeq::kernels
