// The tensor-core GEMM shared by the int8 and fp16 paths, through the WMMA API (which owns the fragment layouts):
// C[m, n] = sum_k A[m, k] * B[n, k], A row-major [M, K], B row-major [N, K] (= K x N column-major), both
// K-contiguous. A 64x64 output tile per block of 4 warps, each warp 2x2 fragments of 16x16; K staged 32 at a time
// in shared memory as two 16-wide slabs so every fragment pointer is 256-bit aligned; edges zero-padded element by
// element (any M, N, K, any alignment). Accumulators go through shared memory to the caller's epilogue.
// Simple and unverified on hardware: no cp.async, no double buffering, no swizzle.
#pragma once

#include <mma.h>

namespace edgeq::kernels::wmma_gemm {

constexpr int kTile = 64;
constexpr int kSlab = 16;                  // K per fragment
constexpr int kSlabs = 2;                  // slabs per stage (K = 32 per stage)
constexpr int kThreads = 128;              // 4 warps, 2 x 2 of 32 x 32
constexpr int kLdc = kTile + 4;            // accumulator staging stride (elements)

template <typename In, typename Acc>
struct Shared {
    alignas(32) In a[kSlabs][kTile][kSlab];
    alignas(32) In b[kSlabs][kTile][kSlab];
    alignas(32) Acc c[kTile][kLdc];
};

/**
 * Runs the main loop and leaves the block's 64x64 accumulators in smem.c; In/Acc: (signed char, int) or
 * (__half, float). zero is In's zero.
 */
template <typename In, typename Acc>
__device__ void block_product(const In* a, const In* b, int32_t m, int32_t n, int32_t k, In zero,
                              Shared<In, Acc>& smem) {
    using namespace nvcuda;
    const int warp = threadIdx.x / 32;
    const int wr = (warp / 2) * 32, wc = (warp % 2) * 32;
    const int32_t row0 = blockIdx.y * kTile, col0 = blockIdx.x * kTile;
    wmma::fragment<wmma::accumulator, 16, 16, 16, Acc> acc[2][2];
#pragma unroll
    for (int i = 0; i < 2; ++i) {
#pragma unroll
        for (int j = 0; j < 2; ++j) wmma::fill_fragment(acc[i][j], static_cast<Acc>(0));
    }
    for (int32_t k0 = 0; k0 < k; k0 += kSlab * kSlabs) {
        for (int e = threadIdx.x; e < kSlabs * kTile * kSlab; e += kThreads) {
            int s = e / (kTile * kSlab), r = (e / kSlab) % kTile, kk = e % kSlab;
            int32_t kg = k0 + s * kSlab + kk;
            int32_t ar = row0 + r, br = col0 + r;
            smem.a[s][r][kk] = (ar < m && kg < k) ? a[static_cast<int64_t>(ar) * k + kg] : zero;
            smem.b[s][r][kk] = (br < n && kg < k) ? b[static_cast<int64_t>(br) * k + kg] : zero;
        }
        __syncthreads();
#pragma unroll
        for (int s = 0; s < kSlabs; ++s) {
            wmma::fragment<wmma::matrix_a, 16, 16, 16, In, wmma::row_major> fa[2];
            wmma::fragment<wmma::matrix_b, 16, 16, 16, In, wmma::col_major> fb[2];
#pragma unroll
            for (int i = 0; i < 2; ++i) wmma::load_matrix_sync(fa[i], &smem.a[s][wr + 16 * i][0], kSlab);
#pragma unroll
            for (int j = 0; j < 2; ++j) wmma::load_matrix_sync(fb[j], &smem.b[s][wc + 16 * j][0], kSlab);
#pragma unroll
            for (int i = 0; i < 2; ++i) {
#pragma unroll
                for (int j = 0; j < 2; ++j) wmma::mma_sync(acc[i][j], fa[i], fb[j], acc[i][j]);
            }
        }
        __syncthreads();
    }
#pragma unroll
    for (int i = 0; i < 2; ++i) {
#pragma unroll
        for (int j = 0; j < 2; ++j) {
            wmma::store_matrix_sync(&smem.c[wr + 16 * i][wc + 16 * j], acc[i][j], kLdc, wmma::mem_row_major);
        }
    }
    __syncthreads();
}

}  // namespace edgeq::kernels::wmma_gemm
