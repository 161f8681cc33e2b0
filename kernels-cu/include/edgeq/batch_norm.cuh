// Batch normalisation formulas of CpuBatchNorm over [batch, channels, spatial]: per-channel coefficients from
// double sums, then one fused multiply-add per element (Math.fma in Java). The kernels sum each channel in a fixed
// order of their own (one block per channel), so the sums agree with the CPU's to double rounding and the floats
// derived from them to 1 ulp; the element formulas given the same coefficients are bit-exact.
#pragma once

#include "edgeq/host_device.h"

namespace edgeq {

/** The per-channel float pair the forward pass normalises with: y = fma(x, scale, shift). */
struct BnAffine {
    float scale, shift;
};

/** scale = gamma * inv_std, shift = beta - mean * scale, in float (Java's order). */
EDGEQ_HD BnAffine bn_affine(float gamma, float beta, float mean, float inv_std) {
    float scale = fmul_rn(gamma, inv_std);
    return BnAffine{scale, fsub_rn(beta, fmul_rn(mean, scale))};
}

/** y = fma(x, scale, shift). */
EDGEQ_HD float bn_normalize(float x, BnAffine a) {
    return ffma_rn(x, a.scale, a.shift);
}

/** (float) (1 / sqrt(var + eps)) with var in double (batch statistics, or a running variance widened). */
EDGEQ_HD float bn_inv_std(double var, float eps) {
    return static_cast<float>(ddiv_rn(1.0, dsqrt_rn(dadd_rn(var, static_cast<double>(eps)))));
}

/** Running statistic update: (float) ((1 - momentum) * running (float product) + momentum * batch (double)). */
EDGEQ_HD float bn_running(float running, float momentum, double batch) {
    float kept = fmul_rn(fsub_rn(1.0f, momentum), running);
    return static_cast<float>(dadd_rn(static_cast<double>(kept), dmul_rn(static_cast<double>(momentum), batch)));
}

/** Training-mode statistics of one channel from sum(x) and sum((x - mean)^2) over `count` elements. */
struct BnBatchStats {
    double mean;      // sum / count
    float save_mean;  // (float) mean
    float inv_std;    // 1 / sqrt(biased var + eps)
    double unbiased;  // sq / (count - 1), or the biased variance when count == 1
};

EDGEQ_HD double bn_mean(double sum, int64_t count) {
    return ddiv_rn(sum, static_cast<double>(count));
}

/** (x - mean)^2 in double, one element of the second pass. */
EDGEQ_HD double bn_squared_deviation(float x, double mean) {
    double d = dsub_rn(static_cast<double>(x), mean);
    return dmul_rn(d, d);
}

EDGEQ_HD BnBatchStats bn_batch_stats(double mean, double sq, int64_t count, float eps) {
    double var = ddiv_rn(sq, static_cast<double>(count));
    double unbiased = count > 1 ? ddiv_rn(sq, static_cast<double>(count - 1)) : var;
    return BnBatchStats{mean, static_cast<float>(mean), bn_inv_std(var, eps), unbiased};
}

/** (x - mean) * dy in double, one element of the backward pass's second sum. */
EDGEQ_HD double bn_centered_product(float x, float mean, float dy) {
    return dmul_rn(dsub_rn(static_cast<double>(x), static_cast<double>(mean)), static_cast<double>(dy));
}

/** The backward pass of one channel: dx = fma(dy, a, fma(x, b, c)), dgamma and dbeta. */
struct BnBackward {
    float a, b, c;
    float dgamma, dbeta;
};

/** CpuBatchNorm.backward's coefficients from sum(dy) and sum((x - mean) * dy) over `count` elements. */
EDGEQ_HD BnBackward bn_backward_coefficients(double sum_dy, double sum_dy_centered, float gamma, float mean,
                                             float inv_std, int64_t count) {
    double sum_dy_xhat = dmul_rn(sum_dy_centered, static_cast<double>(inv_std));
    double k = dmul_rn(static_cast<double>(gamma), static_cast<double>(inv_std));
    double mean_dy = ddiv_rn(sum_dy, static_cast<double>(count));
    double mean_dy_xhat = ddiv_rn(sum_dy_xhat, static_cast<double>(count));
    double b = dmul_rn(dmul_rn(-k, static_cast<double>(inv_std)), mean_dy_xhat);
    double shift = dsub_rn(dmul_rn(-k, mean_dy), dmul_rn(b, static_cast<double>(mean)));
    return BnBackward{static_cast<float>(k), static_cast<float>(b), static_cast<float>(shift),
                      static_cast<float>(sum_dy_xhat), static_cast<float>(sum_dy)};
}

EDGEQ_HD float bn_backward_dx(float dy, float x, BnBackward g) {
    return ffma_rn(dy, g.a, ffma_rn(x, g.b, g.c));
}

}  // namespace edgeq
