// Convolution building blocks over f32 (NCHW input, pixel-major [batch * P, R] columns; index maps in
// include/edgeq/im2col.cuh): im2col (one thread per column entry, consecutive threads write consecutive entries),
// col2im as a gather (one thread per input element, no atomics: deterministic and bit-exact with the CPU), and the
// two layout changes between [batch * P, C] GEMM output and NCHW (a tiled transpose per image, transpose_f32.cuh).
#include "edgeq/im2col.cuh"
#include "edgeq/kernels.h"
#include "launch.cuh"
#include "transpose_f32.cuh"

namespace edgeq::kernels {
namespace {

__global__ void im2col_kernel(const float* x, float* cols, ConvShape s, int64_t total) {
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < total;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        int64_t from = im2col_source(s, i);
        cols[i] = from < 0 ? 0.0f : x[from];
    }
}

__global__ void col2im_kernel(const float* cols, float* dx, ConvShape s, int64_t total) {
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < total;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        dx[i] = col2im_gather(s, cols, i);
    }
}

dim3 transpose_grid(int32_t rows, int32_t cols, int32_t batch) {
    auto tiles = [](int32_t extent) {
        int64_t t = (static_cast<int64_t>(extent) + layout::kTile - 1) / layout::kTile;
        return static_cast<unsigned>(t < 65535 ? t : 65535);
    };
    return dim3(tiles(cols), tiles(rows), static_cast<unsigned>(batch < 65535 ? batch : 65535));
}

}  // namespace

cudaError_t im2col_f32(const float* x, float* cols, int32_t batch, int32_t channels, int32_t height, int32_t width,
                       int32_t kernel, int32_t stride, int32_t padding, cudaStream_t stream) {
    ConvShape s = conv_shape(batch, channels, height, width, kernel, stride, padding);
    int64_t total = static_cast<int64_t>(batch) * conv_pixels(s) * conv_patch(s);
    im2col_kernel<<<grid_for(total), kThreads, 0, stream>>>(x, cols, s, total);
    return cudaGetLastError();
}

cudaError_t col2im_f32(const float* cols, float* dx, int32_t batch, int32_t channels, int32_t height, int32_t width,
                       int32_t kernel, int32_t stride, int32_t padding, cudaStream_t stream) {
    ConvShape s = conv_shape(batch, channels, height, width, kernel, stride, padding);
    int64_t total = static_cast<int64_t>(batch) * channels * height * width;
    col2im_kernel<<<grid_for(total), kThreads, 0, stream>>>(cols, dx, s, total);
    return cudaGetLastError();
}

cudaError_t pixels_to_nchw_f32(const float* src, const float* bias, float* dst, int32_t batch, int32_t channels,
                               int32_t pixels, cudaStream_t stream) {
    // Each image's [pixels, channels] block becomes [channels, pixels], plus the channel's bias.
    layout::transpose_batched<<<transpose_grid(pixels, channels, batch), dim3(layout::kTile, layout::kTileRows), 0,
                                stream>>>(src, bias, dst, pixels, channels, batch);
    return cudaGetLastError();
}

cudaError_t nchw_to_pixels_f32(const float* src, float* dst, int32_t batch, int32_t channels, int32_t pixels,
                               cudaStream_t stream) {
    layout::transpose_batched<<<transpose_grid(channels, pixels, batch), dim3(layout::kTile, layout::kTileRows), 0,
                                stream>>>(src, nullptr, dst, channels, pixels, batch);
    return cudaGetLastError();
}

}  // namespace edgeq::kernels
