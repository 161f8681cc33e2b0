package org.edgeq.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Single-precision GEMM on the CPU over row-major matrices in memory segments (offsets and leading dimensions in
 * floats): C = alpha * op(A) * op(B) + beta * C, op(A) [m, k], op(B) [k, n], C [m, n]; {@code beta == 0} ignores
 * the old contents of C (NaN included).
 *
 * <p>Large products run through a cache-blocked, packed-panel loop nest ({@link GemmBlocked}) with a SIMD
 * register-blocked micro-kernel ({@link GemmMicroKernel}); tiny ones take a direct loop that skips packing.
 * The pooled variant gives each worker an independent strip of C: a strip of columns (each worker packs all of A
 * and its share of B) or, for tall problems, a strip of rows (each worker packs its rows of A and all of B).
 */
public final class CpuGemm {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** Below this many multiply-adds packing costs more than it saves. */
    static final long SMALL_WORK = 32 * 1024;
    /** Below this many multiply-adds handing work to other threads costs more than it saves. */
    static final long PARALLEL_WORK = 256 * 1024;

    private final WorkerPool pool;

    public CpuGemm(WorkerPool pool) {
        this.pool = pool;
    }

    /** Multi-threaded GEMM using the pool. */
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      MemorySegment a, long aOff, int lda, MemorySegment b, long bOff, int ldb,
                      float beta, MemorySegment c, long cOff, int ldc) {
        validate(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        long work = (long) m * n * k;
        int threads = pool.threads();
        if (threads == 1 || work < PARALLEL_WORK || k == 0 || alpha == 0f) {
            dispatch(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        int colTiles = (n + GemmBlocked.NR - 1) / GemmBlocked.NR;
        if (splitColumns(transA, transB, m, n, k, threads)) {
            pool.parallelFor(colTiles, 1, (from, to) -> {
                int j0 = from * GemmBlocked.NR;
                int j1 = Math.min(n, to * GemmBlocked.NR);
                long bStrip = bOff + (transB ? (long) j0 * ldb : j0);
                dispatch(transA, transB, m, j1 - j0, k, alpha, a, aOff, lda, b, bStrip, ldb, beta, c, cOff + j0, ldc);
            });
        } else {
            GemmBlocked.runPooled(pool, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /**
     * Whether column strips (each thread packs all of A and its share of B) beat row strips (each thread packs its
     * share of A's rows and all of B), estimated per thread in nanoseconds from the padded micro-tile work and the
     * measured packing cost per element of each layout on an AVX-512 core. B's packing is charged 1/threads in
     * the row split: that estimate made the faster choice on MLP-sized products in same-JVM comparisons, where
     * charging the whole B picked column strips for the weight gradient and lost 10% (issue 12).
     */
    static boolean splitColumns(boolean transA, boolean transB, int m, int n, int k, int threads) {
        int mr = GemmBlocked.MR;
        int nr = GemmBlocked.NR;
        double fmaPerNs = 60.0;
        double packA = transA ? 0.2 : 0.35;
        double packB = transB ? 0.35 : 0.13;
        long rowTilesPerThread = ceilDiv(ceilDiv(m, mr), threads);
        long colTilesPerThread = ceilDiv(ceilDiv(n, nr), threads);
        // A is packed again for every NC-wide block of columns a thread sweeps.
        long colsPerThread = colTilesPerThread * nr;
        double byCols = (double) ceilDiv(m, mr) * mr * colsPerThread * k / fmaPerNs
                + (double) m * k * packA * ceilDiv(colsPerThread, GemmBlocked.NC)
                + (double) colsPerThread * k * packB;
        double byRows = (double) rowTilesPerThread * mr * ceilDiv(n, nr) * nr * k / fmaPerNs
                + (double) rowTilesPerThread * mr * k * packA * ceilDiv(n, GemmBlocked.NC)
                + (double) n * k * packB / threads;
        return byCols <= byRows;
    }

    private static long ceilDiv(long x, long y) {
        return (x + y - 1) / y;
    }

    /** GEMM on the calling thread only (for callers that already parallelise, e.g. over a batch). */
    public static void sgemmSerial(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                   MemorySegment a, long aOff, int lda, MemorySegment b, long bOff, int ldb,
                                   float beta, MemorySegment c, long cOff, int ldc) {
        validate(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        dispatch(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    private static void dispatch(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                 MemorySegment a, long aOff, int lda, MemorySegment b, long bOff, int ldb,
                                 float beta, MemorySegment c, long cOff, int ldc) {
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            scale(m, n, beta, c, cOff, ldc);
        } else if ((long) m * n * k < SMALL_WORK) {
            direct(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            GemmBlocked.run(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /** C = beta * C, writing zeros (not beta * NaN) when beta is zero. */
    private static void scale(int m, int n, float beta, MemorySegment c, long cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            long row = cOff + (long) i * ldc;
            for (int j = 0; j < n; j++) {
                c.setAtIndex(F, row + j, beta == 0f ? 0f : beta * c.getAtIndex(F, row + j));
            }
        }
    }

    /** Unpacked loops for products too small to amortise packing. */
    private static void direct(boolean transA, boolean transB, int m, int n, int k, float alpha,
                               MemorySegment a, long aOff, int lda, MemorySegment b, long bOff, int ldb,
                               float beta, MemorySegment c, long cOff, int ldc) {
        long aRow = transA ? 1 : lda;
        long aCol = transA ? lda : 1;
        long bRow = transB ? 1 : ldb;
        long bCol = transB ? ldb : 1;
        for (int i = 0; i < m; i++) {
            long ai = aOff + i * aRow;
            long ci = cOff + (long) i * ldc;
            for (int j = 0; j < n; j++) {
                long bj = bOff + j * bCol;
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    acc += a.getAtIndex(F, ai + p * aCol) * b.getAtIndex(F, bj + p * bRow);
                }
                float v = alpha * acc;
                c.setAtIndex(F, ci + j, beta == 0f ? v : v + beta * c.getAtIndex(F, ci + j));
            }
        }
    }

    private static void validate(boolean transA, boolean transB, int m, int n, int k,
                                 MemorySegment a, long aOff, int lda, MemorySegment b, long bOff, int ldb,
                                 MemorySegment c, long cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sgemm: m, n, k must be >= 0, got m=" + m + " n=" + n + " k=" + k);
        }
        checkMatrix("A", a, aOff, lda, transA ? k : m, transA ? m : k);
        checkMatrix("B", b, bOff, ldb, transB ? n : k, transB ? k : n);
        checkMatrix("C", c, cOff, ldc, m, n);
    }

    /** Checks that a stored rows x cols row-major matrix with leading dimension ld lies inside its segment. */
    private static void checkMatrix(String name, MemorySegment seg, long off, int ld, int rows, int cols) {
        if (rows == 0 || cols == 0) return;
        if (ld < cols) {
            throw new IllegalArgumentException("sgemm: ld" + name.toLowerCase() + "=" + ld
                    + " must be >= " + cols + " (stored width of " + name + ")");
        }
        long last = off + (long) (rows - 1) * ld + cols;
        if (off < 0 || last * Float.BYTES > seg.byteSize()) {
            throw new IndexOutOfBoundsException("sgemm: " + name + " [" + rows + " x " + cols + "] at offset " + off
                    + " with ld " + ld + " needs " + last + " floats, segment holds " + seg.byteSize() / Float.BYTES);
        }
    }
}
