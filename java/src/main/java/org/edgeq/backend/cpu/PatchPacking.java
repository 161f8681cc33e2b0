package org.edgeq.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
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
     * ceil(nc/NR) panels of NR*kc floats: the layout {@link GemmPacking#packB} gives a stored col matrix.
     */
    static void packB(MemorySegment x, long xOff, ConvGeometry g, int p0, int kc, int j0, int nc, float[] dst, int dstOff) {
        int d = dstOff;
        for (int jb = 0; jb < nc; jb += NR, d += NR * kc) {
            int cols = Math.min(NR, nc - jb);
            for (int p = 0, o = d; p < kc; p++, o += NR) {
                row(x, xOff, g, p0 + p, j0 + jb, cols, dst, o);
                if (cols < NR) Arrays.fill(dst, o + cols, o + NR, 0f);
            }
        }
    }

    /**
     * Packs rows [i0, i0+mc) and columns [p0, p0+kc) of the im2col matrices of consecutive samples laid side by side
     * (column q is position q % positions of sample q / positions, the first at {@code xOff}, the next
     * {@code xSample} floats further) into {@code dst} as ceil(mc/MR) A panels of MR*kc floats: the layout
     * {@link GemmPacking#packA} gives the stored [patch, samples * positions] matrix.
     */
    static void packA(MemorySegment x, long xOff, long xSample, ConvGeometry g, int i0, int mc, int p0, int kc, float[] dst) {
        int positions = g.outHeight() * g.outWidth();
        float[] row = ROW.get();
        if (row.length < kc) {
            row = new float[kc];
            ROW.set(row);
        }
        int d = 0;
        for (int ib = 0; ib < mc; ib += MR, d += MR * kc) {
            int rows = Math.min(MR, mc - ib);
            for (int rr = 0; rr < rows; rr++) {
                for (int q = p0, t = 0; q < p0 + kc; ) {
                    int s = q / positions, pos = q - s * positions;
                    int run = Math.min(positions - pos, p0 + kc - q);
                    row(x, xOff + s * xSample, g, i0 + ib + rr, pos, run, row, t);
                    q += run;
                    t += run;
                }
                int p = 0;
                for (int o = d + rr; p + V <= kc; p += V, o += V * MR) {
                    FloatVector.fromArray(SPECIES, row, p).intoArray(dst, o, ROW_OF_A_PANEL, 0);
                }
                for (int o = d + p * MR + rr; p < kc; p++, o += MR) dst[o] = row[p];
            }
            if (rows < MR) {
                for (int p = 0, o = d; p < kc; p++, o += MR) Arrays.fill(dst, o + rows, o + MR, 0f);
            }
        }
    }

    /** dst[at .. at+len) = col[r, q0 .. q0+len) of the sample at {@code xOff}. */
    static void row(MemorySegment x, long xOff, ConvGeometry g, int r, int q0, int len, float[] dst, int at) {
        int kk = g.kernel(), st = g.stride(), pad = g.padding(), h = g.height(), w = g.width(), ow = g.outWidth();
        int kj = r % kk, ki = (r / kk) % kk, ch = r / (kk * kk);
        long plane = xOff + (long) ch * h * w;
        // Output columns whose input column lies inside the image: [lo, hi).
        int lo = Math.min(ow, Math.max(0, ceilDiv(pad - kj, st)));
        int hi = Math.max(lo, Math.min(ow, ceilDiv(w + pad - kj, st)));
        int q = q0, end = q0 + len;
        while (q < end) {
            int oy = q / ow, ox = q - oy * ow;
            int run = Math.min(ow - ox, end - q);
            int iy = oy * st - pad + ki;
            if (iy < 0 || iy >= h) {
                Arrays.fill(dst, at, at + run, 0f);
            } else {
                int a = Math.min(Math.max(ox, lo), ox + run), b = Math.max(a, Math.min(ox + run, hi));
                if (a > ox) Arrays.fill(dst, at, at + a - ox, 0f);
                long src = plane + (long) iy * w + (long) a * st - pad + kj;
                int to = at + a - ox;
                if (st == 1) {
                    copy(x, src, dst, to, b - a);
                } else {
                    for (int i = 0; i < b - a; i++, src += st) dst[to + i] = x.getAtIndex(F, src);
                }
                if (b < ox + run) Arrays.fill(dst, at + b - ox, at + run, 0f);
            }
            q += run;
            at += run;
        }
    }

    /** dst[at .. at+n) = src[srcIdx .. srcIdx+n), whole vectors and one masked tail. */
    private static void copy(MemorySegment src, long srcIdx, float[] dst, int at, int n) {
        int j = 0;
        for (; j + V <= n; j += V) {
            FloatVector.fromMemorySegment(SPECIES, src, 4 * (srcIdx + j), NATIVE).intoArray(dst, at + j);
        }
        if (j < n) {
            VectorMask<Float> m = SPECIES.indexInRange(j, n);
            FloatVector.fromMemorySegment(SPECIES, src, 4 * (srcIdx + j), NATIVE, m).intoArray(dst, at + j, m);
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
