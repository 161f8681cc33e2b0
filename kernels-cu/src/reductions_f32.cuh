// The kernels of reductions_f32.cu (design notes there), in a header so that the host test can run them block by
// block (kernels-cu/test/host_check.cpp).
#pragma once

#include <cstdint>

#include "edgeq/elementwise.cuh"
#include "edgeq/observer.cuh"
#include "reduce.cuh"

namespace edgeq::kernels::reductions {

__global__ void __launch_bounds__(kThreads) sum_partials(const float* x, int64_t n, int squares, double* partials) {
    __shared__ double shared[kThreads];
    double acc = 0.0;
    for (int64_t i = reduce_first(); i < n; i += reduce_stride()) {
        double v = static_cast<double>(x[i]);
        acc = __dadd_rn(acc, squares ? __dmul_rn(v, v) : v);
    }
    double total = block_reduce(acc, shared, AddDouble{});
    if (threadIdx.x == 0) partials[blockIdx.x] = total;
}

__global__ void __launch_bounds__(kThreads) sum_finish(const double* partials, double* out) {
    __shared__ double shared[kThreads];
    double total = combine_partials(partials, 0.0, shared, AddDouble{});
    if (threadIdx.x == 0) *out = total;
}

struct AndInt {
    __device__ int operator()(int a, int b) const { return a & b; }
};

__global__ void __launch_bounds__(kThreads) finite_partials(const float* x, int64_t n, int* partials) {
    __shared__ int shared[kThreads];
    int ok = 1;
    for (int64_t i = reduce_first(); i < n; i += reduce_stride()) ok &= is_finite(x[i]) ? 1 : 0;
    int all = block_reduce(ok, shared, AndInt{});
    if (threadIdx.x == 0) partials[blockIdx.x] = all;
}

__global__ void __launch_bounds__(kThreads) finite_finish(const int* partials, int32_t* out) {
    __shared__ int shared[kThreads];
    int all = combine_partials(partials, 1, shared, AndInt{});
    if (threadIdx.x == 0) *out = all;
}

struct MinMaxOp {
    __device__ float2 operator()(float2 a, float2 b) const {
        return make_float2(java_minf(a.x, b.x), java_maxf(a.y, b.y));
    }
};

__global__ void __launch_bounds__(kThreads) min_max_partials(const float* x, int64_t n, float2* partials) {
    __shared__ float2 shared[kThreads];
    float2 acc = make_float2(INFINITY, -INFINITY);
    MinMaxOp op;
    for (int64_t i = reduce_first(); i < n; i += reduce_stride()) {
        float v = x[i];
        acc = op(acc, make_float2(v, v));
    }
    float2 total = block_reduce(acc, shared, op);
    if (threadIdx.x == 0) partials[blockIdx.x] = total;
}

__global__ void __launch_bounds__(kThreads) min_max_finish(const float2* partials, float* out) {
    __shared__ float2 shared[kThreads];
    float2 total = combine_partials(partials, make_float2(INFINITY, -INFINITY), shared, MinMaxOp{});
    if (threadIdx.x == 0) {
        out[0] = total.x;
        out[1] = total.y;
    }
}

// Extremes of channel c (x viewed as [channels, inner]) by the whole block; Java's min/max are order-independent,
// NaN included. Ends with a barrier, so the block may call it again for its next channel.
__device__ float2 channel_extremes(const float* x, int64_t c, int64_t inner, float2* shared) {
    MinMaxOp op;
    const float* xc = x + c * inner;
    float2 acc = make_float2(INFINITY, -INFINITY);
    for (int64_t i = threadIdx.x; i < inner; i += blockDim.x) {
        float v = xc[i];
        acc = op(acc, make_float2(v, v));
    }
    return block_reduce(acc, shared, op);
}

// One block per channel (grid-stride over channels).
__global__ void __launch_bounds__(kThreads) min_max_channels(const float* x, int64_t channels, int64_t inner,
                                                             float* mins, float* maxs) {
    __shared__ float2 shared[kThreads];
    for (int64_t c = blockIdx.x; c < channels; c += gridDim.x) {
        float2 total = channel_extremes(x, c, inner, shared);
        if (threadIdx.x == 0) {
            mins[c] = total.x;
            maxs[c] = total.y;
        }
    }
}

// An observer step over the whole tensor: the partials of min_max_partials combined as min_max_finish does, then
// folded into the running range (edgeq/observer.cuh).
__global__ void __launch_bounds__(kThreads) fold_extremes_finish(const float2* partials, float* running_min,
                                                                 float* running_max, int32_t kind, float momentum,
                                                                 bool first) {
    __shared__ float2 shared[kThreads];
    float2 total = combine_partials(partials, make_float2(INFINITY, -INFINITY), shared, MinMaxOp{});
    if (threadIdx.x == 0) fold_range(*running_min, *running_max, total.x, total.y, kind, momentum, first);
}

// An observer step per channel: each channel's extremes as min_max_channels takes them, folded by thread 0.
__global__ void __launch_bounds__(kThreads) fold_extremes_channels(const float* x, int64_t channels, int64_t inner,
                                                                   float* running_mins, float* running_maxs,
                                                                   int32_t kind, float momentum, bool first) {
    __shared__ float2 shared[kThreads];
    for (int64_t c = blockIdx.x; c < channels; c += gridDim.x) {
        float2 total = channel_extremes(x, c, inner, shared);
        if (threadIdx.x == 0) fold_range(running_mins[c], running_maxs[c], total.x, total.y, kind, momentum, first);
    }
}

constexpr int kRowLanes = 32;  // blockDim (32, kRowLanes): 32 columns, each column's rows split over 32 lanes

// Column sums: lane ty of column j adds rows ty, ty + kRowLanes, ... in double; the lanes' sums are then added in
// lane order. The order depends on rows only.
__global__ void __launch_bounds__(32 * kRowLanes) sum_rows_kernel(const float* x, float* out, int64_t rows,
                                                                  int64_t cols, float beta) {
    __shared__ double partial[kRowLanes][32];
    for (int64_t j0 = blockIdx.x * 32LL; j0 < cols; j0 += gridDim.x * 32LL) {
        int64_t j = j0 + threadIdx.x;
        double acc = 0.0;
        if (j < cols) {
            for (int64_t r = threadIdx.y; r < rows; r += kRowLanes) acc = __dadd_rn(acc, static_cast<double>(x[r * cols + j]));
        }
        partial[threadIdx.y][threadIdx.x] = acc;
        __syncthreads();
        if (threadIdx.y == 0 && j < cols) {
            double total = 0.0;
            for (int l = 0; l < kRowLanes; ++l) total = __dadd_rn(total, partial[l][threadIdx.x]);
            out[j] = sum_rows_value(total, out[j], beta);
        }
        __syncthreads();
    }
}

}  // namespace edgeq::kernels::reductions
