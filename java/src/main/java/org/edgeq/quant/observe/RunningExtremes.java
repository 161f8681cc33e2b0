package org.edgeq.quant.observe;

import java.util.Arrays;

/**
 * Per-channel minima and maxima carried across observed tensors, the bookkeeping the min-max observers share: the
 * first tensor sets them, each later one is folded in by the observer's rule (keep the extremes, or move toward the
 * newest batch's).
 */
final class RunningExtremes {

    /** How a channel's running bound takes in the same bound of the newest tensor. */
    @FunctionalInterface
    interface Fold {
        float apply(float running, float batch);
    }

    private final Fold lower;
    private final Fold upper;
    private float[] min;
    private float[] max;

    RunningExtremes(Fold lower, Fold upper) {
        this.lower = lower;
        this.upper = upper;
    }

    /** Folds in one tensor whose {@code channels} own consecutive, equal blocks of {@code values}. */
    void observe(float[] values, int channels) {
        float[][] mm = batchMinMax(values, channels);
        if (min == null) {
            min = mm[0];
            max = mm[1];
            return;
        }
        checkChannels(min.length, channels);
        for (int c = 0; c < channels; c++) {
            min[c] = lower.apply(min[c], mm[0][c]);
            max[c] = upper.apply(max[c], mm[1][c]);
        }
    }

    /** The range so far; {@code observer} names the observer in the failure when nothing was observed. */
    QuantRange range(String observer) {
        if (min == null) throw new IllegalStateException(observer + " observer has observed nothing");
        return new QuantRange(min, max);
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
