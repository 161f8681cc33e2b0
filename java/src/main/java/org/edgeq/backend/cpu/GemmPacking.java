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

    /** Scatter offsets that write V consecutive k steps of one column into a B panel (stride NR). */
    private static final int[] COLUMN_OF_B_PANEL = strides(NR);
    /** Scatter offsets that write V consecutive k steps of one row into an A panel (stride MR). */
    private static final int[] ROW_OF_A_PANEL = strides(MR);
    /** Slack a packed-A buffer needs past its panels: the full-vector copy of a k step writes V - MR extra lanes. */
    static final int A_SLACK = V;

    private GemmPacking() {
    }

    /** Packs op(A)[i0 .. i0+mc, p0 .. p0+kc) into {@code dst} as ceil(mc/MR) panels of MR*kc floats. */
    static void packA(boolean transA, MemorySegment a, long aOff, int lda,
                      int i0, int mc, int p0, int kc, float[] dst) {
        packA(transA, a, aOff, lda, i0, mc, p0, kc, dst, 0);
    }

    /** {@link #packA(boolean, MemorySegment, long, int, int, int, int, int, float[])} from {@code dstOff} on. */
    static void packA(boolean transA, MemorySegment a, long aOff, int lda,
                      int i0, int mc, int p0, int kc, float[] dst, int dstOff) {
        int d = dstOff;
        for (int ib = 0; ib < mc; ib += MR, d += MR * kc) {
            int rows = Math.min(MR, mc - ib);
            if (transA && rows == MR && MR <= V && ib + V <= mc) {
                // op(A)[i][p] = A[p][i]: the MR values of a k step are contiguous. A full vector is copied per k
                // step; its V - MR extra lanes land in the next slot, which the next step (or panel) overwrites.
                long src = (aOff + (long) p0 * lda + i0 + ib) * Float.BYTES;
                long step = (long) lda * Float.BYTES;
                for (int p = 0, o = d; p < kc; p++, o += MR, src += step) {
                    FloatVector.fromMemorySegment(GemmMicroKernel.SPECIES, a, src, NATIVE).intoArray(dst, o);
                }
            } else if (transA) {
                long src = aOff + (long) p0 * lda + i0 + ib;
                for (int p = 0, o = d; p < kc; p++, o += MR, src += lda) {
                    for (int r = 0; r < rows; r++) dst[o + r] = a.getAtIndex(F, src + r);
                }
            } else {
                // A transpose: each stored row is read a vector of k steps at a time and scattered with stride MR.
                for (int r = 0; r < rows; r++) {
                    long src = aOff + (long) (i0 + ib + r) * lda + p0;
                    int p = 0;
                    for (int o = d + r; p + V <= kc; p += V, o += V * MR) {
                        FloatVector.fromMemorySegment(GemmMicroKernel.SPECIES, a, (src + p) * Float.BYTES, NATIVE)
                                .intoArray(dst, o, ROW_OF_A_PANEL, 0);
                    }
                    for (int o = d + p * MR + r; p < kc; p++, o += MR) dst[o] = a.getAtIndex(F, src + p);
                }
            }
            if (rows < MR) {
                for (int p = 0, o = d; p < kc; p++, o += MR) Arrays.fill(dst, o + rows, o + MR, 0f);
            }
        }
    }

    private static int[] strides(int stride) {
        int[] idx = new int[V];
        for (int i = 0; i < V; i++) idx[i] = i * stride;
        return idx;
    }

    /**
     * Packs op(B)[p0 .. p0+kc, j0 .. j0+nc) into {@code dst} from index {@code dstOff} on, as ceil(nc/NR) panels of
     * NR*kc floats.
     */
    static void packB(boolean transB, MemorySegment b, long bOff, int ldb,
                      int p0, int kc, int j0, int nc, float[] dst, int dstOff) {
        int d = dstOff;
        for (int jb = 0; jb < nc; jb += NR, d += NR * kc) {
            int cols = Math.min(NR, nc - jb);
            if (transB) {
                // op(B)[p][j] = B[j][p]: a transpose. Each stored row is read a vector of k steps at a time and
                // scattered down the panel's column; going 16 k steps at a time keeps the written lines in L1.
                int p = 0;
                for (; p + V <= kc; p += V) {
                    long src = (bOff + (long) (j0 + jb) * ldb + p0 + p) * Float.BYTES;
                    long step = (long) ldb * Float.BYTES;
                    for (int j = 0, o = d + p * NR; j < cols; j++, o++, src += step) {
                        FloatVector.fromMemorySegment(GemmMicroKernel.SPECIES, b, src, NATIVE)
                                .intoArray(dst, o, COLUMN_OF_B_PANEL, 0);
                    }
                }
                for (int j = 0; j < cols; j++) {
                    long src = bOff + (long) (j0 + jb + j) * ldb + p0;
                    for (int q = p, o = d + p * NR + j; q < kc; q++, o += NR) dst[o] = b.getAtIndex(F, src + q);
                }
                if (cols < NR) {
                    for (int q = 0, o = d; q < kc; q++, o += NR) Arrays.fill(dst, o + cols, o + NR, 0f);
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
