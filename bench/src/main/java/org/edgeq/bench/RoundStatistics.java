package org.edgeq.bench;

import java.util.Arrays;

/** Medians and quartiles of per-round figures, for the paired (non-JMH) benchmarks. */
final class RoundStatistics {
    private RoundStatistics() {
    }

    static double median(double[] x) {
        return quantile(x, 0.5);
    }

    /** The element at rank round(q · (n − 1)) of the sorted values (no interpolation). */
    static double quantile(double[] x, double q) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s[(int) Math.round(q * (s.length - 1))];
    }
}
