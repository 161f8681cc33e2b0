package org.edgeq.metrics;

/**
 * Streams (prediction, target) pairs batch by batch and yields MSE and R² at the end without keeping the
 * predictions; sums are kept in double, and R²'s total sum of squares uses Welford's update so that targets with a
 * large mean do not cancel.
 */
public final class RegressionAccumulator {
    private long count;
    private double sumSquaredError;
    private double mean;
    private double m2;

    public void reset() {
        count = 0;
        sumSquaredError = 0;
        mean = 0;
        m2 = 0;
    }

    /** Adds {@code n} pairs: predicted[i] against targets[targetOffset + i]. */
    public void add(float[] predicted, float[] targets, int targetOffset, int n) {
        for (int i = 0; i < n; i++) {
            double t = targets[targetOffset + i];
            double e = predicted[i] - t;
            sumSquaredError += e * e;
            count++;
            double delta = t - mean;
            mean += delta / count;
            m2 += delta * (t - mean);
        }
    }

    public long count() {
        return count;
    }

    public double meanSquaredError() {
        return count == 0 ? Double.NaN : sumSquaredError / count;
    }

    /** 1 - SS_res / SS_tot; NaN for fewer than two samples or constant targets. */
    public double r2() {
        if (count < 2 || m2 == 0) return Double.NaN;
        return 1.0 - sumSquaredError / m2;
    }
}
