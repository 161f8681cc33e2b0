// ReLU forward/backward and the row-vector bias add (x [rows, cols] += bias[cols]) over f32, grid-stride.
#include "edgeq/activations.cuh"
#include "edgeq/kernels.h"
#include "launch.cuh"

namespace edgeq::kernels {
namespace {

__global__ void relu_kernel(const float* x, float* y, int64_t n) {
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        y[i] = relu_value(x[i]);
    }
}

__global__ void relu_backward_kernel(const float* y, const float* dy, float* dx, int64_t n) {
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        dx[i] = relu_gradient(y[i], dy[i]);
    }
}

__global__ void add_row_vector_kernel(float* x, const float* bias, int64_t rows, int64_t cols) {
    int64_t n = rows * cols;
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        x[i] = add_bias(x[i], bias[i % cols]);
    }
}

}  // namespace

cudaError_t relu_f32(const float* x, float* y, int64_t n, cudaStream_t stream) {
    relu_kernel<<<grid_for(n), kThreads, 0, stream>>>(x, y, n);
    return cudaGetLastError();
}

cudaError_t relu_backward_f32(const float* y, const float* dy, float* dx, int64_t n, cudaStream_t stream) {
    relu_backward_kernel<<<grid_for(n), kThreads, 0, stream>>>(y, dy, dx, n);
    return cudaGetLastError();
}

cudaError_t add_row_vector_f32(float* x, const float* bias, int64_t rows, int64_t cols, cudaStream_t stream) {
    add_row_vector_kernel<<<grid_for(rows * cols), kThreads, 0, stream>>>(x, bias, rows, cols);
    return cudaGetLastError();
}

}  // namespace edgeq::kernels
