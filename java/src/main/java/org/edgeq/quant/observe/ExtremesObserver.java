package org.edgeq.quant.observe;

import java.util.Arrays;

import org.edgeq.quant.core.Granularity;
import org.edgeq.quant.core.RangeFold;

/**
 * An observer whose range is a fold of each tensor's per-channel minimum and maximum, so that whoever holds the
 * tensor (a backend, on its device) can compute those extremes and hand over only them: the family QAT's fake
 * quantizers use, and PTQ calibration's min-max and moving-average observers.
 *
 * <p>The first tensor sets the range; later ones fold into it by the subclass's rule. A channel whose extremes are
 * not finite (a diverging training step) is skipped and keeps its range, [0, 0] until a finite one arrives; the
 * trainer reports the divergence itself. Tensors handed over whole must be finite.
 */
public abstract sealed class ExtremesObserver implements Observer
        permits CurrentMinMaxObserver, MinMaxObserver, MovingAverageMinMaxObserver {
    private final Granularity granularity;
    private final String name;
    private float[] min;
    private float[] max;

    ExtremesObserver(Granularity granularity, String name) {
        this.granularity = granularity;
        this.name = name;
    }

    /** How this observer's range takes in each new tensor's extremes, on the host here or on a backend's device. */
    public abstract RangeFold fold();

    /** The moving-average weight of the newest tensor (ignored by the other folds). */
    public float momentum() {
        return 1f;
    }

    @Override
    public abstract ExtremesObserver fresh();

    @Override
    public final Granularity granularity() {
        return granularity;
    }

    @Override
    public final void observe(float[] values, int[] shape) {
        float[][] mm = batchMinMax(values, Observer.channels(granularity, values, shape));
        observeExtremes(mm[0], mm[1]);
    }

    /** Folds in one tensor's extremes, one per channel (one value each for per-tensor). */
    public final void observeExtremes(float[] batchMin, float[] batchMax) {
        if (batchMin.length != batchMax.length || batchMin.length == 0) {
            throw new IllegalArgumentException("extremes need equal, non-empty min and max arrays, got " + batchMin.length
                    + " and " + batchMax.length);
        }
        boolean first = min == null;
        if (first) {
            min = new float[batchMin.length];
            max = new float[batchMin.length];
        }
        checkChannels(min.length, batchMin.length);
        float[] range = new float[2];
        for (int c = 0; c < min.length; c++) {
            range[0] = min[c];
            range[1] = max[c];
            fold().fold(range, 0, batchMin[c], batchMax[c], first, momentum());
            min[c] = range[0];
            max[c] = range[1];
        }
    }

    /** The current lower bound of {@code channel} (no copy, for per-step callers); needs a tensor observed. */
    public final float min(int channel) {
        return observed().min[channel];
    }

    /** The current upper bound of {@code channel}; needs a tensor observed. */
    public final float max(int channel) {
        return observed().max[channel];
    }

    @Override
    public final QuantRange range() {
        return new QuantRange(observed().min, max);
    }

    private ExtremesObserver observed() {
        if (min == null) throw new IllegalStateException(name + " observer has observed nothing");
        return this;
    }

    /**
     * Per-channel minima and maxima of one tensor (channels own consecutive, equal blocks). NaN and infinities are
     * refused: a calibration tensor holding them has no range to quantize to.
     */
    static float[][] batchMinMax(float[] values, int channels) {
        int inner = values.length / channels;
        float[] mn = new float[channels];
        float[] mx = new float[channels];
        Arrays.fill(mn, Float.POSITIVE_INFINITY);
        Arrays.fill(mx, Float.NEGATIVE_INFINITY);
        for (int c = 0; c < channels; c++) {
            for (int i = c * inner, end = i + inner; i < end; i++) {
                float v = values[i];
                if (!Float.isFinite(v)) throw new IllegalArgumentException("observed " + v + " at element " + i);
                if (v < mn[c]) mn[c] = v;
                if (v > mx[c]) mx[c] = v;
            }
        }
        return new float[][]{mn, mx};
    }

    static void checkChannels(int expected, int got) {
        if (expected != got) throw new IllegalArgumentException("observer saw " + expected + " channels before, now " + got);
    }
}
