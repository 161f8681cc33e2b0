/*
 * The int8 GEMM of edgeq_cpu.h on AVX-512 VNNI: a GotoBLAS loop nest (B packed per KC x NC block, A per MC x KC
 * block) around a 12 x 32 register-blocked micro-kernel of vpdpbusd.
 *
 * vpdpbusd multiplies unsigned bytes by signed bytes, four at a time into each int32 lane. A is signed and is the
 * operand broadcast from memory (four k steps of one row per broadcast), so B is the unsigned operand: it is packed
 * as b + 128 (b ^ 0x80), and since sum_p (b_p + 128) * a_p = sum_p a_p * b_p + 128 * sum_p a_p, each output row
 * subtracts 128 times its row's sum of A over the block. All int32 arithmetic wraps (vector lanes), so the result is
 * the true sum modulo 2^32: exact whenever that sum fits in int32, whatever the biased partial sums did.
 *
 * The kernel functions are compiled for AVX-512 through target attributes, the rest for the baseline x86-64, so the
 * library loads on any x86-64 CPU and runs the kernel only after edgeq_cpu_has_avx512_vnni() said yes.
 */
#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "edgeq_cpu.h"

#define VNNI __attribute__((target("avx512f,avx512bw,avx512vnni")))

/* Rows of a micro-tile: one broadcast of A each; 12 x 2 accumulators + 2 B vectors + 1 broadcast of 32 zmm. */
#define MR 12
/* Columns of a micro-tile: two zmm of 16 int32 lanes. */
#define NR 32
/* Depth of a packed block in k steps (a multiple of 4): a B micro-panel (NR x KC = 16 KiB) stays in L1. */
#define KC 512
/* Rows of A packed at once (a multiple of MR): MC x KC = 96 KiB in L2. */
#define MC 192
/* Columns of B packed at once (a multiple of NR): KC x NC = 512 KiB in L2. */
#define NC 1024
/* The workspace is used from its first 64-byte boundary on. */
#define ALIGN 64

int32_t edgeq_cpu_abi_version(void) {
    return EDGEQ_CPU_ABI_VERSION;
}

int32_t edgeq_cpu_has_avx512_vnni(void) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    /* GCC's and clang's CPU model also require the operating system to save the zmm state (XGETBV) for these. */
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
           && __builtin_cpu_supports("avx512vnni");
#else
    return 0;
#endif
}

static int64_t min64(int64_t x, int64_t y) {
    return x < y ? x : y;
}

static int64_t round_up(int64_t x, int64_t multiple) {
    return (x + multiple - 1) / multiple * multiple;
}

/* Workspace layout: packed B block, packed A block, the A block's row sums; each part 64-byte aligned. */
static int64_t packed_b_bytes(int32_t n, int32_t k) {
    return round_up(min64(n, NC), NR) * round_up(min64(k, KC), 4);
}

static int64_t packed_a_bytes(int32_t m, int32_t k) {
    return round_up(min64(m, MC), MR) * round_up(min64(k, KC), 4);
}

int64_t edgeq_cpu_gemm_s8s8s32_workspace_bytes(int32_t m, int32_t n, int32_t k) {
    if (m < 0 || n < 0 || k < 0) return -1;
    return ALIGN + round_up(packed_b_bytes(n, k), ALIGN) + round_up(packed_a_bytes(m, k), ALIGN) + MC * 4;
}

/*
 * Packs B[j0 .. j0+nc) x [p0 .. p0+kc) as ceil(nc / NR) panels; a panel holds, per group of 4 k steps, NR columns
 * of 4 consecutive bytes each (128 bytes), every byte biased by 128. Missing columns and k steps pack as 0 + 128:
 * they meet zeros of A (k) or are never stored (columns).
 */
static void pack_b(const int8_t* b, int64_t ldb, int32_t j0, int32_t nc, int32_t p0, int32_t kc, uint8_t* dst) {
    int32_t groups = (kc + 3) / 4;
    for (int32_t jb = 0; jb < nc; jb += NR) {
        uint8_t* panel = dst + (int64_t) (jb / NR) * groups * NR * 4;
        for (int32_t col = 0; col < NR; col++) {
            int32_t j = jb + col;
            uint8_t* out = panel + col * 4;
            if (j >= nc) {
                for (int32_t g = 0; g < groups; g++) memset(out + (int64_t) g * NR * 4, 0x80, 4);
                continue;
            }
            const int8_t* row = b + (int64_t) (j0 + j) * ldb + p0;
            int32_t g = 0;
            for (; 4 * g + 4 <= kc; g++) {
                uint32_t v;
                memcpy(&v, row + 4 * g, 4);
                v ^= 0x80808080u;
                memcpy(out + (int64_t) g * NR * 4, &v, 4);
            }
            for (; g < groups; g++) {
                for (int32_t t = 0; t < 4; t++) {
                    int32_t p = 4 * g + t;
                    out[(int64_t) g * NR * 4 + t] = (uint8_t) ((p < kc ? (uint8_t) row[p] : 0) ^ 0x80);
                }
            }
        }
    }
}

/*
 * Packs A[i0 .. i0+mc) x [p0 .. p0+kc) as ceil(mc / MR) panels; a panel holds, per group of 4 k steps, MR rows of 4
 * consecutive bytes each (48 bytes). Missing rows and k steps are zeros. row_sum[i] = sum of the packed row i.
 */
static void pack_a(const int8_t* a, int64_t lda, int32_t i0, int32_t mc, int32_t p0, int32_t kc, int8_t* dst,
                   int32_t* row_sum) {
    int32_t groups = (kc + 3) / 4;
    for (int32_t ib = 0; ib < mc; ib += MR) {
        int8_t* panel = dst + (int64_t) (ib / MR) * groups * MR * 4;
        for (int32_t r = 0; r < MR; r++) {
            int32_t i = ib + r;
            int8_t* out = panel + r * 4;
            if (i >= mc) {
                for (int32_t g = 0; g < groups; g++) memset(out + (int64_t) g * MR * 4, 0, 4);
                continue;
            }
            const int8_t* row = a + (int64_t) (i0 + i) * lda + p0;
            int32_t sum = 0;
            for (int32_t p = 0; p < kc; p++) sum += row[p];
            row_sum[i] = sum;
            int32_t g = 0;
            for (; 4 * g + 4 <= kc; g++) memcpy(out + (int64_t) g * MR * 4, row + 4 * g, 4);
            for (; g < groups; g++) {
                for (int32_t t = 0; t < 4; t++) {
                    int32_t p = 4 * g + t;
                    out[(int64_t) g * MR * 4 + t] = p < kc ? row[p] : 0;
                }
            }
        }
    }
}

/*
 * One MR x NR tile over `groups` groups of 4 k steps: C (rows x cols of it) = [C +] acc - 128 * row_sum. Every
 * accumulator is a named array element under full unrolling, so GCC keeps all 24 in zmm registers.
 */
VNNI static void tile_12x32(int32_t groups, const int8_t* ap, const uint8_t* bp, int32_t* c, int64_t ldc,
                            int32_t rows, int32_t cols, int accumulate, const int32_t* row_sum) {
    __m512i acc[MR][2];
#pragma GCC unroll 12
    for (int r = 0; r < MR; r++) {
        acc[r][0] = _mm512_setzero_si512();
        acc[r][1] = _mm512_setzero_si512();
    }
    for (int32_t g = 0; g < groups; g++, ap += MR * 4, bp += NR * 4) {
        __m512i b0 = _mm512_loadu_si512((const void*) bp);
        __m512i b1 = _mm512_loadu_si512((const void*) (bp + 64));
#pragma GCC unroll 12
        for (int r = 0; r < MR; r++) {
            int32_t four;
            memcpy(&four, ap + 4 * r, 4);
            __m512i a4 = _mm512_set1_epi32(four);
            acc[r][0] = _mm512_dpbusd_epi32(acc[r][0], b0, a4);
            acc[r][1] = _mm512_dpbusd_epi32(acc[r][1], b1, a4);
        }
    }
    __mmask16 m0 = cols >= 16 ? (__mmask16) 0xFFFF : (__mmask16) ((1u << cols) - 1u);
    __mmask16 m1 = cols >= 32 ? (__mmask16) 0xFFFF : cols <= 16 ? (__mmask16) 0 : (__mmask16) ((1u << (cols - 16)) - 1u);
#pragma GCC unroll 12
    for (int r = 0; r < MR; r++) {
        if (r < rows) {
            int32_t* out = c + (int64_t) r * ldc;
            __m512i bias = _mm512_set1_epi32((int32_t) ((uint32_t) row_sum[r] * 128u));
            __m512i v0 = _mm512_sub_epi32(acc[r][0], bias);
            __m512i v1 = _mm512_sub_epi32(acc[r][1], bias);
            if (accumulate) {
                v0 = _mm512_add_epi32(v0, _mm512_maskz_loadu_epi32(m0, out));
                v1 = _mm512_add_epi32(v1, _mm512_maskz_loadu_epi32(m1, out + 16));
            }
            _mm512_mask_storeu_epi32(out, m0, v0);
            _mm512_mask_storeu_epi32(out + 16, m1, v1);
        }
    }
}

VNNI static void gemm_vnni(int32_t m, int32_t n, int32_t k, const int8_t* a, int64_t lda, const int8_t* b,
                           int64_t ldb, int32_t* c, int64_t ldc, uint8_t* ws) {
    uint8_t* bp = ws;
    int8_t* ap = (int8_t*) (ws + round_up(packed_b_bytes(n, k), ALIGN));
    int32_t* row_sum = (int32_t*) (ws + round_up(packed_b_bytes(n, k), ALIGN) + round_up(packed_a_bytes(m, k), ALIGN));
    /* Blocks of k are balanced (k = 784 gives 2 x 392, not 512 + 272) and start on multiples of 4. */
    int32_t k_blocks = (int32_t) ((k + KC - 1) / KC);
    for (int32_t jc = 0; jc < n; jc += NC) {
        int32_t nc = (int32_t) min64(NC, n - jc);
        for (int32_t kb = 0; kb < k_blocks; kb++) {
            int32_t pc = (int32_t) round_up((int64_t) k * kb / k_blocks, 4);
            int32_t pe = kb + 1 == k_blocks ? k : (int32_t) round_up((int64_t) k * (kb + 1) / k_blocks, 4);
            int32_t kc = pe - pc;
            int32_t groups = (kc + 3) / 4;
            pack_b(b, ldb, jc, nc, pc, kc, bp);
            for (int32_t ic = 0; ic < m; ic += MC) {
                int32_t mc = (int32_t) min64(MC, m - ic);
                pack_a(a, lda, ic, mc, pc, kc, ap, row_sum);
                for (int32_t jr = 0; jr < nc; jr += NR) {
                    const uint8_t* bpanel = bp + (int64_t) (jr / NR) * groups * NR * 4;
                    for (int32_t ir = 0; ir < mc; ir += MR) {
                        tile_12x32(groups, ap + (int64_t) (ir / MR) * groups * MR * 4, bpanel,
                                   c + (int64_t) (ic + ir) * ldc + jc + jr, ldc, (int32_t) min64(MR, mc - ir),
                                   (int32_t) min64(NR, nc - jr), kb > 0, row_sum + ir);
                    }
                }
            }
        }
    }
}

edgeq_cpu_status edgeq_cpu_gemm_s8s8s32(int32_t m, int32_t n, int32_t k, const int8_t* a, int64_t lda,
                                        const int8_t* b, int64_t ldb, int32_t* c, int64_t ldc,
                                        void* workspace, int64_t workspace_bytes) {
    if (m < 0 || n < 0 || k < 0) return EDGEQ_CPU_ERROR_INVALID_ARGUMENT;
    if (m == 0 || n == 0) return EDGEQ_CPU_OK;
    if (c == NULL || ldc < n) return EDGEQ_CPU_ERROR_INVALID_ARGUMENT;
    if (k == 0) {
        for (int32_t i = 0; i < m; i++) memset(c + (int64_t) i * ldc, 0, (size_t) n * sizeof(int32_t));
        return EDGEQ_CPU_OK;
    }
    if (a == NULL || b == NULL || workspace == NULL || lda < k || ldb < k
        || workspace_bytes < edgeq_cpu_gemm_s8s8s32_workspace_bytes(m, n, k)) {
        return EDGEQ_CPU_ERROR_INVALID_ARGUMENT;
    }
    if (!edgeq_cpu_has_avx512_vnni()) return EDGEQ_CPU_ERROR_UNSUPPORTED;
    uint8_t* ws = (uint8_t*) workspace;
    ws += (ALIGN - (uintptr_t) ws % ALIGN) % ALIGN;
    gemm_vnni(m, n, k, a, lda, b, ldb, c, ldc, ws);
    return EDGEQ_CPU_OK;
}
