// The kernels of batch_norm_f32.cu (design notes there), in a header so that the host test can run them block by
// block (kernels-cu/test/host_check.cpp).
#pragma once

#include <cstdint>

#include "edgeq/batch_norm.cuh"
#include "reduce.cuh"

namespace edgeq::kernels::bn {

// Flat index of element j (= i * spatial + s) of channel c.
__device__ __forceinline__ int64_t bn_at(uint32_t j, uint32_t spatial, int64_t c, int64_t channels) {
    uint32_t i = j / spatial, s = j - i * spatial;
    return (static_cast<int64_t>(i) * channels + c) * spatial + s;
}

__global__ void __launch_bounds__(kThreads) bn_forward(const float* x, float* y, const float* gamma, const float* beta,
                                                       float* running_mean, float* running_var, float* save_mean,
                                                       float* save_inv_std, int32_t batch, int32_t channels,
                                                       int32_t spatial, int32_t training, float momentum, float eps) {
    __shared__ double shared[kThreads];
    uint32_t count = static_cast<uint32_t>(batch) * static_cast<uint32_t>(spatial);
    for (int64_t c = blockIdx.x; c < channels; c += gridDim.x) {
        float mean, inv_std;
        if (training) {
            double acc = 0.0;
            for (uint32_t j = threadIdx.x; j < count; j += kThreads) {
                acc = __dadd_rn(acc, static_cast<double>(x[bn_at(j, spatial, c, channels)]));
            }
            double m = bn_mean(block_reduce(acc, shared, AddDouble{}), count);
            double sq = 0.0;
            for (uint32_t j = threadIdx.x; j < count; j += kThreads) {
                sq = __dadd_rn(sq, bn_squared_deviation(x[bn_at(j, spatial, c, channels)], m));
            }
            BnBatchStats st = bn_batch_stats(m, block_reduce(sq, shared, AddDouble{}), count, eps);
            mean = st.save_mean;
            inv_std = st.inv_std;
            if (threadIdx.x == 0) {
                save_mean[c] = mean;
                save_inv_std[c] = inv_std;
                running_mean[c] = bn_running(running_mean[c], momentum, st.mean);
                running_var[c] = bn_running(running_var[c], momentum, st.unbiased);
            }
        } else {
            mean = running_mean[c];
            inv_std = bn_inv_std(static_cast<double>(running_var[c]), eps);
        }
        BnAffine a = bn_affine(gamma[c], beta[c], mean, inv_std);
        for (uint32_t j = threadIdx.x; j < count; j += kThreads) {
            int64_t at = bn_at(j, spatial, c, channels);
            y[at] = bn_normalize(x[at], a);
        }
        __syncthreads();  // running_mean[c] is read above by every thread before thread 0 of the next round writes
    }
}

__global__ void __launch_bounds__(kThreads) bn_backward(const float* x, const float* dy, const float* gamma,
                                                        const float* save_mean, const float* save_inv_std, float* dx,
                                                        float* dgamma, float* dbeta, int32_t batch, int32_t channels,
                                                        int32_t spatial) {
    __shared__ double shared[kThreads];
    uint32_t count = static_cast<uint32_t>(batch) * static_cast<uint32_t>(spatial);
    for (int64_t c = blockIdx.x; c < channels; c += gridDim.x) {
        float mean = save_mean[c], inv_std = save_inv_std[c];
        double sum_dy = 0.0, sum_centered = 0.0;
        for (uint32_t j = threadIdx.x; j < count; j += kThreads) {
            int64_t at = bn_at(j, spatial, c, channels);
            float g = dy[at];
            sum_dy = __dadd_rn(sum_dy, static_cast<double>(g));
            sum_centered = __dadd_rn(sum_centered, bn_centered_product(x[at], mean, g));
        }
        sum_dy = block_reduce(sum_dy, shared, AddDouble{});
        sum_centered = block_reduce(sum_centered, shared, AddDouble{});
        BnBackward k = bn_backward_coefficients(sum_dy, sum_centered, gamma[c], mean, inv_std, count);
        if (threadIdx.x == 0) {
            dgamma[c] = k.dgamma;
            dbeta[c] = k.dbeta;
        }
        if (dx == nullptr) continue;  // uniform across the block
        for (uint32_t j = threadIdx.x; j < count; j += kThreads) {
            int64_t at = bn_at(j, spatial, c, channels);
            dx[at] = bn_backward_dx(dy[at], x[at], k);
        }
    }
}

}  // namespace edgeq::kernels::bn
