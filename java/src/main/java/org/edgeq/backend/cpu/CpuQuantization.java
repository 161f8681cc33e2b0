package org.edgeq.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.edgeq.quant.core.AffineParams;
import org.edgeq.quant.core.RangeFold;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.edgeq.backend.cpu.CpuElementwise.F;
import static org.edgeq.backend.cpu.CpuElementwise.NATIVE;

/**
 * Fake-quantization kernels (quantize-dequantize, straight-through and LSQ backward) and min/max reductions for
 * calibration, in fixed blocks so that every result is independent of the thread count.
 *
 * <p>Rounding uses the float "magic number" trick: (v + 1.5 * 2^23) - 1.5 * 2^23 rounds half to even in the
 * default IEEE mode, exactly like {@link Math#rint}, for |v| below 2^22. Beyond that it is not rint, but it is
 * monotone in v and lands beyond 2^22 as well, far outside any code range (|code| <= 2^17), so after clamping the
 * code is the same as with rint; infinities clamp, NaN stays NaN. Clamps are compare-and-blend rather than
 * min/max, whose Java semantics (NaN, signed zeros) cost extra instructions per vector.
 */
final class CpuQuantization {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    private static final float MAGIC = 0x1.8p23f;
    private static final int BLOCK = CpuElementwise.BLOCK;

    private final WorkerPool pool;

    CpuQuantization(WorkerPool pool) {
        this.pool = pool;
    }

    /** rint(v) for |v| < 2^22, as the vector path computes it (never -0); monotone beyond. */
    private static float round(float v) {
        return (v + MAGIC) - MAGIC;
    }

    // ---- per-range kernels (lo = qmin - z, hi = qmax - z, codes relative to the zero point) ----

    /** y = clamp(rint(x * (1 / s)), lo, hi) * s over [from, to). */
    static void quantizeRange(MemorySegment x, MemorySegment y, int from, int to, float s, float lo, float hi) {
        FloatVector sv = FloatVector.broadcast(FS, s), inv = FloatVector.broadcast(FS, 1f / s), lov = FloatVector.broadcast(FS, lo), hiv = FloatVector.broadcast(FS, hi);
        FloatVector magic = FloatVector.broadcast(FS, MAGIC);
        int i = from;
        for (int end = from + FS.loopBound(to - from); i < end; i += FS.length()) {
            FloatVector r = FloatVector.fromMemorySegment(FS, x, 4L * i, NATIVE).mul(inv).add(magic).sub(magic);
            r = r.blend(lov, r.compare(VectorOperators.LT, lov));
            r = r.blend(hiv, r.compare(VectorOperators.GT, hiv));
            r.mul(sv).intoMemorySegment(y, 4L * i, NATIVE);
        }
        for (; i < to; i++) {
            float r = round(x.getAtIndex(F, i) * (1f / s));
            y.setAtIndex(F, i, (r < lo ? lo : r > hi ? hi : r) * s);
        }
    }

    /** dx = dy where lo <= rint(x * (1 / s)) <= hi, else 0, over [from, to). */
    static void steRange(MemorySegment x, MemorySegment dy, MemorySegment dx, int from, int to, float s, float lo, float hi) {
        FloatVector sv = FloatVector.broadcast(FS, s), inv = FloatVector.broadcast(FS, 1f / s), lov = FloatVector.broadcast(FS, lo), hiv = FloatVector.broadcast(FS, hi);
        FloatVector magic = FloatVector.broadcast(FS, MAGIC), zero = FloatVector.zero(FS);
        int i = from;
        for (int end = from + FS.loopBound(to - from); i < end; i += FS.length()) {
            FloatVector r = FloatVector.fromMemorySegment(FS, x, 4L * i, NATIVE).mul(inv).add(magic).sub(magic);
            VectorMask<Float> in = r.compare(VectorOperators.GE, lov).and(r.compare(VectorOperators.LE, hiv));
            FloatVector g = FloatVector.fromMemorySegment(FS, dy, 4L * i, NATIVE);
            zero.blend(g, in).intoMemorySegment(dx, 4L * i, NATIVE);
        }
        for (; i < to; i++) {
            float r = round(x.getAtIndex(F, i) * (1f / s));
            dx.setAtIndex(F, i, r >= lo && r <= hi ? dy.getAtIndex(F, i) : 0f);
        }
    }

    /**
     * Straight-through dx (skipped when dx is null) and sum of dy * dy/ds over [from, to), in double: dy/ds is
     * r - x * (1 / s) in range, lo below and hi above.
     */
    static double lsqRange(MemorySegment x, MemorySegment dy, MemorySegment dx, int from, int to, float s, float lo, float hi) {
        // Float lanes as many as the double lanes, so that products are summed in double without a shuffle.
        VectorSpecies<Float> hs = CpuElementwise.FS_HALF;
        VectorSpecies<Double> ds2 = CpuElementwise.DS;
        FloatVector inv = FloatVector.broadcast(hs, 1f / s), lov = FloatVector.broadcast(hs, lo), hiv = FloatVector.broadcast(hs, hi);
        FloatVector magic = FloatVector.broadcast(hs, MAGIC), zero = FloatVector.zero(hs);
        DoubleVector acc = DoubleVector.zero(ds2);
        int i = from;
        for (int end = from + hs.loopBound(to - from); i < end; i += hs.length()) {
            FloatVector v = FloatVector.fromMemorySegment(hs, x, 4L * i, NATIVE).mul(inv);
            FloatVector r = v.add(magic).sub(magic);
            VectorMask<Float> below = r.compare(VectorOperators.LT, lov), above = r.compare(VectorOperators.GT, hiv);
            VectorMask<Float> in = r.compare(VectorOperators.GE, lov).and(r.compare(VectorOperators.LE, hiv));
            FloatVector slope = zero.blend(r.sub(v), in).blend(lov, below).blend(hiv, above); // NaN: none of the three, 0
            FloatVector g = FloatVector.fromMemorySegment(hs, dy, 4L * i, NATIVE);
            if (dx != null) zero.blend(g, in).intoMemorySegment(dx, 4L * i, NATIVE);
            DoubleVector gd = (DoubleVector) g.convertShape(VectorOperators.F2D, ds2, 0);
            acc = gd.fma((DoubleVector) slope.convertShape(VectorOperators.F2D, ds2, 0), acc);
        }
        double sum = Lanes.sum(acc);
        for (; i < to; i++) {
            float v = x.getAtIndex(F, i) * (1f / s);
            float r = round(v);
            float g = dy.getAtIndex(F, i);
            float ds;
            boolean in = false;
            if (r < lo) {
                ds = lo;
            } else if (r > hi) {
                ds = hi;
            } else if (r == r) {
                ds = r - v;
                in = true;
            } else {
                ds = 0f; // NaN input: no gradient
            }
            if (dx != null) dx.setAtIndex(F, i, in ? g : 0f);
            sum += (double) g * ds;
        }
        return sum;
    }

    // ---- whole-tensor entry points ----

    private void forBlocks(int n, WorkerPool.RangeTask body) {
        int blocks = (n + BLOCK - 1) / BLOCK;
        pool.parallelFor(blocks, 1, (b0, b1) -> body.run(b0 * BLOCK, (int) Math.min(n, (long) b1 * BLOCK)));
    }

    void fakeQuantize(MemorySegment x, MemorySegment y, int n, float s, int z, int qmin, int qmax) {
        float lo = qmin - z, hi = qmax - z;
        forBlocks(n, (from, to) -> quantizeRange(x, y, from, to, s, lo, hi));
    }

    void fakeQuantizeBackward(MemorySegment x, MemorySegment dy, MemorySegment dx, int n, float s, int z, int qmin, int qmax) {
        float lo = qmin - z, hi = qmax - z;
        forBlocks(n, (from, to) -> steRange(x, dy, dx, from, to, s, lo, hi));
    }

    double lsqBackward(MemorySegment x, MemorySegment dy, MemorySegment dx, int n, float s, int z, int qmin, int qmax) {
        float lo = qmin - z, hi = qmax - z;
        int blocks = (n + BLOCK - 1) / BLOCK;
        if (blocks == 0) return 0;
        double[] partial = new double[blocks];
        pool.parallelFor(blocks, 1, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                partial[b] = lsqRange(x, dy, dx, b * BLOCK, (int) Math.min(n, (long) (b + 1) * BLOCK), s, lo, hi);
            }
        });
        double total = 0;
        for (double p : partial) total += p;
        return total;
    }

    /** Channels per parallel chunk so that a chunk holds about one block of elements. */
    private static int channelGrain(int inner) {
        return Math.max(1, BLOCK / Math.max(1, inner));
    }

    void fakeQuantizePerChannel(MemorySegment x, MemorySegment y, int channels, int inner, MemorySegment scales,
                                MemorySegment zeroPoints, int qmin, int qmax) {
        pool.parallelFor(channels, channelGrain(inner), (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                float s = scales.getAtIndex(F, c);
                int z = zeroPoints.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, c);
                quantizeRange(x, y, c * inner, (c + 1) * inner, s, qmin - z, qmax - z);
            }
        });
    }

    void fakeQuantizePerChannelBackward(MemorySegment x, MemorySegment dy, MemorySegment dx, int channels, int inner,
                                        MemorySegment scales, MemorySegment zeroPoints, int qmin, int qmax) {
        pool.parallelFor(channels, channelGrain(inner), (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                float s = scales.getAtIndex(F, c);
                int z = zeroPoints.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, c);
                steRange(x, dy, dx, c * inner, (c + 1) * inner, s, qmin - z, qmax - z);
            }
        });
    }

    /**
     * foldExtremes, affineParams and fakeQuantizePerChannel fused per channel: each channel is folded, given its
     * scale and zero point and quantized while it is still in cache, with the three ops' arithmetic exactly.
     */
    void observeAndQuantizePerChannel(MemorySegment x, MemorySegment y, int channels, int inner, MemorySegment mins,
                                      MemorySegment maxs, RangeFold fold, float momentum, boolean first,
                                      MemorySegment scales, MemorySegment zeroPoints, int qmin, int qmax,
                                      boolean symmetric) {
        pool.parallelFor(channels, channelGrain(inner), (c0, c1) -> {
            float[] newest = new float[2];
            float[] range = new float[2];
            for (int c = c0; c < c1; c++) {
                minMaxRange(x, c * inner, (c + 1) * inner, newest, 0);
                foldChannel(mins, maxs, c, newest[0], newest[1], fold, momentum, first, range);
                affineChannel(mins, maxs, scales, zeroPoints, c, qmin, qmax, symmetric);
                float s = scales.getAtIndex(F, c);
                int z = zeroPoints.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, c);
                quantizeRange(x, y, c * inner, (c + 1) * inner, s, qmin - z, qmax - z);
            }
        });
    }

    /**
     * Backend.foldExtremes: the extremes of x (the whole tensor in parallel blocks when there is one channel, else
     * per channel) folded into each channel's running range by {@code fold}.
     */
    void foldExtremes(MemorySegment x, int n, int channels, MemorySegment mins, MemorySegment maxs, RangeFold fold,
                      float momentum, boolean first) {
        float[] newest = new float[2 * channels];
        if (channels == 1) {
            minMax(x, n, newest);
        } else {
            minMaxPerChannel(x, channels, n / channels, newest);
        }
        float[] range = new float[2];
        for (int c = 0; c < channels; c++) {
            foldChannel(mins, maxs, c, newest[2 * c], newest[2 * c + 1], fold, momentum, first, range);
        }
    }

    /** Folds channel c's newest extremes into its running range in mins / maxs; {@code range} is scratch. */
    private static void foldChannel(MemorySegment mins, MemorySegment maxs, int c, float newestMin, float newestMax,
                                    RangeFold fold, float momentum, boolean first, float[] range) {
        range[0] = mins.getAtIndex(F, c);
        range[1] = maxs.getAtIndex(F, c);
        fold.fold(range, 0, newestMin, newestMax, first, momentum);
        mins.setAtIndex(F, c, range[0]);
        maxs.setAtIndex(F, c, range[1]);
    }

    /** scales[c] and zeroPoints[c] for the range [mins[c], maxs[c]] by AffineParams' rule (Backend.affineParams). */
    static void affineChannel(MemorySegment mins, MemorySegment maxs, MemorySegment scales, MemorySegment zeroPoints,
                              int c, int qmin, int qmax, boolean symmetric) {
        float lo = mins.getAtIndex(F, c);
        float s = AffineParams.scale(lo, maxs.getAtIndex(F, c), qmin, qmax, symmetric);
        scales.setAtIndex(F, c, s);
        zeroPoints.setAtIndex(ValueLayout.JAVA_INT_UNALIGNED, c, AffineParams.zeroPoint(lo, s, qmin, qmax, symmetric));
    }

    void lsqBackwardPerChannel(MemorySegment x, MemorySegment dy, MemorySegment dx, int channels, int inner,
                               MemorySegment scales, MemorySegment zeroPoints, int qmin, int qmax, float gradScale,
                               MemorySegment dScales) {
        pool.parallelFor(channels, channelGrain(inner), (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                float s = scales.getAtIndex(F, c);
                int z = zeroPoints.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, c);
                double sum = lsqRange(x, dy, dx, c * inner, (c + 1) * inner, s, qmin - z, qmax - z);
                dScales.setAtIndex(F, c, (float) (gradScale * sum));
            }
        });
    }

    // ---- min / max ----

    /** {min, max} of [from, to); NaN when a NaN is present. */
    /**
     * A float's bits as an int whose signed order is the float's total order (-0 below +0, positive NaNs above +inf,
     * negative ones below -inf): what lets integer min and max, one instruction each, stand in for Java's float
     * min and max, which take several dependent instructions a vector.
     */
    private static int sortable(int bits) {
        return bits ^ ((bits >> 31) >>> 1);
    }

    private static final int SORTABLE_PLUS_INF = sortable(Float.floatToRawIntBits(Float.POSITIVE_INFINITY));
    private static final int SORTABLE_MINUS_INF = sortable(Float.floatToRawIntBits(Float.NEGATIVE_INFINITY));

    /** {min, max} of [from, to) as Java's Math.min and Math.max give them; NaN in both when a NaN is present. */
    private static void minMaxRange(MemorySegment x, int from, int to, float[] out, int at) {
        int lo = SORTABLE_PLUS_INF, hi = SORTABLE_MINUS_INF;
        int i = from;
        int lanes = IS.length();
        if (to - from >= lanes) {
            IntVector lo0 = IntVector.broadcast(IS, lo), hi0 = IntVector.broadcast(IS, hi), lo1 = lo0, hi1 = hi0;
            for (int end = from + (to - from) / (2 * lanes) * (2 * lanes); i < end; i += 2 * lanes) {
                IntVector v0 = sortable(IntVector.fromMemorySegment(IS, x, 4L * i, NATIVE));
                IntVector v1 = sortable(IntVector.fromMemorySegment(IS, x, 4L * (i + lanes), NATIVE));
                lo0 = lo0.min(v0);
                hi0 = hi0.max(v0);
                lo1 = lo1.min(v1);
                hi1 = hi1.max(v1);
            }
            for (int end = from + IS.loopBound(to - from); i < end; i += lanes) {
                IntVector v = sortable(IntVector.fromMemorySegment(IS, x, 4L * i, NATIVE));
                lo0 = lo0.min(v);
                hi0 = hi0.max(v);
            }
            lo = lo0.min(lo1).reduceLanes(VectorOperators.MIN);
            hi = hi0.max(hi1).reduceLanes(VectorOperators.MAX);
        }
        for (; i < to; i++) {
            int v = sortable(x.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i));
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (hi > SORTABLE_PLUS_INF || lo < SORTABLE_MINUS_INF) { // a NaN: it wins both, as in Math.min and Math.max
            out[at] = Float.NaN;
            out[at + 1] = Float.NaN;
        } else {
            out[at] = Float.intBitsToFloat(sortable(lo)); // the mapping is its own inverse
            out[at + 1] = Float.intBitsToFloat(sortable(hi));
        }
    }

    private static IntVector sortable(IntVector bits) {
        return bits.lanewise(VectorOperators.XOR, bits.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.LSHR, 1));
    }

    void minMax(MemorySegment x, int n, float[] out) {
        int blocks = (n + BLOCK - 1) / BLOCK;
        float mn = Float.POSITIVE_INFINITY, mx = Float.NEGATIVE_INFINITY;
        if (blocks <= 1) {
            if (n > 0) {
                float[] one = new float[2];
                minMaxRange(x, 0, n, one, 0);
                mn = one[0];
                mx = one[1];
            }
        } else {
            float[] partial = new float[2 * blocks];
            pool.parallelFor(blocks, 1, (b0, b1) -> {
                for (int b = b0; b < b1; b++) minMaxRange(x, b * BLOCK, (int) Math.min(n, (long) (b + 1) * BLOCK), partial, 2 * b);
            });
            for (int b = 0; b < blocks; b++) {
                mn = Math.min(mn, partial[2 * b]);
                mx = Math.max(mx, partial[2 * b + 1]);
            }
        }
        out[0] = mn;
        out[1] = mx;
    }

    void minMaxPerChannel(MemorySegment x, int channels, int inner, MemorySegment mins, MemorySegment maxs) {
        float[] out = new float[2 * channels];
        minMaxPerChannel(x, channels, inner, out);
        for (int c = 0; c < channels; c++) {
            mins.setAtIndex(F, c, out[2 * c]);
            maxs.setAtIndex(F, c, out[2 * c + 1]);
        }
    }

    /** {@link #minMaxPerChannel} into {@code out[2c]} (minimum) and {@code out[2c + 1]} (maximum). */
    void minMaxPerChannel(MemorySegment x, int channels, int inner, float[] out) {
        pool.parallelFor(channels, channelGrain(inner), (c0, c1) -> {
            for (int c = c0; c < c1; c++) minMaxRange(x, c * inner, (c + 1) * inner, out, 2 * c);
        });
    }
}
