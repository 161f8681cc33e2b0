// fp16 x fp16 -> f32 GEMM on tensor cores (WMMA m16n16k16, f32 accumulate; sm >= 70, built for sm_80+):
// C = alpha * A * B^T + beta * C (beta == 0 ignores C's contents, so NaN there does not leak). Unverified on hardware.
#include <cuda_fp16.h>

#include "edgeq/kernels.h"
#include "gemm_wmma.cuh"

namespace edgeq::kernels {
namespace {

using namespace wmma_gemm;

__global__ void __launch_bounds__(wmma_gemm::kThreads)
gemm_f16_wmma_kernel(const __half* a, const __half* b, float* c, int32_t m, int32_t n, int32_t k, float alpha,
                     float beta) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 700
    __shared__ Shared<__half, float> smem;
    block_product<__half, float>(a, b, m, n, k, __float2half(0.0f), smem);
    const int32_t row0 = blockIdx.y * kTile, col0 = blockIdx.x * kTile;
    for (int e = threadIdx.x; e < kTile * kTile; e += wmma_gemm::kThreads) {
        int r = e / kTile, col = e % kTile;
        int32_t gr = row0 + r, gc = col0 + col;
        if (gr >= m || gc >= n) continue;
        int64_t at = static_cast<int64_t>(gr) * n + gc;
        float v = alpha * smem.c[r][col];
        c[at] = beta == 0.0f ? v : v + beta * c[at];
    }
#endif
}

}  // namespace

cudaError_t gemm_f16_f32_wmma(const uint16_t* a, const uint16_t* b, float* c, int32_t m, int32_t n, int32_t k,
                              float alpha, float beta, cudaStream_t stream) {
    dim3 grid(static_cast<unsigned>((n + kTile - 1) / kTile), static_cast<unsigned>((m + kTile - 1) / kTile));
    gemm_f16_wmma_kernel<<<grid, wmma_gemm::kThreads, 0, stream>>>(reinterpret_cast<const __half*>(a),
                                                                   reinterpret_cast<const __half*>(b), c, m, n, k,
                                                                   alpha, beta);
    return cudaGetLastError();
}

}  // namespace edgeq::kernels
