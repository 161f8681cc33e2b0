// Host-side launchers of the EdgeQ CUDA kernels (C++; the C ABI in native/include/edgeq.h wraps them).
// Every launcher enqueues on `stream` and returns cudaGetLastError() of the launch; arguments are checked by the caller.
#pragma once

#include <cstdint>
#include <cuda_runtime.h>

#include "edgeq/adam.cuh"

namespace edgeq::kernels {

// fake_quant_f32.cu
cudaError_t fake_quant_per_tensor_f32(const float* x, float* y, int64_t n, float scale, int32_t zero_point,
                                      int32_t qmin, int32_t qmax, cudaStream_t stream);
cudaError_t fake_quant_ste_per_tensor_f32(const float* x, const float* dy, float* dx, int64_t n, float scale,
                                          int32_t zero_point, int32_t qmin, int32_t qmax, cudaStream_t stream);
/** dx may be null; *dscale_sum (device double) receives += sum dy * slope (the caller zeroes it first). */
cudaError_t fake_quant_lsq_per_tensor_f32(const float* x, const float* dy, float* dx, double* dscale_sum, int64_t n,
                                          float scale, int32_t zero_point, int32_t qmin, int32_t qmax,
                                          cudaStream_t stream);
cudaError_t fake_quant_per_channel_f32(const float* x, float* y, int64_t channels, int64_t inner, const float* scales,
                                       const int32_t* zero_points, int32_t qmin, int32_t qmax, cudaStream_t stream);
cudaError_t fake_quant_ste_per_channel_f32(const float* x, const float* dy, float* dx, int64_t channels, int64_t inner,
                                           const float* scales, const int32_t* zero_points, int32_t qmin,
                                           int32_t qmax, cudaStream_t stream);
/** dx may be null; dscales[c] = grad_scale * sum over channel c of dy * slope (overwritten, deterministic). */
cudaError_t fake_quant_lsq_per_channel_f32(const float* x, const float* dy, float* dx, int64_t channels, int64_t inner,
                                           const float* scales, const int32_t* zero_points, int32_t qmin, int32_t qmax,
                                           float grad_scale, float* dscales, cudaStream_t stream);

// quantize_f32_i8.cu
cudaError_t quantize_per_tensor_f32_i8(const float* x, int8_t* q, int64_t n, float scale, int32_t zero_point,
                                       int32_t qmin, int32_t qmax, cudaStream_t stream);
cudaError_t dequantize_per_tensor_i8_f32(const int8_t* q, float* y, int64_t n, float scale, int32_t zero_point,
                                         cudaStream_t stream);

// dropout_philox_f32.cu
cudaError_t dropout_philox_f32(const float* x, float* y, float* mask, int64_t n, float p, uint64_t seed,
                               uint64_t offset, cudaStream_t stream);

// landmark_round_f32.cu (points sorted ascending, count <= 16384, 64 KiB of shared memory)
cudaError_t landmark_nearest_f32(const float* x, float* y, int64_t n, const float* points, int32_t count,
                                 cudaStream_t stream);
cudaError_t landmark_stochastic_f32(const float* x, float* y, int64_t n, const float* points, int32_t count,
                                    uint64_t seed, uint64_t offset, cudaStream_t stream);

// adam_masked_f32.cu (mask may be null)
cudaError_t adam_masked_f32(float* param, const float* grad, float* m, float* v, const float* mask, int64_t n,
                            AdamCoefficients c, cudaStream_t stream);
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

}  // namespace edgeq::kernels
