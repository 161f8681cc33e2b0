package org.edgeq.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Single-precision GEMM on the CPU over row-major matrices in memory segments (offsets and leading dimensions in
 * floats): C = alpha * op(A) * op(B) + beta * C, op(A) [m, k], op(B) [k, n], C [m, n].
 *
 * <p>PLACEHOLDER: naive triple loop until the blocked, packed, SIMD implementation lands.
 */
public final class CpuGemm {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private final WorkerPool pool;

    public CpuGemm(WorkerPool pool) {
        this.pool = pool;
    }

    /** Multi-threaded GEMM using the pool. */
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      MemorySegment a, long aOff, int lda, MemorySegment b, long bOff, int ldb,
                      float beta, MemorySegment c, long cOff, int ldc) {
        pool.parallelFor(m, 8, (from, to) -> serialRows(transA, transB, from, to, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc));
    }

    /** GEMM on the calling thread only (for callers that already parallelise, e.g. over a batch). */
    public static void sgemmSerial(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                   MemorySegment a, long aOff, int lda, MemorySegment b, long bOff, int ldb,
                                   float beta, MemorySegment c, long cOff, int ldc) {
        serialRows(transA, transB, 0, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    private static void serialRows(boolean transA, boolean transB, int rowFrom, int rowTo, int n, int k, float alpha,
                                   MemorySegment a, long aOff, int lda, MemorySegment b, long bOff, int ldb,
                                   float beta, MemorySegment c, long cOff, int ldc) {
        for (int i = rowFrom; i < rowTo; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    float av = a.getAtIndex(F, aOff + (transA ? (long) p * lda + i : (long) i * lda + p));
                    float bv = b.getAtIndex(F, bOff + (transB ? (long) j * ldb + p : (long) p * ldb + j));
                    acc += av * bv;
                }
                long ci = cOff + (long) i * ldc + j;
                float old = beta == 0f ? 0f : beta * c.getAtIndex(F, ci);
                c.setAtIndex(F, ci, alpha * acc + old);
            }
        }
    }
}
