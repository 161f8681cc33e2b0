/*
 * Checks libedgeq_cpu.so against plain int64 loops: the ABI version, argument refusals, and (where this CPU runs
 * AVX-512 VNNI) the GEMM bit for bit on shapes that are no multiple of any tile or block, k = 1 to past two k
 * blocks, extreme codes (-128, 127) and leading dimensions wider than a row. Run by native/cpu/build.sh after every
 * build; exits 1 on the first broken promise, printing it, and prints one summary line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edgeq_cpu.h"

static int failures = 0;

static void expect(int ok, const char* what) {
    if (!ok) {
        fprintf(stderr, "cpu_check: FAILED: %s\n", what);
        failures++;
    }
}

static uint64_t state = 0x9E3779B97F4A7C15ull;

static int8_t next_code(int extremes) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    uint32_t r = (uint32_t) (state >> 33);
    if (extremes) return (r & 1) ? 127 : -128;
    return (int8_t) (r & 0xFF);
}

/* One product against the int64 loop (wrapped to int32 the same way); 0 when equal. */
static int check_shape(int32_t m, int32_t n, int32_t k, int32_t pad, int extremes) {
    int64_t lda = (int64_t) k + pad, ldb = (int64_t) k + 2 * pad, ldc = (int64_t) n + pad;
    int8_t* a = malloc((size_t) (m * lda + 1));
    int8_t* b = malloc((size_t) (n * ldb + 1));
    int32_t* c = malloc((size_t) (m * ldc + 1) * sizeof(int32_t));
    int64_t ws_bytes = edgeq_cpu_gemm_s8s8s32_workspace_bytes(m, n, k);
    void* ws = malloc((size_t) ws_bytes);
    for (int64_t i = 0; i < m * lda; i++) a[i] = next_code(extremes);
    for (int64_t i = 0; i < n * ldb; i++) b[i] = next_code(extremes);
    for (int64_t i = 0; i < m * ldc; i++) c[i] = 0x5A5A5A5A;
    int bad = edgeq_cpu_gemm_s8s8s32(m, n, k, a, lda, b, ldb, c, ldc, ws, ws_bytes) != EDGEQ_CPU_OK;
    for (int32_t i = 0; i < m && !bad; i++) {
        for (int32_t j = 0; j < ldc && !bad; j++) {
            int64_t want = 0x5A5A5A5A;
            if (j < n) {
                want = 0;
                for (int32_t p = 0; p < k; p++) want += (int64_t) a[i * lda + p] * b[j * ldb + p];
            }
            if (c[i * ldc + j] != (int32_t) (uint32_t) (uint64_t) want) {
                fprintf(stderr, "cpu_check: %dx%dx%d pad %d: C[%d][%d] = %d, want %lld\n", m, n, k, pad, i, j,
                        c[i * ldc + j], (long long) want);
                bad = 1;
            }
        }
    }
    free(a);
    free(b);
    free(c);
    free(ws);
    return bad;
}

int main(void) {
    expect(edgeq_cpu_abi_version() == EDGEQ_CPU_ABI_VERSION, "edgeq_cpu_abi_version() == EDGEQ_CPU_ABI_VERSION");
    expect(edgeq_cpu_gemm_s8s8s32_workspace_bytes(-1, 1, 1) == -1, "workspace size refuses negative m");
    int8_t x[16] = {0};
    int32_t y[16] = {0};
    expect(edgeq_cpu_gemm_s8s8s32(-1, 1, 1, x, 1, x, 1, y, 1, y, 64) == EDGEQ_CPU_ERROR_INVALID_ARGUMENT,
           "negative m refused");
    expect(edgeq_cpu_gemm_s8s8s32(1, 1, 4, x, 3, x, 4, y, 1, y, 1 << 20) == EDGEQ_CPU_ERROR_INVALID_ARGUMENT,
           "lda < k refused");
    expect(edgeq_cpu_gemm_s8s8s32(1, 1, 4, x, 4, x, 4, y, 1, y, 1) == EDGEQ_CPU_ERROR_INVALID_ARGUMENT,
           "short workspace refused");
    expect(edgeq_cpu_gemm_s8s8s32(1, 1, 4, NULL, 4, x, 4, y, 1, y, 1 << 20) == EDGEQ_CPU_ERROR_INVALID_ARGUMENT,
           "NULL A refused");
    y[0] = 7;
    expect(edgeq_cpu_gemm_s8s8s32(1, 1, 0, NULL, 0, NULL, 0, y, 1, NULL, 0) == EDGEQ_CPU_OK && y[0] == 0,
           "k = 0 writes zeros");
    if (!edgeq_cpu_has_avx512_vnni()) {
        expect(edgeq_cpu_gemm_s8s8s32(1, 1, 4, x, 4, x, 4, y, 1, y, 1 << 20) == EDGEQ_CPU_ERROR_UNSUPPORTED,
               "no VNNI: the GEMM says unsupported");
        printf("cpu_check: %s (this CPU has no AVX-512 VNNI: GEMM results not checked)\n",
               failures ? "FAILED" : "ABI checks passed");
        return failures ? 1 : 0;
    }
    static const int32_t shapes[][3] = {
        {1, 1, 1}, {1, 1, 3}, {1, 33, 1}, {13, 1, 5}, {12, 32, 4}, {13, 33, 7}, {25, 65, 129}, {11, 31, 513},
        {193, 70, 100}, {200, 1030, 37}, {37, 45, 1100}, {64, 64, 64}, {3, 5, 2049},
    };
    int checked = 0;
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        for (int pad = 0; pad <= 3; pad += 3) {
            for (int extremes = 0; extremes <= 1; extremes++) {
                if (check_shape(shapes[s][0], shapes[s][1], shapes[s][2], pad, extremes)) failures++;
                checked++;
            }
        }
    }
    printf("cpu_check: %s (%d products against int64 loops, AVX-512 VNNI)\n", failures ? "FAILED" : "all passed",
           checked);
    return failures ? 1 : 0;
}
