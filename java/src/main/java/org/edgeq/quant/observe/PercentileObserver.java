package org.edgeq.quant.observe;

import java.util.Arrays;

import org.edgeq.quant.core.Granularity;

/**
 * Clips at percentiles instead of the extremes, so a few outliers do not stretch the grid: per batch it takes the
 * (100 − p)-th and p-th percentiles (linear interpolation, numpy's default) of each channel, and the range is the
 * mean of those over all batches observed.
 */
public final class PercentileObserver implements Observer {
    private final Granularity granularity;
    private final double percentile;
    private double[] minSum;
    private double[] maxSum;
    private int batches;

    /** @param percentile upper percentile in [50, 100], e.g. 99.99 (the lower one is 100 − percentile) */
    public PercentileObserver(Granularity granularity, double percentile) {
        if (!(percentile >= 50 && percentile <= 100)) throw new IllegalArgumentException("percentile must be in [50, 100], got " + percentile);
        this.granularity = granularity;
        this.percentile = percentile;
    }

    public double percentile() {
        return percentile;
    }

    @Override
    public Granularity granularity() {
        return granularity;
    }

    @Override
    public void observe(float[] values, int[] shape) {
        int channels = Observer.channels(granularity, values, shape);
        if (minSum == null) {
            minSum = new double[channels];
            maxSum = new double[channels];
        }
        ExtremesObserver.checkChannels(minSum.length, channels);
        int inner = values.length / channels;
        float[] block = new float[inner];
        for (int c = 0; c < channels; c++) {
            System.arraycopy(values, c * inner, block, 0, inner);
            Arrays.sort(block);
            minSum[c] += linearPercentile(block, 100 - percentile);
            maxSum[c] += linearPercentile(block, percentile);
        }
        batches++;
    }

    @Override
    public QuantRange range() {
        if (batches == 0) throw new IllegalStateException("percentile observer has observed nothing");
        float[] mn = new float[minSum.length];
        float[] mx = new float[minSum.length];
        for (int c = 0; c < mn.length; c++) {
            mn[c] = (float) (minSum[c] / batches);
            mx[c] = (float) (maxSum[c] / batches);
        }
        return new QuantRange(mn, mx);
    }

    @Override
    public Observer fresh() {
        return new PercentileObserver(granularity, percentile);
    }

    /** numpy.percentile(sorted, q) with linear interpolation between the closest ranks. */
    static double linearPercentile(float[] sorted, double q) {
        double pos = q / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        double frac = pos - lo;
        return sorted[lo] + (sorted[hi] - (double) sorted[lo]) * frac;
    }
}
