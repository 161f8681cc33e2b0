package org.edgeq.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * Copies blocks of op(A) and op(B) into the contiguous micro-panel layouts that {@link GemmMicroKernel} streams:
 * A as MR-row panels (MR floats per k step), B as NR-column panels (NR floats per k step), zero-padded at ragged
 * edges so the kernel never needs a bounds check.
 */
final class GemmPacking {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final int MR = GemmMicroKernel.MR;
    private static final int NR = GemmMicroKernel.NR;
    private static final int V = GemmMicroKernel.V;

    private GemmPacking() {
    }

    /** Packs op(A)[i0 .. i0+mc, p0 .. p0+kc) into {@code dst} as ceil(mc/MR) panels of MR*kc floats. */
    static void packA(boolean transA, MemorySegment a, long aOff, int lda,
                      int i0, int mc, int p0, int kc, float[] dst) {
        int d = 0;
        for (int ib = 0; ib < mc; ib += MR, d += MR * kc) {
            int rows = Math.min(MR, mc - ib);
            if (transA) {
                // op(A)[i][p] = A[p][i]: the MR values of one k step are contiguous in memory.
                long src = aOff + (long) p0 * lda + i0 + ib;
                for (int p = 0, o = d; p < kc; p++, o += MR, src += lda) {
                    for (int r = 0; r < rows; r++) dst[o + r] = a.getAtIndex(F, src + r);
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    long src = aOff + (long) (i0 + ib + r) * lda + p0;
                    for (int p = 0, o = d + r; p < kc; p++, o += MR) dst[o] = a.getAtIndex(F, src + p);
                }
            }
            if (rows < MR) {
                for (int p = 0, o = d; p < kc; p++, o += MR) Arrays.fill(dst, o + rows, o + MR, 0f);
            }
        }
    }

    /** Packs op(B)[p0 .. p0+kc, j0 .. j0+nc) into {@code dst} as ceil(nc/NR) panels of NR*kc floats. */
    static void packB(boolean transB, MemorySegment b, long bOff, int ldb,
                      int p0, int kc, int j0, int nc, float[] dst) {
        int d = 0;
        for (int jb = 0; jb < nc; jb += NR, d += NR * kc) {
            int cols = Math.min(NR, nc - jb);
            if (transB) {
                // op(B)[p][j] = B[j][p]: read each stored row contiguously, write it with stride NR.
                for (int j = 0; j < cols; j++) {
                    long src = bOff + (long) (j0 + jb + j) * ldb + p0;
                    for (int p = 0, o = d + j; p < kc; p++, o += NR) dst[o] = b.getAtIndex(F, src + p);
                }
                if (cols < NR) {
                    for (int p = 0, o = d; p < kc; p++, o += NR) Arrays.fill(dst, o + cols, o + NR, 0f);
                }
            } else if (cols == NR) {
                long src = (bOff + (long) p0 * ldb + j0 + jb) * Float.BYTES;
                long step = (long) ldb * Float.BYTES;
                for (int p = 0, o = d; p < kc; p++, o += NR, src += step) {
                    for (int v = 0; v < NR; v += V) {
                        FloatVector.fromMemorySegment(GemmMicroKernel.SPECIES, b, src + (long) v * Float.BYTES, NATIVE)
                                .intoArray(dst, o + v);
                    }
                }
            } else {
                long src = bOff + (long) p0 * ldb + j0 + jb;
                for (int p = 0, o = d; p < kc; p++, o += NR, src += ldb) {
                    for (int j = 0; j < cols; j++) dst[o + j] = b.getAtIndex(F, src + j);
                    Arrays.fill(dst, o + cols, o + NR, 0f);
                }
            }
        }
    }
}
