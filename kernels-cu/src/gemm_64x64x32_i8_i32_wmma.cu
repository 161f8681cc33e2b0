// int8 x int8 -> int32 GEMM on tensor cores (WMMA m16n16k16, sm >= 72; built for sm_80+) with the same
// per-output-channel requantize epilogue as the dp4a kernel. Unverified on hardware.
#include "edgeq/kernels.h"
#include "edgeq/requantize.cuh"
#include "gemm_wmma.cuh"

namespace edgeq::kernels {
namespace {

using namespace wmma_gemm;

__global__ void __launch_bounds__(wmma_gemm::kThreads)
gemm_i8_wmma_kernel(const signed char* a, const signed char* b, int32_t* c32, int8_t* c8, int32_t m, int32_t n,
                    int32_t k, const int32_t* bias, const int32_t* multipliers, const int32_t* shifts,
                    int32_t out_zero_point) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 720
    __shared__ Shared<signed char, int> smem;
    block_product<signed char, int>(a, b, m, n, k, static_cast<signed char>(0), smem);
    const int32_t row0 = blockIdx.y * kTile, col0 = blockIdx.x * kTile;
    for (int e = threadIdx.x; e < kTile * kTile; e += wmma_gemm::kThreads) {
        int r = e / kTile, c = e % kTile;
        int32_t row = row0 + r, col = col0 + c;
        if (row >= m || col >= n) continue;
        int32_t acc = smem.c[r][c];
        int64_t at = static_cast<int64_t>(row) * n + col;
        if (c32 != nullptr) c32[at] = acc;
        if (c8 != nullptr) {
            c8[at] = requantize_i32_to_i8(acc, bias != nullptr ? bias[col] : 0, multipliers[col], shifts[col],
                                          out_zero_point);
        }
    }
#endif
}

}  // namespace

cudaError_t gemm_i8_i32_wmma(const int8_t* a, const int8_t* b, int32_t* c32, int8_t* c8, int32_t m, int32_t n,
                             int32_t k, const int32_t* bias, const int32_t* multipliers, const int32_t* shifts,
                             int32_t out_zero_point, cudaStream_t stream) {
    dim3 grid(static_cast<unsigned>((n + kTile - 1) / kTile), static_cast<unsigned>((m + kTile - 1) / kTile));
    gemm_i8_wmma_kernel<<<grid, wmma_gemm::kThreads, 0, stream>>>(
        reinterpret_cast<const signed char*>(a), reinterpret_cast<const signed char*>(b), c32, c8, m, n, k, bias,
        multipliers, shifts, out_zero_point);
    return cudaGetLastError();
}

}  // namespace edgeq::kernels
