// Batched f32 matrix transpose through a shared-memory tile, with an optional bias per output row: the layout change
// between a convolution's GEMM output [batch * P, C] and NCHW (and back). Both the reads and the writes are
// coalesced (32 consecutive floats per warp); the tile has one float of padding per row so the column-wise reads
// from shared memory do not conflict. In a header so that the host test can run it block by block.
#pragma once

#include <cstdint>

#include "edgeq/activations.cuh"

namespace edgeq::kernels::layout {

constexpr int kTile = 32;
constexpr int kTileRows = 8;  // blockDim (kTile, kTileRows); each thread moves kTile / kTileRows elements per tile

/**
 * For each of `batch` row-major [rows, cols] matrices: dst[n][c][r] = src[n][r][c] + (bias ? bias[c] : 0).
 * Grid: x over column tiles, y over row tiles and z over matrices, each a grid-stride loop (any grid size works).
 */
__global__ void __launch_bounds__(kTile * kTileRows) transpose_batched(const float* src, const float* bias, float* dst,
                                                                       int32_t rows, int32_t cols, int32_t batch) {
    __shared__ float tile[kTile][kTile + 1];
    const int64_t plane = static_cast<int64_t>(rows) * cols;
    for (int32_t n = blockIdx.z; n < batch; n += gridDim.z) {
        const float* s = src + n * plane;
        float* d = dst + n * plane;
        for (int64_t r0 = static_cast<int64_t>(blockIdx.y) * kTile; r0 < rows; r0 += static_cast<int64_t>(gridDim.y) * kTile) {
            for (int64_t c0 = static_cast<int64_t>(blockIdx.x) * kTile; c0 < cols; c0 += static_cast<int64_t>(gridDim.x) * kTile) {
                for (int j = threadIdx.y; j < kTile; j += kTileRows) {
                    int64_t r = r0 + j, c = c0 + threadIdx.x;
                    if (r < rows && c < cols) tile[j][threadIdx.x] = s[r * cols + c];
                }
                __syncthreads();
                for (int j = threadIdx.y; j < kTile; j += kTileRows) {
                    int64_t c = c0 + j, r = r0 + threadIdx.x;
                    if (c < cols && r < rows) {
                        float v = tile[threadIdx.x][j];
                        if (bias != nullptr) v = add_bias(v, bias[c]);
                        d[c * rows + r] = v;
                    }
                }
                __syncthreads();
            }
        }
    }
}

}  // namespace edgeq::kernels::layout
