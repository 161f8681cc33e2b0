// The kernels of losses_f32.cu (design notes there), in a header so that the host test can run them block by block
// with the warp shuffles emulated (kernels-cu/test/host_check.cpp).
#pragma once

#include <climits>
#include <cstdint>

#include "edgeq/losses.cuh"
#include "reduce.cuh"

namespace edgeq::kernels::losses {

constexpr int kWarps = kThreads / 32;
constexpr unsigned kAll = 0xffffffffu;

__device__ __forceinline__ int64_t warp_first() {
    return blockIdx.x * static_cast<int64_t>(kWarps) + threadIdx.x / 32;
}

__device__ __forceinline__ int64_t warp_stride() {
    return static_cast<int64_t>(gridDim.x) * kWarps;
}

// Sum over the warp in a fixed tree; every lane gets lane 0's total.
__device__ __forceinline__ double warp_sum(double v) {
    for (int offset = 16; offset > 0; offset >>= 1) v = __dadd_rn(v, __shfl_down_sync(kAll, v, offset));
    return __shfl_sync(kAll, v, 0);
}

__device__ __forceinline__ float warp_maxf(float v) {
    for (int offset = 16; offset > 0; offset >>= 1) v = java_maxf(v, __shfl_xor_sync(kAll, v, offset));
    return v;
}

__device__ __forceinline__ double warp_max(double v) {
    for (int offset = 16; offset > 0; offset >>= 1) v = java_max(v, __shfl_xor_sync(kAll, v, offset));
    return v;
}

struct MinInt {
    __device__ int operator()(int a, int b) const { return a < b ? a : b; }
};

// Block stage shared by the row losses: the eight warps' totals (lane 0 of each holds one) in warp order, and the
// smallest bad row, into the block's partials.
__device__ __forceinline__ void block_rows_partial(double warp_total, int warp_bad, double* partials, int* bad_partials) {
    __shared__ double totals[kWarps];
    __shared__ int bads[kWarps];
    int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
    if (lane == 0) {
        totals[warp] = warp_total;
        bads[warp] = warp_bad;
    }
    __syncthreads();
    if (threadIdx.x == 0) {
        double total = 0.0;
        int bad = INT_MAX;
        for (int w = 0; w < kWarps; ++w) {
            total = __dadd_rn(total, totals[w]);
            bad = bads[w] < bad ? bads[w] : bad;
        }
        partials[blockIdx.x] = total;
        if (bad_partials != nullptr) bad_partials[blockIdx.x] = bad;
    }
}

// No __launch_bounds__ on the two row kernels: with it, ptxas for sm_80 spills around the double exp/log (it does
// not for sm_89/sm_90, nor without the bound); they are launched with kThreads threads all the same.
__global__ void softmax_ce_rows(const float* logits, const int32_t* labels, float* dlogits, int32_t rows,
                                int32_t classes, float inv_rows, double* partials, int* bad_partials) {
    int lane = threadIdx.x % 32;
    double warp_total = 0.0;
    int warp_bad = INT_MAX;
    for (int64_t r = warp_first(); r < rows; r += warp_stride()) {
        const float* x = logits + r * classes;
        int32_t label = labels[r];
        bool good = label >= 0 && label < classes;
        float max = -INFINITY;
        for (int j = lane; j < classes; j += 32) max = java_maxf(max, x[j]);
        max = warp_maxf(max);
        double sum = 0.0;
        for (int j = lane; j < classes; j += 32) sum = __dadd_rn(sum, ce_exp_term(x[j], max));
        double log_sum = dlog(warp_sum(sum));
        if (dlogits != nullptr) {
            float* g = dlogits + r * classes;
            for (int j = lane; j < classes; j += 32) g[j] = ce_gradient(x[j], max, log_sum, j == label, inv_rows);
        }
        if (lane == 0) {
            if (good) warp_total = __dadd_rn(warp_total, ce_row_loss(log_sum, x[label], max));
            else if (warp_bad == INT_MAX) warp_bad = static_cast<int>(r);  // rows ascend per warp: the first is the least
        }
    }
    block_rows_partial(warp_total, warp_bad, partials, bad_partials);
}

__global__ void __launch_bounds__(kThreads) rows_finish(const double* partials, const int* bad_partials,
                                                        double* total_out, int32_t* bad_out) {
    __shared__ double shared[kThreads];
    __shared__ int shared_bad[kThreads];
    double total = combine_partials(partials, 0.0, shared, AddDouble{});
    int bad = bad_partials != nullptr ? combine_partials(bad_partials, INT_MAX, shared_bad, MinInt{}) : INT_MAX;
    if (threadIdx.x == 0) {
        *total_out = total;
        if (bad_out != nullptr) *bad_out = bad == INT_MAX ? 0 : bad + 1;
    }
}

__global__ void kl_rows(const float* logits, const float* teacher, float* dlogits, int32_t rows, int32_t classes,
                        double inv_t, double grad_scale, double* partials) {
    int lane = threadIdx.x % 32;
    double warp_total = 0.0;
    for (int64_t r = warp_first(); r < rows; r += warp_stride()) {
        const float* s = logits + r * classes;
        const float* t = teacher + r * classes;
        double max_s = -INFINITY, max_t = -INFINITY;
        for (int j = lane; j < classes; j += 32) {
            max_s = java_max(max_s, kl_scaled(s[j], inv_t));
            max_t = java_max(max_t, kl_scaled(t[j], inv_t));
        }
        max_s = warp_max(max_s);
        max_t = warp_max(max_t);
        double sum_s = 0.0, sum_t = 0.0;
        for (int j = lane; j < classes; j += 32) {
            sum_s = __dadd_rn(sum_s, dexp(__dsub_rn(kl_scaled(s[j], inv_t), max_s)));
            sum_t = __dadd_rn(sum_t, dexp(__dsub_rn(kl_scaled(t[j], inv_t), max_t)));
        }
        double log_zs = __dadd_rn(max_s, dlog(warp_sum(sum_s)));
        double log_zt = __dadd_rn(max_t, dlog(warp_sum(sum_t)));
        double kl = 0.0;
        float* g = dlogits != nullptr ? dlogits + r * classes : nullptr;
        for (int j = lane; j < classes; j += 32) {
            double log_q = __dsub_rn(kl_scaled(s[j], inv_t), log_zs);
            double log_p = __dsub_rn(kl_scaled(t[j], inv_t), log_zt);
            kl = __dadd_rn(kl, kl_term(log_q, log_p, grad_scale, g != nullptr ? g + j : nullptr));
        }
        kl = warp_sum(kl);
        if (lane == 0) warp_total = __dadd_rn(warp_total, kl);
    }
    block_rows_partial(warp_total, INT_MAX, partials, nullptr);
}

// One warp per row (any grid): lanes scan their strided columns, then combine candidates with argmax_prefers.
__global__ void __launch_bounds__(kThreads) argmax_rows_kernel(const float* x, int32_t* out, int32_t rows,
                                                               int32_t cols) {
    int lane = threadIdx.x % 32;
    for (int64_t r = warp_first(); r < rows; r += warp_stride()) {
        const float* row = x + r * cols;
        float first = row[0];
        if (first != first) {  // CpuLosses keeps index 0 when it is NaN
            if (lane == 0) out[r] = 0;
            continue;
        }
        float best = -INFINITY;
        int best_j = INT_MAX;
        for (int j = lane; j < cols; j += 32) {
            float v = row[j];
            if (argmax_prefers(v, j, best, best_j)) {
                best = v;
                best_j = j;
            }
        }
        for (int offset = 16; offset > 0; offset >>= 1) {
            float v = __shfl_xor_sync(kAll, best, offset);
            int j = __shfl_xor_sync(kAll, best_j, offset);
            if (argmax_prefers(v, j, best, best_j)) {
                best = v;
                best_j = j;
            }
        }
        if (lane == 0) out[r] = best_j;
    }
}

__global__ void __launch_bounds__(kThreads) mse_partials(const float* pred, const float* target, float* dpred,
                                                         int64_t n, float scale, double* partials) {
    __shared__ double shared[kThreads];
    double acc = 0.0;
    for (int64_t i = reduce_first(); i < n; i += reduce_stride()) {
        float d = mse_diff(pred[i], target[i]);
        acc = __dadd_rn(acc, mse_square(d));
        if (dpred != nullptr) dpred[i] = mse_gradient(d, scale);
    }
    double total = block_reduce(acc, shared, AddDouble{});
    if (threadIdx.x == 0) partials[blockIdx.x] = total;
}

}  // namespace edgeq::kernels::losses
