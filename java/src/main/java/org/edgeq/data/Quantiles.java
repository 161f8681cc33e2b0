package org.edgeq.data;

import java.util.Arrays;

/**
 * Sample quantiles by linear interpolation between order statistics: numpy.quantile's default method 'linear', which
 * is also what pandas' {@code Series.quantile} computes (the seed trimmed California's target with it).
 */
public final class Quantiles {
    private Quantiles() {
    }

    /**
     * The {@code q}-quantile of {@code values}: with the values sorted as s and h = q * (n - 1), s[floor(h)] plus the
     * fraction h - floor(h) of the way to the next order statistic. Computed as numpy does it (from the upper
     * neighbour once the fraction reaches one half), so ties give their value exactly.
     *
     * @throws IllegalArgumentException for no values, a NaN among them, or q outside [0, 1]
     */
    public static double linear(double[] values, double q) {
        if (values.length == 0) throw new IllegalArgumentException("the quantile of no values is undefined");
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("quantile " + q + " outside [0, 1]");
        double[] s = values.clone();
        Arrays.sort(s);
        if (Double.isNaN(s[s.length - 1])) throw new IllegalArgumentException("cannot take a quantile of values holding NaN");
        double h = q * (s.length - 1);
        int below = (int) Math.floor(h);
        if (below >= s.length - 1) return s[s.length - 1];
        double a = s[below];
        double b = s[below + 1];
        double t = h - below;
        double diff = b - a;
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
    }
}
