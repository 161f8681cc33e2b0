// Host-side launchers of the EdgeQ CUDA kernels (C++; the C ABI in native/include/edgeq.h wraps them).
// Every launcher enqueues on `stream` and returns cudaGetLastError() of the launch; arguments are checked by the caller.
#pragma once

#include <cstdint>
#include <cuda_runtime.h>

#include "edgeq/adam.cuh"

namespace edgeq::kernels {

/**
 * Bytes of device scratch the reductions need (the context owns one such buffer): kReduceBlocks (1024) partials of
 * at most 16 bytes. Reductions that share a scratch buffer must run one after the other (one stream).
 */
constexpr size_t kScratchBytes = 64 * 1024;

// fake_quant_f32.cu
cudaError_t fake_quant_per_tensor_f32(const float* x, float* y, int64_t n, const float* scale,
                                      const int32_t* zero_point, int32_t qmin, int32_t qmax, cudaStream_t stream);
cudaError_t fake_quant_ste_per_tensor_f32(const float* x, const float* dy, float* dx, int64_t n, const float* scale,
                                          const int32_t* zero_point, int32_t qmin, int32_t qmax, cudaStream_t stream);
cudaError_t fake_quant_lsq_per_tensor_f32(const float* x, const float* dy, float* dx, int64_t n, const float* scale,
                                          const int32_t* zero_point, int32_t qmin, int32_t qmax, float grad_scale,
                                          float* dscale, void* scratch, cudaStream_t stream);
cudaError_t fake_quant_per_channel_f32(const float* x, float* y, int64_t channels, int64_t inner, const float* scales,
                                       const int32_t* zero_points, int32_t qmin, int32_t qmax, cudaStream_t stream);
cudaError_t fake_quant_ste_per_channel_f32(const float* x, const float* dy, float* dx, int64_t channels, int64_t inner,
                                           const float* scales, const int32_t* zero_points, int32_t qmin,
                                           int32_t qmax, cudaStream_t stream);
/** dx may be null; dscales[c] = grad_scale * sum over channel c of dy * slope (overwritten, deterministic). */
cudaError_t fake_quant_lsq_per_channel_f32(const float* x, const float* dy, float* dx, int64_t channels, int64_t inner,
                                           const float* scales, const int32_t* zero_points, int32_t qmin, int32_t qmax,
                                           float grad_scale, float* dscales, cudaStream_t stream);

// reductions_f32.cu (the observer step) and observer_f32.cu
/**
 * Folds x's extremes (x viewed as [channels, inner]; channels == 1 for the whole tensor) into running_mins and
 * running_maxs by RangeFold `fold` (its ordinal), as edgeq/observer.cuh's fold_range; uses scratch when channels == 1.
 */
cudaError_t fold_extremes_f32(const float* x, int64_t channels, int64_t inner, float* running_mins,
                              float* running_maxs, int32_t fold, float momentum, bool first, void* scratch,
                              cudaStream_t stream);
/** scales[c] and zero_points[c] from [mins[c], maxs[c]] by AffineParams' rule (edgeq/observer.cuh). */
cudaError_t affine_params_f32(const float* mins, const float* maxs, float* scales, int32_t* zero_points,
                              int64_t channels, int32_t qmin, int32_t qmax, bool symmetric, cudaStream_t stream);
/** scales[i] = max(scales[i], min_scale), NaN becoming min_scale. */
cudaError_t clamp_scales_f32(float* scales, int64_t n, float min_scale, cudaStream_t stream);

// dropout_philox_f32.cu
cudaError_t dropout_philox_f32(const float* x, float* y, float* mask, int64_t n, float p, uint64_t seed,
                               uint64_t offset, cudaStream_t stream);

// adam_masked_f32.cu (mask may be null)
cudaError_t adam_masked_f32(float* param, const float* grad, float* m, float* v, const float* mask, int64_t n,
                            AdamCoefficients c, cudaStream_t stream);
/** x *= mask in place (Backend.applyMask). */
cudaError_t mask_apply_f32(float* x, const float* mask, int64_t n, cudaStream_t stream);

// elementwise_f32.cu (y may be x, dx may be dy)
cudaError_t relu_f32(const float* x, float* y, int64_t n, cudaStream_t stream);
cudaError_t relu_backward_f32(const float* y, const float* dy, float* dx, int64_t n, cudaStream_t stream);
cudaError_t add_row_vector_f32(float* x, const float* bias, int64_t rows, int64_t cols, cudaStream_t stream);

// max_pool2d_f32.cu: NCHW, square window, no padding (Backend.maxPool2d / maxPool2dBackward).
cudaError_t max_pool2d_f32(const float* x, float* y, int32_t* argmax, int batch, int channels, int height, int width,
                           int window, int stride, cudaStream_t stream);
cudaError_t max_pool2d_backward_f32(const float* dy, const int32_t* argmax, float* dx, int batch, int channels,
                                    int height, int width, int window, int stride, cudaStream_t stream);

// gemm_64x64x32_i8_i32_dp4a.cu: C[m, n] = sum_k A[m, k] * B[n, k] (both K-contiguous, "TN");
// c32 (may be null) receives the int32 accumulators, c8 (may be null) the requantized int8 with per-column
// (output channel) bias (may be null), multiplier and shift and one output zero point.
cudaError_t gemm_i8_i32_dp4a(const int8_t* a, const int8_t* b, int32_t* c32, int8_t* c8, int32_t m, int32_t n,
                             int32_t k, const int32_t* bias, const int32_t* multipliers, const int32_t* shifts,
                             int32_t out_zero_point, cudaStream_t stream);

// gemm_64x64x32_i8_i32_wmma.cu: the same contract as gemm_i8_i32_dp4a on tensor cores (sm >= 72).
cudaError_t gemm_i8_i32_wmma(const int8_t* a, const int8_t* b, int32_t* c32, int8_t* c8, int32_t m, int32_t n,
                             int32_t k, const int32_t* bias, const int32_t* multipliers, const int32_t* shifts,
                             int32_t out_zero_point, cudaStream_t stream);

// gemm_64x64x32_f16_f32_wmma.cu: C[m, n] = alpha * sum_k A[m, k] * B[n, k] + beta * C[m, n], A and B fp16 (raw
// bits) K-contiguous, f32 accumulate and output (sm >= 70).
cudaError_t gemm_f16_f32_wmma(const uint16_t* a, const uint16_t* b, float* c, int32_t m, int32_t n, int32_t k,
                              float alpha, float beta, cudaStream_t stream);

// elementwise_f32.cu (float4 when aligned; y may be a or b)
cudaError_t fill_f32(float* x, int64_t n, float value, cudaStream_t stream);
cudaError_t axpy_f32(float alpha, const float* x, float* y, int64_t n, cudaStream_t stream);
cudaError_t scale_f32(float* x, int64_t n, float alpha, cudaStream_t stream);
cudaError_t mul_f32(const float* a, const float* b, float* y, int64_t n, cudaStream_t stream);

// reductions_f32.cu: one-value results go to device memory; scratch is kScratchBytes of device memory.
cudaError_t sum_f64(const float* x, int64_t n, bool squares, double* out, void* scratch, cudaStream_t stream);
cudaError_t all_finite_f32(const float* x, int64_t n, int32_t* out, void* scratch, cudaStream_t stream);
cudaError_t min_max_f32(const float* x, int64_t n, float* out, void* scratch, cudaStream_t stream);
cudaError_t min_max_per_channel_f32(const float* x, int64_t channels, int64_t inner, float* mins, float* maxs,
                                    cudaStream_t stream);
cudaError_t sum_rows_f32(const float* x, float* out, int64_t rows, int64_t cols, float beta, cudaStream_t stream);

// losses_f32.cu
cudaError_t softmax_cross_entropy_f32(const float* logits, const int32_t* labels, float* dlogits, int32_t rows,
                                      int32_t classes, double* loss_sum, int32_t* bad_label, void* scratch,
                                      cudaStream_t stream);
cudaError_t soft_target_kl_f32(const float* logits, const float* teacher, float* dlogits, int32_t rows,
                               int32_t classes, float temperature, double* kl_sum, void* scratch, cudaStream_t stream);
/** rows >= 1, cols >= 1. */
cudaError_t argmax_rows_f32(const float* x, int32_t* out, int32_t rows, int32_t cols, cudaStream_t stream);
cudaError_t mse_f32(const float* pred, const float* target, float* dpred, int64_t n, double* sum, void* scratch,
                    cudaStream_t stream);

// sgd_f32.cu
cudaError_t sgd_f32(float* param, const float* grad, float* velocity, int64_t n, float learning_rate, float momentum,
                    float weight_decay, bool nesterov, cudaStream_t stream);

// batch_norm_f32.cu: one block per channel; batch * spatial < 2^32.
cudaError_t batch_norm_f32(const float* x, float* y, const float* gamma, const float* beta, float* running_mean,
                           float* running_var, float* save_mean, float* save_inv_std, int32_t batch, int32_t channels,
                           int32_t spatial, bool training, float momentum, float eps, cudaStream_t stream);
cudaError_t batch_norm_backward_f32(const float* x, const float* dy, const float* gamma, const float* save_mean,
                                    const float* save_inv_std, float* dx, float* dgamma, float* dbeta, int32_t batch,
                                    int32_t channels, int32_t spatial, cudaStream_t stream);

// im2col_f32.cu (geometry validated by the caller: the padded input holds the kernel)
cudaError_t im2col_f32(const float* x, float* cols, int32_t batch, int32_t channels, int32_t height, int32_t width,
                       int32_t kernel, int32_t stride, int32_t padding, cudaStream_t stream);
cudaError_t col2im_f32(const float* cols, float* dx, int32_t batch, int32_t channels, int32_t height, int32_t width,
                       int32_t kernel, int32_t stride, int32_t padding, cudaStream_t stream);
cudaError_t pixels_to_nchw_f32(const float* src, const float* bias, float* dst, int32_t batch, int32_t channels,
                               int32_t pixels, cudaStream_t stream);
cudaError_t nchw_to_pixels_f32(const float* src, float* dst, int32_t batch, int32_t channels, int32_t pixels,
                               cudaStream_t stream);

// gemm_f32_simt.cu: Backend.gemm's contract; m <= gemm_f32_max_rows().
int64_t gemm_f32_max_rows();
cudaError_t gemm_f32_simt(bool trans_a, bool trans_b, int32_t m, int32_t n, int32_t k, float alpha, const float* a,
                          const float* b, float beta, float* c, cudaStream_t stream);

// convert_f16.cu
cudaError_t convert_f32_f16(const float* x, uint16_t* y, int64_t n, cudaStream_t stream);
cudaError_t convert_f16_f32(const uint16_t* x, float* y, int64_t n, cudaStream_t stream);

}  // namespace edgeq::kernels
