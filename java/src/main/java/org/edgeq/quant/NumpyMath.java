package org.edgeq.quant;

/**
 * The numpy 1.24 arithmetic the seed's quantizers and scipy's binning depend on, reproduced with numpy's dtypes
 * (a float32 array op a Python float stays float32; scalar op scalar goes to float64): midpoint percentiles,
 * histogram bin edges and {@code np.around}.
 */
final class NumpyMath {
    private static final double[] SMALL_POWERS = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};

    private NumpyMath() {
    }

    /**
     * {@code np.percentile(a, 100·q, method='midpoint')} of float32 values already sorted ascending: the value at
     * index floor(q(n−1)) when q(n−1) is whole, else b − (b − a)·0.5 for the neighbours a ≤ b, with b − a rounded to
     * float32 first (numpy's lerp subtracts in the array's dtype) and the rest in double.
     */
    static double midpointPercentile(float[] sorted, double q) {
        int n = sorted.length;
        if (n == 0) throw new IllegalArgumentException("percentile of no values");
        double pos = q * (n - 1);
        double virtual = 0.5 * (Math.floor(pos) + Math.ceil(pos));
        if (virtual >= n - 1) return sorted[n - 1];
        int below = (int) Math.floor(virtual);
        float a = sorted[below];
        float b = sorted[below + 1];
        if (virtual == below) return a + (double) (b - a) * 0.0;
        return b - (double) (b - a) * 0.5;
    }

    /**
     * {@code np.histogram_bin_edges(a, bins)} for float32 values with minimum {@code min} and maximum {@code max}:
     * a width-0 range widens by ±0.5; then {@code np.linspace} in double (i·step + start, the last edge = max) and
     * each edge rounded to float32 (the array's dtype).
     */
    static float[] histogramEdges(float min, float max, int bins) {
        double first = min;
        double last = max;
        if (first == last) {
            first -= 0.5;
            last += 0.5;
        }
        float[] edges = new float[bins + 1];
        double delta = last - first;
        double step = delta / bins;
        for (int i = 0; i <= bins; i++) {
            double y = step == 0 ? i / (double) bins * delta : i * step;
            edges[i] = (float) (y + first);
        }
        edges[bins] = (float) last;
        return edges;
    }

    /** numpy's power_of_ten: a table up to 10^8, then repeated multiplication by 10 in double. */
    static double powerOfTen(int n) {
        if (n < SMALL_POWERS.length) return SMALL_POWERS[n];
        double r = 1e9;
        for (int k = n; k > 9; k--) r *= 10.0;
        return r;
    }

    /**
     * {@code np.around(x, decimals)} of an element of a float32 array: multiply (divide for negative decimals) by
     * 10^|decimals| in float32, round half to even, divide (multiply) back in float32. A power beyond float range
     * makes numpy compute in double and store float32.
     */
    static float aroundInArray(float x, int decimals) {
        double p = powerOfTen(Math.abs(decimals));
        if (p > Float.MAX_VALUE) return aroundScalar(x, decimals);
        float pf = (float) p;
        if (decimals >= 0) return (float) Math.rint(x * pf) / pf;
        return (float) Math.rint(x / pf) * pf;
    }

    /**
     * {@code np.around(s, decimals)} of a numpy float32 scalar: scalar op Python float runs in double, each step
     * stored back to float32.
     */
    static float aroundScalar(float x, int decimals) {
        double p = powerOfTen(Math.abs(decimals));
        if (decimals >= 0) {
            float t = (float) Math.rint((float) (x * p));
            return (float) (t / p);
        }
        float t = (float) Math.rint((float) (x / p));
        return (float) (t * p);
    }

    /** {@code np.log10} of a float32 scalar, in float32 (correctly rounded from double). */
    static float log10(float x) {
        return (float) Math.log10(x);
    }
}
