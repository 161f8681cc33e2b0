// ReLU forward/backward, the row-vector bias add (x [rows, cols] += bias[cols]), fill, axpy, scale and the
// element-wise product over f32, grid-stride; fill/axpy/scale/mul move float4 when every pointer is 16-byte aligned
// and finish the tail element by element.
#include "edgeq/activations.cuh"
#include "edgeq/elementwise.cuh"
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


// y[i] = f(a[i], b[i]) for the float4 body [0, n4 * 4); Op is applied per lane.
template <typename Op>
__global__ void binary_vec4(const float4* a, const float4* b, float4* y, int64_t n4, Op op) {
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n4;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        float4 u = a[i], v = b[i];
        y[i] = make_float4(op(u.x, v.x), op(u.y, v.y), op(u.z, v.z), op(u.w, v.w));
    }
}

template <typename Op>
__global__ void binary_scalar(const float* a, const float* b, float* y, int64_t from, int64_t n, Op op) {
    for (int64_t i = from + blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        y[i] = op(a[i], b[i]);
    }
}

// y = op(a, b) element-wise; b may equal a (unary operations pass the same pointer twice).
template <typename Op>
cudaError_t binary(const float* a, const float* b, float* y, int64_t n, Op op, cudaStream_t stream) {
    int64_t from = 0;
    if (aligned16(a) && aligned16(b) && aligned16(y) && n >= 4) {
        int64_t n4 = n / 4;
        binary_vec4<<<grid_for(n4), kThreads, 0, stream>>>(reinterpret_cast<const float4*>(a),
                                                          reinterpret_cast<const float4*>(b),
                                                          reinterpret_cast<float4*>(y), n4, op);
        from = n4 * 4;
    }
    if (from < n) binary_scalar<<<grid_for(n - from), kThreads, 0, stream>>>(a, b, y, from, n, op);
    return cudaGetLastError();
}

struct FillOp {
    float value;
    __device__ float operator()(float, float) const { return value; }
};

struct AxpyOp {  // a = x, b = y
    float alpha;
    __device__ float operator()(float x, float y) const { return axpy_value(alpha, x, y); }
};

struct ScaleOp {
    float alpha;
    __device__ float operator()(float x, float) const { return scale_value(x, alpha); }
};

struct MulOp {
    __device__ float operator()(float a, float b) const { return mul_value(a, b); }
};

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

cudaError_t fill_f32(float* x, int64_t n, float value, cudaStream_t stream) {
    return binary(x, x, x, n, FillOp{value}, stream);
}

cudaError_t axpy_f32(float alpha, const float* x, float* y, int64_t n, cudaStream_t stream) {
    return binary(x, y, y, n, AxpyOp{alpha}, stream);
}

cudaError_t scale_f32(float* x, int64_t n, float alpha, cudaStream_t stream) {
    return binary(x, x, x, n, ScaleOp{alpha}, stream);
}

cudaError_t mul_f32(const float* a, const float* b, float* y, int64_t n, cudaStream_t stream) {
    return binary(a, b, y, n, MulOp{}, stream);
}

}  // namespace edgeq::kernels
