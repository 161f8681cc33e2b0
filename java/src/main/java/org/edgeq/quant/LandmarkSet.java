package org.edgeq.quant;

import org.edgeq.quant.core.AffineParams;
import org.edgeq.quant.core.IntegerGrid;

import java.util.Arrays;

/**
 * A landmark set (the seed's "unique values" / quantization set): the values a tensor is rounded onto, in their
 * stored order, with the seed's builders and the seed's two rounding rules.
 *
 * <p>The stored order matters: the seed bins between CONSECUTIVE stored entries and clamps to the first and last
 * stored entry, and its prior_normal set stores the normal quantiles first, then the minimum, then the maximum.
 * Entries are doubles because the seed's histogram and prior_normal sets are float64 tensors; a set also records
 * whether the seed holds it in float32 ({@code torch.linspace}, EdgeQ's integer grids) or float64, which decides
 * the arithmetic of its rounding midpoints. Rounded values end up in float32 parameters: {@link #floats()}.
 *
 * <p>Duplicates are kept (a constant tensor gives a set of equal entries), so every set built at p bits has its
 * nominal size.
 */
public final class LandmarkSet {
    private final double[] entries;
    private final int bits;
    private final boolean float32;
    private SeedRounding rounding;

    private LandmarkSet(double[] entries, int bits, boolean float32) {
        if (entries.length == 0) throw new IllegalArgumentException("a landmark set needs at least one entry");
        IntegerGrid.checkBits(bits, 1, 30);
        if (entries.length > (1L << bits)) throw new IllegalArgumentException(entries.length + " landmarks do not fit " + bits + " bits");
        for (double e : entries) if (!Double.isFinite(e)) throw new IllegalArgumentException("landmarks must be finite, got " + e);
        this.entries = entries;
        this.bits = bits;
        this.float32 = float32;
    }

    /** A set held in float32, in this order. */
    public static LandmarkSet ofFloats(float[] entries, int bits) {
        double[] d = new double[entries.length];
        for (int i = 0; i < d.length; i++) d[i] = entries[i];
        return new LandmarkSet(d, bits, true);
    }

    /** A set held in float64, in this order. */
    public static LandmarkSet ofDoubles(double[] entries, int bits) {
        return new LandmarkSet(entries.clone(), bits, false);
    }

    /** A copy of the entries in stored order. */
    public double[] entries() {
        return entries.clone();
    }

    public double entry(int index) {
        return entries[index];
    }

    /** The entries as a float32 parameter holds them (rounded to nearest), in stored order. */
    public float[] floats() {
        float[] f = new float[entries.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) entries[i];
        return f;
    }

    public int size() {
        return entries.length;
    }

    public int bits() {
        return bits;
    }

    /** Whether the seed holds this set in float32 (else float64). */
    public boolean isFloat32() {
        return float32;
    }

    // ---- builders (the seed's unique_value_generator) ----

    /** uniform_range: {@code torch.linspace(min, max, 2^p)} in float32. */
    public static LandmarkSet uniform(float[] values, int bits) {
        float[] mm = minMax(values);
        return ofFloats(TorchCpuMath.linspace(mm[0], mm[1], levels(bits)), bits);
    }

    /**
     * uniform_range_IQR: {@code torch.linspace(Q1 − 1.5·IQR, Q3 + 1.5·IQR, 2^p)} in float32, the quartiles by
     * numpy's midpoint percentile and the whiskers in double.
     */
    public static LandmarkSet iqr(float[] values, int bits) {
        double[] whiskers = iqrWhiskers(values);
        return ofFloats(TorchCpuMath.linspace(whiskers[0], whiskers[1], levels(bits)), bits);
    }

    /**
     * histogram: the centres of {@code np.histogram_bin_edges(values, 2^p)} (float32 edges; a width-0 range widens
     * to ±0.5), each the float32 sum of its two edges halved in double; a float64 set.
     */
    public static LandmarkSet histogram(float[] values, int bits) {
        float[] mm = minMax(values);
        int n = levels(bits);
        float[] edges = NumpyMath.histogramEdges(mm[0], mm[1], n);
        double[] centres = new double[n];
        for (int i = 0; i < n; i++) centres[i] = (double) (edges[i] + edges[i + 1]) / 2;
        return new LandmarkSet(centres, bits, false);
    }

    /**
     * The seed's prior_normal: {@code norm.ppf} at linspace(0, 1, 2^p) without its first and last point, with the
     * float32 mean and UNBIASED standard deviation of the values (torch.mean, torch.std), in double; then the
     * minimum and the maximum APPENDED, unsorted, so the set is the quantiles ascending, min, max. At p = 1 it is
     * {min, max}. A constant (or single) value gives scipy a zero (or NaN) scale and NaN quantiles; EdgeQ puts the
     * mean there instead, which rounds every value to itself as the seed's rules do with its NaN set.
     */
    public static LandmarkSet priorNormal(float[] values, int bits) {
        float[] mm = minMax(values);
        int n = levels(bits);
        double mean = TorchCpuMath.mean(values);
        double std = TorchCpuMath.std(values);
        double[] pts = new double[n];
        double step = 1.0 / (n - 1);
        for (int i = 1; i < n - 1; i++) pts[i - 1] = std > 0 ? NormalQuantile.of(i * step) * std + mean : mean;
        pts[n - 2] = mm[0];
        pts[n - 1] = mm[1];
        return new LandmarkSet(pts, bits, false);
    }

    /** EdgeQ's normal set: the prior_normal points sorted ascending (min first, max last), so binning is monotonic. */
    public static LandmarkSet normal(float[] values, int bits) {
        double[] pts = priorNormal(values, bits).entries;
        Arrays.sort(pts);
        return new LandmarkSet(pts, bits, false);
    }

    /**
     * A plain integer grid (EdgeQ). Symmetric: s·k for k in [−(2^(p−1) − 1), 2^(p−1) − 1] with s = max|w| /
     * (2^(p−1) − 1) (2^p − 1 landmarks, zero exact; needs p ≥ 2). Asymmetric: s·(k − z) for k in [0, 2^p − 1] with
     * s = (max − min) / (2^p − 1) and z = round(−min / s) clamped to the code range (the range always includes 0).
     */
    public static LandmarkSet intGrid(boolean symmetric, float[] values, int bits) {
        float[] mm = minMax(values);
        AffineParams params = AffineParams.forRange(mm[0], mm[1], bits, symmetric);
        int lo = params.codeMin();
        int hi = params.codeMax();
        float[] pts = new float[hi - lo + 1];
        for (int k = lo; k <= hi; k++) pts[k - lo] = params.scale() * (k - params.zeroPoint());
        return ofFloats(pts, bits);
    }

    // ---- rounding ----

    /**
     * The index of the entry the seed's regular rounding gives {@code w}. Where scipy's binned_statistic accepts
     * the set ({@link #isBinned()}: at least two midpoints, strictly increasing in float32) it is that binning: the
     * entry whose bin [midpoint(i−1), midpoint(i)) holds w, the ends open, ties therefore to the upper entry except
     * on the last midpoint, where scipy's rightmost-edge rule moves w one bin down when np.around(w, d) equals the
     * rounded edge (d = 6 + the decimal order of the smallest midpoint gap). Elsewhere (prior_normal's order, a
     * one-midpoint set, repeated entries) it is rounding_quant_old's rule: w ≤ min → the first stored entry, w ≥
     * max → the last, otherwise the nearer of the entries just below and above, ties to the upper one.
     */
    public int nearest(float w) {
        return rounding().nearest(w);
    }

    /** Whether regular rounding bins as scipy's binned_statistic does (else rounding_quant_old's element rule). */
    public boolean isBinned() {
        return rounding().binned();
    }

    /**
     * The seed's stochastic rounding's choice for {@code w}: w ≤ min → the first stored entry, w ≥ max → the
     * last, an exact entry → itself; otherwise the entries just below and above, the lower with probability
     * (upper − w) / (upper − lower) in numpy's dtypes: double, except that upper − lower of a float32 set is a
     * float32 difference.
     */
    public Bracket bracket(float w) {
        return rounding().bracket(w);
    }

    /** Stochastic rounding of {@code w} with the uniform draw {@code u} in [0, 1): the lower entry when u < P(lower). */
    public int stochastic(float w, float u) {
        Bracket b = bracket(w);
        if (b.lower() == b.upper()) return b.lower();
        return u < b.lowerProbability() ? b.lower() : b.upper();
    }

    /**
     * The two entries stochastic rounding chooses between (equal when there is no choice) and the probability of
     * the lower one.
     */
    public record Bracket(int lower, int upper, double lowerProbability) {
    }

    private SeedRounding rounding() {
        SeedRounding r = rounding;
        if (r == null) {
            r = new SeedRounding(entries, float32);
            rounding = r;
        }
        return r;
    }

    // ---- helpers ----

    static int levels(int bits) {
        IntegerGrid.checkBits(bits, 1, 16);
        return 1 << bits;
    }

    /** Q1 − 1.5·IQR and Q3 + 1.5·IQR of the values, with numpy's midpoint percentiles. */
    static double[] iqrWhiskers(float[] values) {
        float[] sorted = values.clone();
        requireValues(sorted);
        Arrays.sort(sorted);
        double q1 = NumpyMath.midpointPercentile(sorted, 0.25);
        double q3 = NumpyMath.midpointPercentile(sorted, 0.75);
        double spread = q3 - q1;
        return new double[]{q1 - 1.5 * spread, q3 + 1.5 * spread};
    }

    static float[] minMax(float[] values) {
        requireValues(values);
        float mn = Float.POSITIVE_INFINITY;
        float mx = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            if (!Float.isFinite(v)) throw new IllegalArgumentException("cannot quantize non-finite value " + v);
            mn = Math.min(mn, v);
            mx = Math.max(mx, v);
        }
        return new float[]{mn, mx};
    }

    private static void requireValues(float[] values) {
        if (values.length == 0) throw new IllegalArgumentException("cannot build a landmark set from no values");
    }

    @Override
    public String toString() {
        return "LandmarkSet(" + (float32 ? "float32" : "float64") + ")" + Arrays.toString(entries);
    }
}
