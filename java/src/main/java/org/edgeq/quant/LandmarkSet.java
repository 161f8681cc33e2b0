package org.edgeq.quant;

import java.util.Arrays;

/**
 * A sorted set of landmark values (the seed's "quantization set") that rounding maps weights onto, with the seed's
 * builders. Builders compute in double, as the seed's numpy code, and store the landmarks as floats; duplicate
 * landmarks (a constant tensor) are kept so that every set built at p bits has exactly its nominal size.
 */
public final class LandmarkSet {
    private final float[] points;
    private final int bits;

    /** A set of {@code points} (sorted here) standing for a {@code bits}-bit code. */
    public LandmarkSet(float[] points, int bits) {
        if (points.length == 0) throw new IllegalArgumentException("a landmark set needs at least one point");
        if (points.length > (1L << bits)) throw new IllegalArgumentException(points.length + " landmarks do not fit " + bits + " bits");
        for (float p : points) if (!Float.isFinite(p)) throw new IllegalArgumentException("landmarks must be finite, got " + p);
        this.points = points.clone();
        Arrays.sort(this.points);
        this.bits = bits;
    }

    /** A copy of the landmarks, ascending. */
    public float[] points() {
        return points.clone();
    }

    public float point(int index) {
        return points[index];
    }

    public int size() {
        return points.length;
    }

    public int bits() {
        return bits;
    }

    // ---- builders (DESIGN.md §4) ----

    /** uniform_range: linspace(min, max, 2^p). */
    public static LandmarkSet uniform(float[] values, int bits) {
        double[] mm = minMax(values);
        return new LandmarkSet(linspace(mm[0], mm[1], levels(bits)), bits);
    }

    /** uniform_range_IQR: linspace(Q1 − 1.5·IQR, Q3 + 1.5·IQR, 2^p), quartiles by numpy's midpoint percentile. */
    public static LandmarkSet iqr(float[] values, int bits) {
        double[] sorted = sortedCopy(values);
        double q1 = midpointPercentile(sorted, 25);
        double q3 = midpointPercentile(sorted, 75);
        double iqr = q3 - q1;
        return new LandmarkSet(linspace(q1 - 1.5 * iqr, q3 + 1.5 * iqr, levels(bits)), bits);
    }

    /** histogram: the centres of 2^p equal-width bins over [min, max]. */
    public static LandmarkSet histogram(float[] values, int bits) {
        double[] mm = minMax(values);
        int n = levels(bits);
        double width = (mm[1] - mm[0]) / n;
        float[] centres = new float[n];
        for (int i = 0; i < n; i++) {
            double lo = mm[0] + i * width;
            double hi = i == n - 1 ? mm[1] : mm[0] + (i + 1) * width;
            centres[i] = (float) ((lo + hi) / 2);
        }
        return new LandmarkSet(centres, bits);
    }

    /**
     * prior_normal: the normal quantiles (mean and population standard deviation of the values, numpy's default
     * ddof = 0) at linspace(0, 1, 2^p) without its first and last point (which are ±∞), plus min and max.
     * At p = 1 it is just {min, max}.
     */
    public static LandmarkSet normal(float[] values, int bits) {
        double[] mm = minMax(values);
        double mean = 0;
        for (float v : values) mean += v;
        mean /= values.length;
        double var = 0;
        for (float v : values) var += (v - mean) * (v - mean);
        double std = Math.sqrt(var / values.length);
        int n = levels(bits);
        float[] pts = new float[n];
        pts[0] = (float) mm[0];
        pts[n - 1] = (float) mm[1];
        for (int i = 1; i < n - 1; i++) {
            double q = (double) i / (n - 1);
            pts[i] = (float) (mean + std * NormalQuantile.of(q));
        }
        return new LandmarkSet(pts, bits);
    }

    /**
     * A plain integer grid. Symmetric: s·k for k in [−(2^(p−1) − 1), 2^(p−1) − 1] with s = max|w| / (2^(p−1) − 1)
     * (2^p − 1 landmarks, zero exact; needs p ≥ 2). Asymmetric: s·(k − z) for k in [0, 2^p − 1] with
     * s = (max − min) / (2^p − 1) and z = round(−min / s) clamped to the code range (the range always includes 0).
     */
    public static LandmarkSet intGrid(boolean symmetric, float[] values, int bits) {
        AffineParams params = AffineParams.forRange(minMaxFloat(values, 0), minMaxFloat(values, 1), bits, symmetric);
        int lo = params.codeMin();
        int hi = params.codeMax();
        float[] pts = new float[hi - lo + 1];
        for (int k = lo; k <= hi; k++) pts[k - lo] = params.scale() * (k - params.zeroPoint());
        return new LandmarkSet(pts, bits);
    }

    // ---- rounding ----

    /** Index of the landmark nearest to {@code v} (ties to the lower; below or above the set clamps to an end). */
    public int nearest(float v) {
        int above = ceilingIndex(v);
        if (above == 0) return 0;
        if (above == points.length) return points.length - 1;
        int below = above - 1;
        return (v - points[below]) <= (points[above] - v) ? below : above;
    }

    /**
     * Index of the landmark just below or just above {@code v}: above with probability (v − below)/(above − below),
     * decided by comparing the uniform draw {@code u} in [0, 1) with that probability. Exact landmarks and values
     * outside the set never move.
     */
    public int stochastic(float v, float u) {
        int above = ceilingIndex(v);
        if (above == 0) return 0;
        if (above == points.length) return points.length - 1;
        if (points[above] == v) return above;
        int below = above - 1;
        double pUp = ((double) v - points[below]) / ((double) points[above] - points[below]);
        return u < pUp ? above : below;
    }

    /** First index whose landmark is ≥ v (size() if none). */
    private int ceilingIndex(float v) {
        int lo = 0;
        int hi = points.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (points[mid] < v) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    // ---- helpers ----

    static int levels(int bits) {
        WeightQuantizer.checkBits(bits, 1, 16);
        return 1 << bits;
    }

    /** numpy.linspace(lo, hi, n) rounded to floats: the last point is hi exactly. */
    static float[] linspace(double lo, double hi, int n) {
        float[] out = new float[n];
        if (n == 1) {
            out[0] = (float) lo;
            return out;
        }
        double step = (hi - lo) / (n - 1);
        for (int i = 0; i < n; i++) out[i] = (float) (lo + i * step);
        out[n - 1] = (float) hi;
        return out;
    }

    /** numpy.percentile(values, q, interpolation='midpoint') over an ascending array. */
    static double midpointPercentile(double[] sorted, double q) {
        double pos = q / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return (sorted[lo] + sorted[hi]) / 2;
    }

    static double[] sortedCopy(float[] values) {
        requireValues(values);
        double[] s = new double[values.length];
        for (int i = 0; i < s.length; i++) s[i] = values[i];
        Arrays.sort(s);
        return s;
    }

    static double[] minMax(float[] values) {
        return new double[]{minMaxFloat(values, 0), minMaxFloat(values, 1)};
    }

    private static float minMaxFloat(float[] values, int which) {
        requireValues(values);
        float mn = Float.POSITIVE_INFINITY;
        float mx = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            if (!Float.isFinite(v)) throw new IllegalArgumentException("cannot quantize non-finite value " + v);
            mn = Math.min(mn, v);
            mx = Math.max(mx, v);
        }
        return which == 0 ? mn : mx;
    }

    private static void requireValues(float[] values) {
        if (values.length == 0) throw new IllegalArgumentException("cannot build a landmark set from no values");
    }

    @Override
    public String toString() {
        return "LandmarkSet" + Arrays.toString(points);
    }
}
