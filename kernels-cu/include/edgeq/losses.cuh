// Per-element and per-row formulas of CpuLosses: softmax cross-entropy, row argmax, mean squared error and the
// soft-target KL divergence of distillation. Device kernels reduce a row across a warp (max, then sums in double)
// and call the same element functions; the *_row functions below are the sequential host references that the host
// test compares with the CPU backend. Float subtractions happen in float and everything after in double, exactly
// where the Java code converts.
#pragma once

#include "edgeq/host_device.h"

namespace edgeq {

// ---- softmax cross-entropy (CpuLosses.softmaxCrossEntropy) ----

/** x - max in float (Java subtracts two floats, then widens for StrictMath.exp). */
EDGEQ_HD double ce_shifted(float x, float max) {
    return static_cast<double>(fsub_rn(x, max));
}

/** One term of the row's sum of exponentials. */
EDGEQ_HD double ce_exp_term(float x, float max) {
    return dexp(ce_shifted(x, max));
}

/** The row's loss: log(sum exp) - (x[label] - max). */
EDGEQ_HD double ce_row_loss(double log_sum, float x_label, float max) {
    return dsub_rn(log_sum, ce_shifted(x_label, max));
}

/** 1f / max(1, rows): the float the gradient is scaled by. */
EDGEQ_HD float ce_inv_rows(int64_t rows) {
    return fdiv_rn(1.0f, static_cast<float>(rows > 1 ? rows : 1));
}

/** d(mean loss)/d(x_j) = (exp(x_j - max - log_sum) - [j == label]) * inv_rows, rounded to float. */
EDGEQ_HD float ce_gradient(float x, float max, double log_sum, bool is_label, float inv_rows) {
    double prob = dexp(dsub_rn(ce_shifted(x, max), log_sum));
    return static_cast<float>(dmul_rn(dsub_rn(prob, is_label ? 1.0 : 0.0), static_cast<double>(inv_rows)));
}

/** Host reference of one row in CpuLosses' order: returns the row loss and writes the gradient (may be null). */
inline double ce_row(const float* x, int classes, int label, float inv_rows, float* grad) {
    float max = -INFINITY;
    for (int j = 0; j < classes; ++j) max = java_maxf(max, x[j]);
    double sum = 0.0;
    for (int j = 0; j < classes; ++j) sum = dadd_rn(sum, ce_exp_term(x[j], max));
    double log_sum = dlog(sum);
    if (grad != nullptr) {
        for (int j = 0; j < classes; ++j) grad[j] = ce_gradient(x[j], max, log_sum, j == label, inv_rows);
    }
    return ce_row_loss(log_sum, x[label], max);
}

// ---- row argmax (CpuLosses.argmaxRows: best = 0, then `if (x[j] > x[best]) best = j`) ----
//
// That loop keeps index 0 when x[0] is NaN and otherwise never picks a NaN, so its answer is the first index of the
// largest non-NaN element (x[0] NaN: 0). Kernels split a row across lanes and combine (value, index) candidates
// with argmax_prefers, which reproduces the loop whatever the split: larger value first, then the lower index.

/** Whether candidate (v, j) beats the current best (best, best_j); NaN candidates never do. */
EDGEQ_HD bool argmax_prefers(float v, int j, float best, int best_j) {
    return v == v && (v > best || (v == best && j < best_j));
}

// ---- mean squared error (CpuLosses.meanSquaredError) ----

/** pred - target in float. */
EDGEQ_HD float mse_diff(float pred, float target) {
    return fsub_rn(pred, target);
}

/** d * d in double (accumulated in double). */
EDGEQ_HD double mse_square(float d) {
    return dmul_rn(static_cast<double>(d), static_cast<double>(d));
}

/** 2f / n, the float the gradient is scaled by. */
EDGEQ_HD float mse_grad_scale(int64_t n) {
    return fdiv_rn(2.0f, static_cast<float>(n));
}

/** d(mean)/d(pred) = scale * d in float. */
EDGEQ_HD float mse_gradient(float d, float scale) {
    return fmul_rn(scale, d);
}

// ---- soft-target KL divergence (CpuLosses.softTargetKlDivergence), all in double after widening ----

/** x / T as Java computes it: x * (1.0 / T) in double. */
EDGEQ_HD double kl_scaled(float x, double inv_t) {
    return dmul_rn(static_cast<double>(x), inv_t);
}

/** 1 / (T * rows) in double. */
EDGEQ_HD double kl_grad_scale(float temperature, int64_t rows) {
    return ddiv_rn(1.0, dmul_rn(static_cast<double>(temperature), static_cast<double>(rows)));
}

/** One class's KL term p * (log p - log q) (0 where p == 0) and gradient (q - p) * grad_scale. */
EDGEQ_HD double kl_term(double log_q, double log_p, double grad_scale, float* gradient) {
    double p = dexp(log_p);
    if (gradient != nullptr) *gradient = static_cast<float>(dmul_rn(dsub_rn(dexp(log_q), p), grad_scale));
    return p > 0.0 ? dmul_rn(p, dsub_rn(log_p, log_q)) : 0.0;
}

/** Host reference of one row in CpuLosses' order: returns the row's KL and writes the gradient (may be null). */
inline double kl_row(const float* logits, const float* teacher, int classes, double inv_t, double grad_scale,
                     float* grad) {
    double max_s = -INFINITY, max_t = -INFINITY;
    for (int j = 0; j < classes; ++j) {
        max_s = java_max(max_s, kl_scaled(logits[j], inv_t));
        max_t = java_max(max_t, kl_scaled(teacher[j], inv_t));
    }
    double sum_s = 0.0, sum_t = 0.0;
    for (int j = 0; j < classes; ++j) {
        sum_s = dadd_rn(sum_s, dexp(dsub_rn(kl_scaled(logits[j], inv_t), max_s)));
        sum_t = dadd_rn(sum_t, dexp(dsub_rn(kl_scaled(teacher[j], inv_t), max_t)));
    }
    double log_zs = dadd_rn(max_s, dlog(sum_s)), log_zt = dadd_rn(max_t, dlog(sum_t));
    double kl = 0.0;
    for (int j = 0; j < classes; ++j) {
        double log_q = dsub_rn(kl_scaled(logits[j], inv_t), log_zs);
        double log_p = dsub_rn(kl_scaled(teacher[j], inv_t), log_zt);
        kl = dadd_rn(kl, kl_term(log_q, log_p, grad_scale, grad != nullptr ? grad + j : nullptr));
    }
    return kl;
}

}  // namespace edgeq
