/*
 * EdgeQ CUDA kernels: the plain C ABI of libedgeq_cuda.so (read by jextract for the Java bindings).
 *
 * Conventions:
 *  - Every function returns an edgeq_status; on failure edgeq_last_error() holds a message for the calling thread
 *    naming the function and the argument or CUDA error. No function aborts the process.
 *  - Data pointers are device pointers (cudaMalloc'ed or views into them). Element counts are int64_t.
 *  - `stream` is a cudaStream_t passed as void* (NULL = the legacy default stream). Launches are asynchronous:
 *    a kernel fault is reported by a later call on the stream (e.g. edgeq_stream_synchronize).
 *  - Outputs may alias inputs where the comment says so (element-wise in place).
 *  - Every entry point checks its arguments in one order (sizes, scalar parameters, pointers, aliasing, then the
 *    context and what its device supports; src/api.cu), so a bad argument is reported (EDGEQ_ERROR_INVALID_ARGUMENT
 *    naming it) even with a NULL context.
 *  - Reductions that return one value write it to device memory given by the caller (the Java side copies it back
 *    with the stream's other results). They reduce in a fixed order that depends only on n (a fixed grid of
 *    1024 x 256 threads whatever the device, block partials in the context's scratch, then one block combining the
 *    partials in a fixed order), so a result is the same on every run and every device; it may differ from the CPU
 *    backend's in the last bits of a double. The scratch is the context's: reductions of one context must not run
 *    concurrently on two streams.
 *
 * The operations come in the families of the Java SPI (org.edgeq.backend.Backend: memory, linear algebra, nn,
 * optimisers, quantization, pruning), after the library and context functions; see the Backend methods for each
 * operation's exact contract, and docs/cuda-ops.md for which Java op calls which entry point and kernel.
 */
#ifndef EDGEQ_H
#define EDGEQ_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 3: entry points ordered by family with one argument-check order; edgeq_mask_apply_f32 multiplies by the mask
 * (Backend.applyMask); the int8 quantize/dequantize and landmark entry points, which no Java op called, are gone. */
#define EDGEQ_ABI_VERSION 4

typedef enum edgeq_status {
    EDGEQ_OK = 0,
    EDGEQ_ERROR_INVALID_ARGUMENT = 1, /* a null pointer, negative size or out-of-range parameter */
    EDGEQ_ERROR_CUDA = 2,             /* a CUDA runtime error; the message carries cudaGetErrorString */
    EDGEQ_ERROR_OUT_OF_MEMORY = 3,    /* cudaErrorMemoryAllocation */
    EDGEQ_ERROR_NO_DEVICE = 4,        /* no CUDA device, or no driver */
    EDGEQ_ERROR_UNSUPPORTED = 5,      /* the device's compute capability lacks what the call needs */
    EDGEQ_ERROR_INTERNAL = 6          /* a bug in this library */
} edgeq_status;

/* Opaque: a device chosen at creation and what the library learned about it. */
typedef struct edgeq_context edgeq_context;

/* ---- library, devices and contexts ---- */

/* EDGEQ_ABI_VERSION of the loaded library, to check against the bindings. */
int32_t edgeq_abi_version(void);

/* The last error message of the calling thread ("" if none); valid until the thread's next failing call. */
const char* edgeq_last_error(void);

/* A constant name for a status ("EDGEQ_OK", ...). */
const char* edgeq_status_name(edgeq_status status);

/* Number of visible CUDA devices into *count (0 and EDGEQ_ERROR_NO_DEVICE when there is no driver or device). */
edgeq_status edgeq_device_count(int32_t* count);

/* Creates a context for device `device` (makes it current on the calling thread). */
edgeq_status edgeq_context_create(int32_t device, edgeq_context** out);

/* Destroys a context (NULL is allowed). Does not reset the device. */
edgeq_status edgeq_context_destroy(edgeq_context* context);

/* Compute capability of the context's device as major * 10 + minor (e.g. 90). */
edgeq_status edgeq_context_compute_capability(const edgeq_context* context, int32_t* out);

/* Waits for `stream` and reports any asynchronous kernel fault. */
edgeq_status edgeq_stream_synchronize(edgeq_context* context, void* stream);

/* ---- memory (Backend.fill; copies go through the CUDA runtime) ---- */

/* x[i] = value. */
edgeq_status edgeq_fill_f32(edgeq_context* context, void* stream, float* x, int64_t n, float value);

/* ---- linear algebra ---- */

/* C[m, n] = alpha * op(A) op(B) + beta * C, dense row-major f32 as Backend.gemm: op(A) is [m, k] (A is [k, m]
 * when trans_a != 0), op(B) is [k, n] (B is [n, k] when trans_b != 0); beta == 0 ignores C's contents. As CpuGemm,
 * alpha == 0 or k == 0 gives C = beta * C (zeros when beta == 0) without reading A and B. C may not alias A or B.
 * Our SIMT kernel; cuBLASLt is the other engine. */
edgeq_status edgeq_gemm_f32(edgeq_context* context, void* stream, int32_t trans_a, int32_t trans_b, int32_t m,
                            int32_t n, int32_t k, float alpha, const float* a, const float* b, float beta, float* c);

/* y += alpha * x. */
edgeq_status edgeq_axpy_f32(edgeq_context* context, void* stream, float alpha, const float* x, float* y, int64_t n);

/* x *= alpha, in place. */
edgeq_status edgeq_scale_f32(edgeq_context* context, void* stream, float* x, int64_t n, float alpha);

/* x [rows, cols] += bias[cols] row by row, in place. */
edgeq_status edgeq_add_row_vector_f32(edgeq_context* context, void* stream, float* x, const float* bias, int64_t rows,
                                      int64_t cols);

/* out[j] = (float) ((beta == 0 ? 0 : beta * out[j]) + sum over rows i of x[i, j]), the sum taken in double in a
 * fixed order that depends on rows only (so it can differ from the CPU's ascending order by double rounding);
 * beta == 0 ignores out's contents; x is [rows, cols]. */
edgeq_status edgeq_sum_rows_f32(edgeq_context* context, void* stream, const float* x, float* out, int64_t rows,
                                int64_t cols, float beta);

/* *out (one device double) = sum of x[i] (squares == 0) or of x[i] * x[i] (squares != 0), in double. */
edgeq_status edgeq_sum_f64(edgeq_context* context, void* stream, const float* x, int64_t n, int32_t squares,
                           double* out);

/* *out (one device int32) = 1 when every element is finite, else 0. */
edgeq_status edgeq_all_finite_f32(edgeq_context* context, void* stream, const float* x, int64_t n, int32_t* out);

/* Beyond the SPI: the int8 and fp16 GEMMs and half conversions of CudaBackend's benchmark paths. */

/* C[m, n] = sum_k A[m, k] * B[n, k] with A [m, k] and B [n, k] row-major int8 (dp4a, sm >= 61). c32 (may be NULL)
 * gets the int32 sums; c8 (may be NULL) gets saturate(round_half_away((acc + bias[n]) * multipliers[n] / 2^shifts[n])
 * + out_zero_point), which needs multipliers (> 0) and shifts (1..62); bias may be NULL. */
edgeq_status edgeq_gemm_i8_i32(edgeq_context* context, void* stream, const int8_t* a, const int8_t* b, int32_t* c32,
                                   int8_t* c8, int32_t m, int32_t n, int32_t k, const int32_t* bias,
                                   const int32_t* multipliers, const int32_t* shifts, int32_t out_zero_point);

/* The same contract as edgeq_gemm_i8_i32 on tensor cores (WMMA m16n16k16; compute capability >= 7.2).
 * Not yet run on hardware: edgeq_gemm_i8_i32 (dp4a) stays the reference path. */
edgeq_status edgeq_gemm_i8_i32_tensor_core(edgeq_context* context, void* stream, const int8_t* a, const int8_t* b,
                                           int32_t* c32, int8_t* c8, int32_t m, int32_t n, int32_t k,
                                           const int32_t* bias, const int32_t* multipliers, const int32_t* shifts,
                                           int32_t out_zero_point);

/* C[m, n] = alpha * sum_k A[m, k] * B[n, k] + beta * C[m, n]: A [m, k] and B [n, k] row-major IEEE half (raw bits),
 * C row-major f32, on tensor cores with f32 accumulate (compute capability >= 7.0); with beta == 0 C's previous
 * contents are ignored. Not yet run on hardware. */
edgeq_status edgeq_gemm_f16_f32(edgeq_context* context, void* stream, const uint16_t* a, const uint16_t* b, float* c,
                                int32_t m, int32_t n, int32_t k, float alpha, float beta);

/* y = x rounded to IEEE half (nearest even; overflow to infinity), raw bits. */
edgeq_status edgeq_convert_f32_f16(edgeq_context* context, void* stream, const float* x, uint16_t* y, int64_t n);

/* y = x widened from IEEE half (raw bits). */
edgeq_status edgeq_convert_f16_f32(edgeq_context* context, void* stream, const uint16_t* x, float* y, int64_t n);

/* ---- nn: activations ---- */

/* y = max(x, 0) with NaN kept and -0 -> +0; y may be x. */
edgeq_status edgeq_relu_f32(edgeq_context* context, void* stream, const float* x, float* y, int64_t n);

/* dx = dy where y > 0 else 0 (y the ReLU output); dx may be dy. */
edgeq_status edgeq_relu_backward_f32(edgeq_context* context, void* stream, const float* y, const float* dy, float* dx,
                                     int64_t n);

/* ---- nn: convolution building blocks (NCHW input, square kernel, one stride and zero padding for both axes) ----
 * With P = out_h * out_w pixels per image and R = channels * kernel * kernel, a convolution is
 * im2col -> GEMM cols [batch * P, R] x weight^T [R, O] -> pixels_to_nchw (+ bias). */

/* cols[(n * P + oy * out_w + ox), (c * kernel + ky) * kernel + kx] = x[n, c, oy * stride - padding + ky,
 * ox * stride - padding + kx], 0 outside the image. */
edgeq_status edgeq_im2col_f32(edgeq_context* context, void* stream, const float* x, float* cols, int32_t batch,
                              int32_t channels, int32_t height, int32_t width, int32_t kernel, int32_t stride,
                              int32_t padding);

/* The adjoint of im2col: dx (overwritten) = for each input element, the sum of the cols entries im2col copied it
 * to, gathered in ascending (ky, kx) order without atomics (deterministic). */
edgeq_status edgeq_col2im_f32(edgeq_context* context, void* stream, const float* cols, float* dx, int32_t batch,
                              int32_t channels, int32_t height, int32_t width, int32_t kernel, int32_t stride,
                              int32_t padding);

/* dst[n, c, p] = src[n * pixels + p, c] + (bias ? bias[c] : 0). */
edgeq_status edgeq_pixels_to_nchw_f32(edgeq_context* context, void* stream, const float* src, const float* bias,
                                      float* dst, int32_t batch, int32_t channels, int32_t pixels);

/* dst[n * pixels + p, c] = src[n, c, p]. */
edgeq_status edgeq_nchw_to_pixels_f32(edgeq_context* context, void* stream, const float* src, float* dst,
                                      int32_t batch, int32_t channels, int32_t pixels);

/* ---- nn: pooling (NCHW, square window, no padding; Backend.maxPool2d) ---- */

/* y = max over each window (first maximum wins, NaN wins); argmax = flat input index of the chosen element. */
edgeq_status edgeq_max_pool2d_f32(edgeq_context* context, void* stream, const float* x, float* y, int32_t* argmax,
                                  int32_t batch, int32_t channels, int32_t height, int32_t width, int32_t window,
                                  int32_t stride);

/* dx = 0, then dx[argmax[i]] += dy[i] (atomically: bit-exact when windows do not overlap). */
edgeq_status edgeq_max_pool2d_backward_f32(edgeq_context* context, void* stream, const float* dy,
                                           const int32_t* argmax, float* dx, int32_t batch, int32_t channels,
                                           int32_t height, int32_t width, int32_t window, int32_t stride);

/* ---- nn: batch normalisation: x and y viewed as [batch, channels, spatial] (spatial = H * W, 1 for BatchNorm1d) ---- */

/* eps > 0. training != 0 (batch >= 1): batch mean and biased variance normalise; running stats updated with
 * momentum and the unbiased variance; save_mean and save_inv_std = 1 / sqrt(var + eps) written. training == 0:
 * running stats normalise and save_* are untouched (may be NULL). One block per channel, summed in double in a
 * fixed order. batch * spatial <= 2^31 - 1. */
edgeq_status edgeq_batch_norm_f32(edgeq_context* context, void* stream, const float* x, float* y, const float* gamma,
                                  const float* beta, float* running_mean, float* running_var, float* save_mean,
                                  float* save_inv_std, int32_t batch, int32_t channels, int32_t spatial,
                                  int32_t training, float momentum, float eps);

/* Gradients of training-mode batch norm; dgamma and dbeta overwritten; dx may be NULL (only dgamma and dbeta are
 * wanted) and may not alias x or dy. */
edgeq_status edgeq_batch_norm_backward_f32(edgeq_context* context, void* stream, const float* x, const float* dy,
                                           const float* gamma, const float* save_mean, const float* save_inv_std,
                                           float* dx, float* dgamma, float* dbeta, int32_t batch, int32_t channels,
                                           int32_t spatial);

/* ---- nn: dropout ---- */

/* Inverted dropout with Philox4x32-10 on (seed, offset + i): mask = 0 with probability p else 1 / (1 - p),
 * y = x * mask; y may be x. */
edgeq_status edgeq_dropout_f32(edgeq_context* context, void* stream, const float* x, float* y, float* mask, int64_t n,
                               float p, uint64_t seed, uint64_t offset);

/* y = a * b element-wise (Backend.dropoutBackward); y may be a or b. */
edgeq_status edgeq_mul_f32(edgeq_context* context, void* stream, const float* a, const float* b, float* y, int64_t n);

/* ---- nn: losses (rows x classes logits; the caller divides the returned sums by what the Backend contract says) ---- */

/* *loss_sum (device double) = sum over rows of -log softmax(logits[r])[labels[r]], max subtracted; dlogits (may be
 * NULL, may not alias logits) = (softmax - onehot) / rows; *bad_label (device int32) = 0 when every label is in
 * 0..classes-1, else 1 + the first offending row (dlogits and the loss are then unspecified). */
edgeq_status edgeq_softmax_cross_entropy_f32(edgeq_context* context, void* stream, const float* logits,
                                             const int32_t* labels, float* dlogits, int32_t rows, int32_t classes,
                                             double* loss_sum, int32_t* bad_label);

/* out[r] = the first index of the largest element of row r, as CpuBackend's scan `if (x[j] > x[best]) best = j`
 * from best = 0: NaN elements are passed over, except that a NaN at index 0 is kept (answer 0). cols >= 1. */
edgeq_status edgeq_argmax_rows_f32(edgeq_context* context, void* stream, const float* x, int32_t* out, int32_t rows,
                                   int32_t cols);

/* *sum (device double) = sum of (pred - target)^2; dpred (may be NULL) = 2 (pred - target) / n. */
edgeq_status edgeq_mse_f32(edgeq_context* context, void* stream, const float* pred, const float* target, float* dpred,
                           int64_t n, double* sum);

/* *kl_sum (device double) = sum over rows of KL(softmax(teacher / T) || softmax(logits / T)), 0 log 0 = 0;
 * dlogits (may be NULL) = (softmax(logits / T) - softmax(teacher / T)) / (T * rows). */
edgeq_status edgeq_soft_target_kl_f32(edgeq_context* context, void* stream, const float* logits, const float* teacher,
                                      float* dlogits, int32_t rows, int32_t classes, float temperature,
                                      double* kl_sum);

/* ---- optimisers ---- */

/* One Adam (decoupled = 0) or AdamW (decoupled = 1) step, step >= 1. mask may be NULL; where mask is 0 the weight
 * and its moments are set to 0. */
edgeq_status edgeq_adam_f32(edgeq_context* context, void* stream, float* param, const float* grad, float* m, float* v,
                            const float* mask, int64_t n, float learning_rate, float beta1, float beta2, float epsilon,
                            float weight_decay, int32_t decoupled, int32_t step);

/* PyTorch's SGD with momentum: g = grad + weight_decay * param; velocity = momentum * velocity + g;
 * param -= lr * (nesterov ? g + momentum * velocity : velocity). */
edgeq_status edgeq_sgd_f32(edgeq_context* context, void* stream, float* param, const float* grad, float* velocity,
                           int64_t n, float learning_rate, float momentum, float weight_decay, int32_t nesterov);

/* ---- quantization: fake quantization (codes relative to the zero point; see Backend.fakeQuantize) and min/max ---- */

/* y = (clamp(rint(x * (1 / s)) + z, qmin, qmax) - z) * s with s = *scale and z = *zero_point (device memory, one
 * element each, so that observers on the device can set them); y may be x. */
edgeq_status edgeq_fake_quant_f32(edgeq_context* context, void* stream, const float* x, float* y, int64_t n,
                                  const float* scale, const int32_t* zero_point, int32_t qmin, int32_t qmax);

/* Straight-through estimator: dx = dy where x is in range, else 0; dx may be dy. */
edgeq_status edgeq_fake_quant_backward_f32(edgeq_context* context, void* stream, const float* x, const float* dy,
                                           float* dx, int64_t n, const float* scale, const int32_t* zero_point,
                                           int32_t qmin, int32_t qmax);

/* LSQ backward: dx as above (may be NULL) and *dscale (device float, overwritten) = (float) (grad_scale * sum dy *
 * d(y)/d(scale)), the sum in double on a fixed grid (deterministic; it uses the context's scratch). */
edgeq_status edgeq_fake_quant_lsq_backward_f32(edgeq_context* context, void* stream, const float* x, const float* dy,
                                               float* dx, int64_t n, const float* scale, const int32_t* zero_point,
                                               int32_t qmin, int32_t qmax, float grad_scale, float* dscale);

/* Per-channel (x viewed as [channels, inner]) forward; scales and zero_points hold `channels` entries. */
edgeq_status edgeq_fake_quant_per_channel_f32(edgeq_context* context, void* stream, const float* x, float* y,
                                              int64_t channels, int64_t inner, const float* scales,
                                              const int32_t* zero_points, int32_t qmin, int32_t qmax);

/* Per-channel straight-through estimator: dx = dy where x is in its channel's range, else 0; dx may be dy. */
edgeq_status edgeq_fake_quant_per_channel_backward_f32(edgeq_context* context, void* stream, const float* x,
                                                       const float* dy, float* dx, int64_t channels, int64_t inner,
                                                       const float* scales, const int32_t* zero_points, int32_t qmin,
                                                       int32_t qmax);

/* Per-channel LSQ backward: dx as above (may be NULL) and dscales[c] (channels floats, overwritten) =
 * grad_scale * sum over channel c of dy * d(y)/d(scale_c), summed in double in a fixed order. */
edgeq_status edgeq_fake_quant_per_channel_lsq_backward_f32(edgeq_context* context, void* stream, const float* x,
                                                           const float* dy, float* dx, int64_t channels, int64_t inner,
                                                           const float* scales, const int32_t* zero_points,
                                                           int32_t qmin, int32_t qmax, float grad_scale,
                                                           float* dscales);

/* out[0] = smallest, out[1] = largest element (two device floats); NaN in both when x holds a NaN; +inf and -inf
 * when n == 0. */
edgeq_status edgeq_min_max_f32(edgeq_context* context, void* stream, const float* x, int64_t n, float* out);

/* mins[c], maxs[c] over channel c of x viewed as [channels, inner] (NaN rules as edgeq_min_max_f32). */
edgeq_status edgeq_min_max_per_channel_f32(edgeq_context* context, void* stream, const float* x, int64_t channels,
                                           int64_t inner, float* mins, float* maxs);

/* One observer step: the extremes of x viewed as [channels, inner] (channels == 1: the whole tensor), folded into
 * running_mins / running_maxs (channels floats each) by RangeFold `fold` (0 current, 1 running min/max, 2 moving
 * average with `momentum`); `first` starts the range. A channel whose extremes are not finite keeps its range. */
edgeq_status edgeq_fold_extremes_f32(edgeq_context* context, void* stream, const float* x, int64_t channels,
                                     int64_t inner, float* running_mins, float* running_maxs, int32_t fold,
                                     float momentum, int32_t first);

/* scales[c], zero_points[c] for the ranges [mins[c], maxs[c]] by AffineParams' rule (torch.ao's _calculate_qparams)
 * on the grid [qmin, qmax], symmetric (zero point 0) or not. */
edgeq_status edgeq_affine_params_f32(edgeq_context* context, void* stream, const float* mins, const float* maxs,
                                     float* scales, int32_t* zero_points, int64_t channels, int32_t qmin, int32_t qmax,
                                     int32_t symmetric);

/* scales[i] = max(scales[i], min_scale), NaN becoming min_scale (learned step sizes stay positive). */
edgeq_status edgeq_clamp_scales_f32(edgeq_context* context, void* stream, float* scales, int64_t n, float min_scale);

/* ---- pruning ---- */

/* x *= mask element-wise, in place (Backend.applyMask: a 0 in the mask gives +0 or -0 for every finite x). */
edgeq_status edgeq_mask_apply_f32(edgeq_context* context, void* stream, float* x, const float* mask, int64_t n);

#ifdef __cplusplus
}
#endif

#endif /* EDGEQ_H */
