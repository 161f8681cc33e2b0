package org.edgeq.quant.observe;

import org.edgeq.quant.core.AffineParams;
import org.edgeq.quant.core.Granularity;

/**
 * Picks the clipping range that minimises the mean squared quantization error of what it observed: it keeps a
 * histogram per channel ({@value #BINS} bins over the running min-max range) and tries ranges shrunk from the
 * min-max one by factors α = k/{@value #STEPS}, k = 1..{@value #STEPS} (symmetric: [−α·m, α·m] with m = max|x|;
 * asymmetric: [α·min, α·max]), scoring each by the error of quantizing every bin centre, clipped values included.
 * The histogram makes the score exact up to half a bin width.
 */
public final class MseObserver implements Observer {
    static final int BINS = 2048;
    static final int STEPS = 100;

    private final Granularity granularity;
    private final int bits;
    private final boolean symmetric;
    private float[] lo;
    private float[] hi;
    private double[][] counts;

    /** @param bits and symmetric the integer format the range is optimised for */
    public MseObserver(Granularity granularity, int bits, boolean symmetric) {
        AffineParams.forRange(-1, 1, bits, symmetric);
        this.granularity = granularity;
        this.bits = bits;
        this.symmetric = symmetric;
    }

    public int bits() {
        return bits;
    }

    public boolean symmetric() {
        return symmetric;
    }

    @Override
    public Granularity granularity() {
        return granularity;
    }

    @Override
    public void observe(float[] values, int[] shape) {
        int channels = Observer.channels(granularity, values, shape);
        float[][] mm = ExtremesObserver.batchMinMax(values, channels);
        if (counts == null) {
            lo = mm[0];
            hi = mm[1];
            counts = new double[channels][BINS];
        } else {
            ExtremesObserver.checkChannels(counts.length, channels);
            for (int c = 0; c < channels; c++) widen(c, Math.min(lo[c], mm[0][c]), Math.max(hi[c], mm[1][c]));
        }
        int inner = values.length / channels;
        for (int c = 0; c < channels; c++) {
            for (int i = c * inner, end = i + inner; i < end; i++) counts[c][bin(c, values[i])]++;
        }
    }

    private int bin(int c, float v) {
        float width = hi[c] - lo[c];
        if (!(width > 0)) return 0;
        int b = (int) ((v - lo[c]) / width * BINS);
        return Math.max(0, Math.min(BINS - 1, b));
    }

    private double centre(int c, int b) {
        double width = ((double) hi[c] - lo[c]) / BINS;
        return lo[c] + (b + 0.5) * width;
    }

    /** Re-spreads the counts of channel c over a wider range, each old bin moving to the bin holding its centre. */
    private void widen(int c, float newLo, float newHi) {
        if (newLo == lo[c] && newHi == hi[c]) return;
        double[] old = counts[c];
        double[] centres = new double[BINS];
        for (int b = 0; b < BINS; b++) centres[b] = centre(c, b);
        lo[c] = newLo;
        hi[c] = newHi;
        double[] fresh = new double[BINS];
        for (int b = 0; b < BINS; b++) if (old[b] != 0) fresh[bin(c, (float) centres[b])] += old[b];
        counts[c] = fresh;
    }

    @Override
    public QuantRange range() {
        if (counts == null) throw new IllegalStateException("MSE observer has observed nothing");
        float[] mn = new float[counts.length];
        float[] mx = new float[counts.length];
        for (int c = 0; c < counts.length; c++) {
            float bestLo = lo[c];
            float bestHi = hi[c];
            double bestErr = Double.POSITIVE_INFINITY;
            float m = Math.max(Math.abs(lo[c]), Math.abs(hi[c]));
            for (int k = STEPS; k >= 1; k--) {
                float alpha = (float) k / STEPS;
                float cLo = symmetric ? -alpha * m : alpha * lo[c];
                float cHi = symmetric ? alpha * m : alpha * hi[c];
                double err = error(c, AffineParams.forRange(cLo, cHi, bits, symmetric));
                if (err < bestErr) {
                    bestErr = err;
                    bestLo = cLo;
                    bestHi = cHi;
                }
            }
            mn[c] = bestLo;
            mx[c] = bestHi;
        }
        return new QuantRange(mn, mx);
    }

    private double error(int c, AffineParams p) {
        double err = 0;
        double[] h = counts[c];
        for (int b = 0; b < BINS; b++) {
            if (h[b] == 0) continue;
            double x = centre(c, b);
            double d = x - p.fakeQuantize((float) x);
            err += h[b] * d * d;
        }
        return err;
    }

    @Override
    public Observer fresh() {
        return new MseObserver(granularity, bits, symmetric);
    }
}
