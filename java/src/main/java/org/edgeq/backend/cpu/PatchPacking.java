package org.edgeq.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.edgeq.backend.ConvGeometry;

/**
 * Packs blocks of a sample's im2col matrix straight from the image into GEMM panels, so that a convolution never
 * writes the im2col matrix itself (an implicit GEMM). Row r of that matrix is (channel, ki, kj) in the weights' order,
 * column q an output position (oh, ow), and its element x[channel, oh * stride - pad + ki, ow * stride - pad + kj],
 * 0 in the padding: {@link CpuConvolution#im2col} writes the same values.
 */
final class PatchPacking {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final VectorSpecies<Float> SPECIES = GemmMicroKernel.SPECIES;
    private static final int V = SPECIES.length();
    private static final int NR = GemmMicroKernel.NR;
    private static final int MR = GemmMicroKernel.MR;
    /** Scatter offsets that write V consecutive k steps of one row into an A panel (stride MR). */
    private static final int[] ROW_OF_A_PANEL = new int[V];
    /** One row of an A block, gathered before it is scattered into its panel. */
    private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[GemmBlocked.KC]);

    static {
        for (int i = 0; i < V; i++) ROW_OF_A_PANEL[i] = i * MR;
    }

    private PatchPacking() {
    }

    /**
     * Packs col[p0 .. p0+kc, j0 .. j0+nc) of the sample at {@code xOff} into {@code dst} from {@code dstOff} on as
     * ceil(nc/NR) panels of NR*kc floats: the layout {@link GemmPacking#packB} gives a stored col matrix. {@code dst}
     * needs {@link #SLACK} floats past the last panel.
     */
    static void packB(MemorySegment x, long xOff, ConvGeometry g, int p0, int kc, int j0, int nc, float[] dst, int dstOff) {
        Rows rows = Rows.of(g, p0, kc);
        int ow = g.outWidth();
        int d = dstOff;
        for (int jb = 0; jb < nc; jb += NR, d += NR * kc) {
            int cols = Math.min(NR, nc - jb);
            for (int p = 0, o = d; p < kc; p++, o += NR) {
                // The panel's positions, one output row at a time.
                for (int q = j0 + jb, at = o, end = q + cols; q < end; ) {
                    int oy = q / ow, ox = q - oy * ow;
                    int run = Math.min(ow - ox, end - q);
                    rows.copy(x, xOff, g, p, oy, ox, run, dst, at);
                    q += run;
                    at += run;
                }
                if (cols < NR) Arrays.fill(dst, o + cols, o + NR, 0f);
            }
        }
    }

    /** Floats past the end of a block that {@link #packB} and {@link #packA} may scribble on (whole-vector copies). */
    static final int SLACK = V;

    /**
     * Where the rows [p0, p0+kc) of the im2col matrix read the image: per row its channel plane, its kernel offsets and
     * the output columns [lo, hi) whose input column lies inside the image. Computed once per block, kept per thread.
     */
    private static final class Rows {
        private static final ThreadLocal<Rows> SCRATCH = ThreadLocal.withInitial(Rows::new);
        long[] plane = new long[0];
        int[] ki = new int[0], kj = new int[0], lo = new int[0], hi = new int[0];

        static Rows of(ConvGeometry g, int p0, int kc) {
            Rows r = SCRATCH.get();
            if (r.ki.length < kc) {
                r.plane = new long[kc];
                r.ki = new int[kc];
                r.kj = new int[kc];
                r.lo = new int[kc];
                r.hi = new int[kc];
            }
            int kk = g.kernel(), st = g.stride(), pad = g.padding(), ow = g.outWidth();
            long planeSize = (long) g.height() * g.width();
            for (int i = 0; i < kc; i++) {
                int row = p0 + i;
                int kj = row % kk, ki = (row / kk) % kk;
                r.plane[i] = (long) (row / (kk * kk)) * planeSize;
                r.ki[i] = ki;
                r.kj[i] = kj;
                r.lo[i] = Math.min(ow, Math.max(0, ceilDiv(pad - kj, st)));
                r.hi[i] = Math.max(r.lo[i], Math.min(ow, ceilDiv(g.width() + pad - kj, st)));
            }
            return r;
        }

        /** dst[at .. at+run) = row i of the block at output row oy, output columns [ox, ox+run). */
        void copy(MemorySegment x, long xOff, ConvGeometry g, int i, int oy, int ox, int run, float[] dst, int at) {
            int st = g.stride(), pad = g.padding(), h = g.height(), w = g.width();
            int iy = oy * st - pad + ki[i];
            if (iy < 0 || iy >= h) {
                Arrays.fill(dst, at, at + run, 0f);
                return;
            }
            int a = Math.min(Math.max(ox, lo[i]), ox + run), b = Math.max(a, Math.min(ox + run, hi[i]));
            if (a > ox) Arrays.fill(dst, at, at + a - ox, 0f);
            long src = xOff + plane[i] + (long) iy * w + (long) a * st - pad + kj[i];
            int to = at + a - ox;
            if (st == 1) {
                PatchPacking.copy(x, src, dst, to, b - a);
            } else {
                for (int n = b - a, j = 0; j < n; j++, src += st) dst[to + j] = x.getAtIndex(F, src);
            }
            if (b < ox + run) Arrays.fill(dst, at + b - ox, at + run, 0f);
        }
    }

    /**
     * Packs rows [i0, i0+mc) and columns [p0, p0+kc) of the im2col matrices of consecutive samples laid side by side
     * (column q is position q % positions of sample q / positions, the first at {@code xOff}, the next
     * {@code xSample} floats further) into {@code dst} as ceil(mc/MR) A panels of MR*kc floats: the layout
     * {@link GemmPacking#packA} gives the stored [patch, samples * positions] matrix.
     */
    static void packA(MemorySegment x, long xOff, long xSample, ConvGeometry g, int i0, int mc, int p0, int kc, float[] dst) {
        int positions = g.outHeight() * g.outWidth(), ow = g.outWidth();
        float[] row = ROW.get();
        if (row.length < kc + SLACK) {
            row = new float[kc + SLACK];
            ROW.set(row);
        }
        Rows rows = Rows.of(g, i0, mc);
        int d = 0;
        for (int ib = 0; ib < mc; ib += MR, d += MR * kc) {
            int count = Math.min(MR, mc - ib);
            for (int rr = 0; rr < count; rr++) {
                for (int q = p0, t = 0, end = p0 + kc; q < end; ) {
                    int s = q / positions, pos = q - s * positions;
                    int oy = pos / ow, ox = pos - oy * ow;
                    int run = Math.min(ow - ox, end - q);
                    rows.copy(x, xOff + s * xSample, g, ib + rr, oy, ox, run, row, t);
                    q += run;
                    t += run;
                }
                int p = 0;
                for (int o = d + rr; p + V <= kc; p += V, o += V * MR) {
                    FloatVector.fromArray(SPECIES, row, p).intoArray(dst, o, ROW_OF_A_PANEL, 0);
                }
                for (int o = d + p * MR + rr; p < kc; p++, o += MR) dst[o] = row[p];
            }
            if (count < MR) {
                for (int p = 0, o = d; p < kc; p++, o += MR) Arrays.fill(dst, o + count, o + MR, 0f);
            }
        }
    }

    /**
     * dst[at .. at+n) = src[srcIdx .. srcIdx+n) in whole vectors: the last one may write up to V - 1 floats past
     * at+n (the caller's next writes, or its slack, cover them) and read past srcIdx+n while inside the segment.
     */
    private static void copy(MemorySegment src, long srcIdx, float[] dst, int at, int n) {
        long limit = src.byteSize() / 4 - V;
        int j = 0;
        for (; j < n && srcIdx + j <= limit; j += V) {
            FloatVector.fromMemorySegment(SPECIES, src, 4 * (srcIdx + j), NATIVE).intoArray(dst, at + j);
        }
        for (; j < n; j++) dst[at + j] = src.getAtIndex(F, srcIdx + j);
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
