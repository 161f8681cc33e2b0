// The f32 SIMT GEMM kernel of gemm_f32_simt.cu (design notes there), in a header so that the host test can run
// its body for every (block, thread) of small grids (kernels-cu/test/host_check.cpp, op "gemm"), with
// __syncthreads as a barrier between the emulated threads of a block.
#pragma once

#include <cstdint>

#if defined(__CUDACC__)
#define EDGEQ_UNROLL _Pragma("unroll")
#else
#define EDGEQ_UNROLL
#endif

namespace edgeq::kernels::sgemm {

constexpr int kBk = 8;
constexpr int kPad = 4;

struct GemmArgs {
    int m, n, k;
    float alpha, beta;
    const float* a;
    const float* b;
    float* c;
    int lda, ldb, ldc;
    bool vec_a, vec_b, vec_c;
};

// Loads the BM x BK slice of op(A) starting at (m0, k0) (or the BK x BN slice of op(B) at (k0, n0)) into
// registers. `Outer` is the tile's long side (BM or BN); `contiguous_k` says whether memory runs along k (A not
// transposed, B transposed) or along the long side.
template <int Outer, int Threads, bool ContiguousK>
struct TileLoader {
    static constexpr int kVectors = Outer * kBk / 4;  // float4 slots in the slice
    static constexpr int kPerThread = kVectors / Threads;
    static_assert(kVectors % Threads == 0, "every thread loads the same number of float4 slots");

    float4 regs[kPerThread];

    // p: the matrix; ld: its leading dimension; outer0/k0: tile origin; outer_n/k_n: bounds.
    __device__ __forceinline__ void load(const float* p, int ld, int outer0, int k0, int outer_n, int k_n, bool vec) {
EDGEQ_UNROLL
        for (int v = 0; v < kPerThread; ++v) {
            int slot = static_cast<int>(threadIdx.x) + v * Threads;
            int o, kk;
            if (ContiguousK) {
                o = slot / (kBk / 4);
                kk = (slot % (kBk / 4)) * 4;
            } else {
                kk = slot / (Outer / 4);
                o = (slot % (Outer / 4)) * 4;
            }
            int go = outer0 + o, gk = k0 + kk;
            float4 r = make_float4(0.0f, 0.0f, 0.0f, 0.0f);
            if (ContiguousK) {
                const float* src = p + static_cast<int64_t>(go) * ld + gk;
                if (go < outer_n) {
                    if (vec && gk + 3 < k_n) {
                        r = *reinterpret_cast<const float4*>(src);
                    } else {
                        if (gk < k_n) r.x = src[0];
                        if (gk + 1 < k_n) r.y = src[1];
                        if (gk + 2 < k_n) r.z = src[2];
                        if (gk + 3 < k_n) r.w = src[3];
                    }
                }
            } else {
                const float* src = p + static_cast<int64_t>(gk) * ld + go;
                if (gk < k_n) {
                    if (vec && go + 3 < outer_n) {
                        r = *reinterpret_cast<const float4*>(src);
                    } else {
                        if (go < outer_n) r.x = src[0];
                        if (go + 1 < outer_n) r.y = src[1];
                        if (go + 2 < outer_n) r.z = src[2];
                        if (go + 3 < outer_n) r.w = src[3];
                    }
                }
            }
            regs[v] = r;
        }
    }

    // Stores the registers into the k-major shared tile s[kBk][Outer + kPad].
    __device__ __forceinline__ void store(float (*s)[Outer + kPad]) const {
EDGEQ_UNROLL
        for (int v = 0; v < kPerThread; ++v) {
            int slot = static_cast<int>(threadIdx.x) + v * Threads;
            if (ContiguousK) {
                int o = slot / (kBk / 4), kk = (slot % (kBk / 4)) * 4;
                s[kk][o] = regs[v].x;
                s[kk + 1][o] = regs[v].y;
                s[kk + 2][o] = regs[v].z;
                s[kk + 3][o] = regs[v].w;
            } else {
                int kk = slot / (Outer / 4), o = (slot % (Outer / 4)) * 4;
                *reinterpret_cast<float4*>(&s[kk][o]) = regs[v];
            }
        }
    }
};

__device__ __forceinline__ float epilogue(float acc, float alpha, float beta, const float* c) {
    return beta == 0.0f ? alpha * acc : alpha * acc + beta * *c;
}

template <int BM, int BN, bool TransA, bool TransB>
__global__ void __launch_bounds__(BM * BN / 64, (BM * BN / 64 >= 256 ? 2 : 4)) sgemm_kernel(GemmArgs g) {
    constexpr int kThreadsPerBlock = BM * BN / 64;
    constexpr int kColThreads = BN / 8;  // threads along n; each covers 4 + 4 columns
    __align__(16) __shared__ float as[2][kBk][BM + kPad];
    __align__(16) __shared__ float bs[2][kBk][BN + kPad];

    const int m0 = blockIdx.y * BM, n0 = blockIdx.x * BN;
    const int tx = threadIdx.x % kColThreads, ty = threadIdx.x / kColThreads;
    TileLoader<BM, kThreadsPerBlock, !TransA> la;  // A [m, k] runs along k; A^T stored [k, m] runs along m
    TileLoader<BN, kThreadsPerBlock, TransB> lb;   // B [k, n] runs along n; B^T stored [n, k] runs along k

    float acc[8][8];
EDGEQ_UNROLL
    for (int i = 0; i < 8; ++i) {
EDGEQ_UNROLL
        for (int j = 0; j < 8; ++j) acc[i][j] = 0.0f;
    }

    const int tiles = (g.k + kBk - 1) / kBk;
    if (tiles > 0) {
        la.load(g.a, g.lda, m0, 0, g.m, g.k, g.vec_a);
        lb.load(g.b, g.ldb, n0, 0, g.n, g.k, g.vec_b);
        la.store(as[0]);
        lb.store(bs[0]);
        __syncthreads();
    }
    for (int t = 0; t < tiles; ++t) {
        const int cur = t & 1;
        const bool more = t + 1 < tiles;
        if (more) {
            la.load(g.a, g.lda, m0, (t + 1) * kBk, g.m, g.k, g.vec_a);
            lb.load(g.b, g.ldb, n0, (t + 1) * kBk, g.n, g.k, g.vec_b);
        }
EDGEQ_UNROLL
        for (int kk = 0; kk < kBk; ++kk) {
            float4 a0 = *reinterpret_cast<const float4*>(&as[cur][kk][ty * 4]);
            float4 a1 = *reinterpret_cast<const float4*>(&as[cur][kk][BM / 2 + ty * 4]);
            float4 b0 = *reinterpret_cast<const float4*>(&bs[cur][kk][tx * 4]);
            float4 b1 = *reinterpret_cast<const float4*>(&bs[cur][kk][BN / 2 + tx * 4]);
            const float a[8] = {a0.x, a0.y, a0.z, a0.w, a1.x, a1.y, a1.z, a1.w};
            const float b[8] = {b0.x, b0.y, b0.z, b0.w, b1.x, b1.y, b1.z, b1.w};
EDGEQ_UNROLL
            for (int i = 0; i < 8; ++i) {
EDGEQ_UNROLL
                for (int j = 0; j < 8; ++j) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
            }
        }
        if (more) {
            la.store(as[cur ^ 1]);
            lb.store(bs[cur ^ 1]);
        }
        __syncthreads();
    }

EDGEQ_UNROLL
    for (int i = 0; i < 8; ++i) {
        const int row = m0 + (i < 4 ? ty * 4 + i : BM / 2 + ty * 4 + i - 4);
        if (row >= g.m) continue;
        float* crow = g.c + static_cast<int64_t>(row) * g.ldc;
EDGEQ_UNROLL
        for (int half = 0; half < 2; ++half) {
            const int col = n0 + half * (BN / 2) + tx * 4;
            float* dst = crow + col;
            if (g.vec_c && col + 3 < g.n) {
                float4 v;
                if (g.beta == 0.0f) {
                    v = make_float4(g.alpha * acc[i][half * 4], g.alpha * acc[i][half * 4 + 1],
                                    g.alpha * acc[i][half * 4 + 2], g.alpha * acc[i][half * 4 + 3]);
                } else {
                    float4 old = *reinterpret_cast<const float4*>(dst);
                    v = make_float4(g.alpha * acc[i][half * 4] + g.beta * old.x,
                                    g.alpha * acc[i][half * 4 + 1] + g.beta * old.y,
                                    g.alpha * acc[i][half * 4 + 2] + g.beta * old.z,
                                    g.alpha * acc[i][half * 4 + 3] + g.beta * old.w);
                }
                *reinterpret_cast<float4*>(dst) = v;
            } else {
EDGEQ_UNROLL
                for (int j = 0; j < 4; ++j) {
                    if (col + j < g.n) dst[j] = epilogue(acc[i][half * 4 + j], g.alpha, g.beta, dst + j);
                }
            }
        }
    }
}

/** The tile (BM, BN) gemm_f32_simt picks for an m x n result. */
struct TileChoice {
    int bm, bn;
};

inline TileChoice choose_tile(int m, int n) {
    if (n <= 48 && m > n) return TileChoice{128, 32};
    if (m <= 48 && n > m) return TileChoice{32, 128};
    if (static_cast<int64_t>(m) * n < 128LL * 128 * 264) return TileChoice{64, 64};  // < ~2 big tiles per H100 SM
    return TileChoice{128, 128};
}

}  // namespace edgeq::kernels::sgemm
