package org.edgeq.quant.observe;

import java.util.Arrays;

import org.edgeq.quant.Granularity;

/** The running minimum and maximum of everything observed (PyTorch's MinMaxObserver / PerChannelMinMaxObserver). */
public final class MinMaxObserver implements Observer {
    private final Granularity granularity;
    private float[] min;
    private float[] max;

    public MinMaxObserver(Granularity granularity) {
        this.granularity = granularity;
    }

    @Override
    public Granularity granularity() {
        return granularity;
    }

    @Override
    public void observe(float[] values, int[] shape) {
        int channels = Observer.channels(granularity, values, shape);
        float[][] mm = batchMinMax(values, channels);
        if (min == null) {
            min = mm[0];
            max = mm[1];
            return;
        }
        checkChannels(min.length, channels);
        for (int c = 0; c < channels; c++) {
            min[c] = Math.min(min[c], mm[0][c]);
            max[c] = Math.max(max[c], mm[1][c]);
        }
    }

    @Override
    public QuantRange range() {
        if (min == null) throw new IllegalStateException("min-max observer has observed nothing");
        return new QuantRange(min, max);
    }

    @Override
    public Observer fresh() {
        return new MinMaxObserver(granularity);
    }

    /** Per-channel minima and maxima of one tensor (channels own consecutive, equal blocks). */
    static float[][] batchMinMax(float[] values, int channels) {
        int inner = values.length / channels;
        float[] mn = new float[channels];
        float[] mx = new float[channels];
        Arrays.fill(mn, Float.POSITIVE_INFINITY);
        Arrays.fill(mx, Float.NEGATIVE_INFINITY);
        for (int c = 0; c < channels; c++) {
            for (int i = c * inner, end = i + inner; i < end; i++) {
                float v = values[i];
                if (Float.isNaN(v)) throw new IllegalArgumentException("observed NaN at element " + i);
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
