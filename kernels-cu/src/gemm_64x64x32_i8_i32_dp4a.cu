// int8 x int8 -> int32 GEMM on the dp4a instruction (sm >= 61) with a per-output-channel requantize epilogue.
// C[m, n] = sum_k A[m, k] * B[n, k]: A row-major [M, K], B row-major [N, K] (weights as stored, output channel
// major), both K-contiguous. 64x64 output tile per block of 256 threads, each thread a 4x4 micro-tile, K in steps
// of 32 bytes staged in shared memory as packed 4-byte words. Edges are zero-padded byte by byte, so any M, N, K
// and any alignment work; simple and correct rather than fast (no tensor cores, no cp.async, no double buffering).
#include "edgeq/kernels.h"
#include "edgeq/requantize.cuh"

namespace edgeq::kernels {
namespace {

constexpr int kTile = 64;
constexpr int kTileK = 32;             // bytes of K per stage
constexpr int kWordsK = kTileK / 4;    // packed words per row per stage
constexpr int kGemmThreads = 256;

__device__ int32_t load_word(const int8_t* row, int32_t k, int32_t k_at) {
    uint32_t word = 0;
#pragma unroll
    for (int byte = 0; byte < 4; ++byte) {
        int32_t kk = k_at + byte;
        uint32_t v = kk < k ? static_cast<uint8_t>(row[kk]) : 0u;
        word |= v << (8 * byte);
    }
    return static_cast<int32_t>(word);
}

__global__ void __launch_bounds__(kGemmThreads)
gemm_kernel(const int8_t* a, const int8_t* b, int32_t* c32, int8_t* c8, int32_t m, int32_t n, int32_t k,
            const int32_t* bias, const int32_t* multipliers, const int32_t* shifts, int32_t out_zero_point) {
    __shared__ int32_t as[kWordsK][kTile + 1];
    __shared__ int32_t bs[kWordsK][kTile + 1];
    const int tx = threadIdx.x % 16, ty = threadIdx.x / 16;
    const int32_t row0 = blockIdx.y * kTile, col0 = blockIdx.x * kTile;
    int32_t acc[4][4] = {};

    for (int32_t k0 = 0; k0 < k; k0 += kTileK) {
        // 64 rows x 8 words per operand = 512 words: two per thread each.
        for (int w = threadIdx.x; w < kTile * kWordsK; w += kGemmThreads) {
            int r = w / kWordsK, kw = w % kWordsK;
            int32_t ar = row0 + r, br = col0 + r;
            as[kw][r] = ar < m ? load_word(a + static_cast<int64_t>(ar) * k, k, k0 + 4 * kw) : 0;
            bs[kw][r] = br < n ? load_word(b + static_cast<int64_t>(br) * k, k, k0 + 4 * kw) : 0;
        }
        __syncthreads();
#pragma unroll
        for (int kw = 0; kw < kWordsK; ++kw) {
            int32_t av[4], bv[4];
#pragma unroll
            for (int i = 0; i < 4; ++i) {
                av[i] = as[kw][ty + 16 * i];
                bv[i] = bs[kw][tx + 16 * i];
            }
#pragma unroll
            for (int i = 0; i < 4; ++i) {
#pragma unroll
                for (int j = 0; j < 4; ++j) acc[i][j] = dot4_i8(av[i], bv[j], acc[i][j]);
            }
        }
        __syncthreads();
    }

#pragma unroll
    for (int i = 0; i < 4; ++i) {
        int32_t row = row0 + ty + 16 * i;
        if (row >= m) continue;
#pragma unroll
        for (int j = 0; j < 4; ++j) {
            int32_t col = col0 + tx + 16 * j;
            if (col >= n) continue;
            int64_t at = static_cast<int64_t>(row) * n + col;
            if (c32 != nullptr) c32[at] = acc[i][j];
            if (c8 != nullptr) {
                c8[at] = requantize_i32_to_i8(acc[i][j], bias != nullptr ? bias[col] : 0, multipliers[col],
                                              shifts[col], out_zero_point);
            }
        }
    }
}

}  // namespace

cudaError_t gemm_i8_i32_dp4a(const int8_t* a, const int8_t* b, int32_t* c32, int8_t* c8, int32_t m, int32_t n,
                             int32_t k, const int32_t* bias, const int32_t* multipliers, const int32_t* shifts,
                             int32_t out_zero_point, cudaStream_t stream) {
    dim3 grid(static_cast<unsigned>((n + kTile - 1) / kTile), static_cast<unsigned>((m + kTile - 1) / kTile));
    gemm_kernel<<<grid, kGemmThreads, 0, stream>>>(a, b, c32, c8, m, n, k, bias, multipliers, shifts, out_zero_point);
    return cudaGetLastError();
}

}  // namespace edgeq::kernels
