// f32 GEMM on CUDA cores (the alternative to cuBLASLt's): C = alpha * op(A) op(B) + beta * C, dense row-major, all
// four transpose combinations (Backend.gemm). Classic register-blocked SIMT design:
//  - a BM x BN block tile, K staged BK = 8 at a time through two shared-memory buffers (k-major, rows padded by 4
//    floats so the transposing stores do not conflict); the next stage is loaded into registers while the current
//    one is multiplied, one barrier per stage;
//  - each thread owns an 8 x 8 micro-tile split in two 4-row and two 4-column halves (BM / 2 and BN / 2 apart), read
//    from shared memory as float4, so a warp's reads are broadcasts or conflict-free;
//  - global loads are float4 when the matrix's pointer is 16-byte aligned and its leading dimension a multiple of 4,
//    else scalar; every load and store on a ragged edge is bounds-checked (zero fill), so any m, n, k works;
//  - tiles: 128x128 (256 threads) for large C, 64x64 for small ones, 128x32 / 32x128 for skinny C (a convolution's
//    few output channels), chosen from the shape on the host.
// With beta == 0, C is written without being read (NaN in C does not leak).
#include "edgeq/kernels.h"
#include "gemm_f32_simt.cuh"
#include "launch.cuh"

namespace edgeq::kernels {
namespace {

using namespace sgemm;

// C = beta * C, zeros when beta == 0: CpuGemm's answer when alpha == 0 or k == 0 (A and B are not read, so NaN or
// infinity in them does not leak through 0 * x).
__global__ void scale_c(float* c, int64_t total, float beta) {
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < total;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        c[i] = beta == 0.0f ? 0.0f : beta * c[i];
    }
}

template <int BM, int BN, bool TransA, bool TransB>
void launch_tile(const GemmArgs& g, cudaStream_t stream) {
    dim3 grid(static_cast<unsigned>((g.n + BN - 1) / BN), static_cast<unsigned>((g.m + BM - 1) / BM));
    sgemm_kernel<BM, BN, TransA, TransB><<<grid, BM * BN / 64, 0, stream>>>(g);
}

template <bool TransA, bool TransB>
void launch_shape(const GemmArgs& g, cudaStream_t stream) {
    TileChoice t = choose_tile(g.m, g.n);
    if (t.bm == 128 && t.bn == 32) launch_tile<128, 32, TransA, TransB>(g, stream);
    else if (t.bm == 32) launch_tile<32, 128, TransA, TransB>(g, stream);
    else if (t.bm == 64) launch_tile<64, 64, TransA, TransB>(g, stream);
    else launch_tile<128, 128, TransA, TransB>(g, stream);
}

}  // namespace

int64_t gemm_f32_max_rows() {
    return 65535LL * 64;  // grid.y <= 65535 blocks of at least 64 rows (32-row tiles only serve m <= 48)
}

cudaError_t gemm_f32_simt(bool trans_a, bool trans_b, int32_t m, int32_t n, int32_t k, float alpha, const float* a,
                          const float* b, float beta, float* c, cudaStream_t stream) {
    if (k == 0 || alpha == 0.0f) {
        int64_t total = static_cast<int64_t>(m) * n;
        scale_c<<<grid_for(total), kThreads, 0, stream>>>(c, total, beta);
        return cudaGetLastError();
    }
    GemmArgs g{};
    g.m = m;
    g.n = n;
    g.k = k;
    g.alpha = alpha;
    g.beta = beta;
    g.a = a;
    g.b = b;
    g.c = c;
    g.lda = trans_a ? m : k;
    g.ldb = trans_b ? k : n;
    g.ldc = n;
    g.vec_a = aligned16(a) && g.lda % 4 == 0;
    g.vec_b = aligned16(b) && g.ldb % 4 == 0;
    g.vec_c = aligned16(c) && g.ldc % 4 == 0;
    if (trans_a) {
        if (trans_b) launch_shape<true, true>(g, stream);
        else launch_shape<true, false>(g, stream);
    } else {
        if (trans_b) launch_shape<false, true>(g, stream);
        else launch_shape<false, false>(g, stream);
    }
    return cudaGetLastError();
}

}  // namespace edgeq::kernels
