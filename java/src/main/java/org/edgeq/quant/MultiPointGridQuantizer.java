package org.edgeq.quant;

import org.edgeq.quant.core.IntegerGrid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * EdgeQ's multi-point search ({@code multipoint-grid}; Liu et al., "Post-training quantization with multiple points:
 * mixed precision without mixed precision", AAAI 2021): w ≈ Σ_i a_i·w_i, every w_i on the seed's grid
 * G = linspace(−1, 1, 2^p − 1)·K + mean(w) with K = max(w) (the means and grid here in double), built greedily:
 * with residual r (initially w), choose a_i from the FIXED grid {γ, 2γ, …, maxScale} (not the seed's random draw of
 * candidates) minimising ‖r − a_i·q(r/a_i)‖₂ where q rounds to the nearest grid point (found arithmetically, the
 * grid being evenly spaced; ties go to the lower point), subtract a_i·q(r/a_i), repeat. When no candidate reduces the
 * residual the point is recorded with a_i = 0, so the error never grows with more points.
 *
 * @param points   points per tensor; 0 means the seed's p + 1
 * @param gamma    step of the search grid for a_i
 * @param maxScale largest a_i tried
 */
public record MultiPointGridQuantizer(int points, float gamma, float maxScale) implements WeightQuantizer {

    public static final float DEFAULT_GAMMA = 0.001f;
    private static final long PARALLEL_WORK = 1L << 22;

    public MultiPointGridQuantizer {
        if (points < 0) throw new IllegalArgumentException("points must be ≥ 0 (0: bits + 1), got " + points);
        if (!(gamma > 0) || !(maxScale >= gamma)) throw new IllegalArgumentException("need 0 < gamma ≤ maxScale, got gamma " + gamma + ", maxScale " + maxScale);
    }

    /** p + 1 points (the seed's count), a_i searched over (0, 1] in steps of {@value #DEFAULT_GAMMA}. */
    public MultiPointGridQuantizer() {
        this(0, DEFAULT_GAMMA, 1f);
    }

    /** The same search with a different number of points. */
    public MultiPointGridQuantizer withPoints(int newPoints) {
        return new MultiPointGridQuantizer(newPoints, gamma, maxScale);
    }

    @Override
    public QuantMethod method() {
        return QuantMethod.MULTIPOINT_GRID;
    }

    /** The points used at {@code bits}. */
    public int pointsAt(int bits) {
        return points == 0 ? bits + 1 : points;
    }

    /** The grid linspace(−1, 1, 2^p − 1)·K + mean(w), K = max(w), in double (numpy's linspace) rounded to float. */
    public static float[] grid(float[] values, int bits) {
        IntegerGrid.checkBits(bits, 2, 16);
        double mean = 0;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            mean += v;
            max = Math.max(max, v);
        }
        mean /= values.length;
        float[] unit = linspace(-1, 1, (1 << bits) - 1);
        float[] g = new float[unit.length];
        for (int i = 0; i < g.length; i++) g[i] = (float) (unit[i] * (double) max + mean);
        return g;
    }

    @Override
    public QuantizedTensor.MultiPoint quantize(float[] values, int[] shape, int bits) {
        int n = QuantizedTensor.numel(shape);
        if (values.length != n) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
        if (n == 0) throw new IllegalArgumentException("cannot quantize an empty tensor");
        float[] grid = grid(values, bits);
        UniformGrid g = new UniformGrid(grid);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) r[i] = values[i];
        int candidates = (int) Math.floor(maxScale / gamma + 1e-6);
        List<QuantizedTensor.MultiPoint.Term> terms = new ArrayList<>();
        for (int t = 0; t < pointsAt(bits); t++) {
            double zeroErr = 0;
            for (double v : r) zeroErr += v * v;
            double bound = zeroErr;
            // candidates are scored independently (in parallel for big tensors); the smallest error wins, ties to the smaller a
            double[] errs = new double[candidates + 1];
            IntStream ks = IntStream.rangeClosed(1, candidates);
            if ((long) n * candidates > PARALLEL_WORK) ks = ks.parallel();
            ks.forEach(k -> errs[k] = residualError(r, grid, g, k * gamma, bound));
            double bestErr = zeroErr;
            float bestA = 0;
            for (int k = 1; k <= candidates; k++) {
                if (errs[k] < bestErr) {
                    bestErr = errs[k];
                    bestA = k * gamma;
                }
            }
            int[] codes = new int[n];
            if (bestA > 0) {
                double inv = 1.0 / bestA;
                for (int i = 0; i < n; i++) {
                    codes[i] = g.nearest(r[i] * inv);
                    r[i] -= bestA * (double) grid[codes[i]];
                }
            }
            terms.add(new QuantizedTensor.MultiPoint.Term(bestA, grid, codes));
        }
        return new QuantizedTensor.MultiPoint(shape, bits, terms);
    }

    /** numpy.linspace(lo, hi, n) rounded to floats: the last point is hi exactly. */
    private static float[] linspace(double lo, double hi, int n) {
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

    /** ‖r − a·q(r/a)‖², abandoned (returning a value ≥ bound) once it reaches {@code bound}. */
    private static double residualError(double[] r, float[] grid, UniformGrid g, float a, double bound) {
        double inv = 1.0 / a;
        double err = 0;
        for (int i = 0; i < r.length && err < bound; i++) {
            double d = r[i] - a * (double) grid[g.nearest(r[i] * inv)];
            err += d * d;
        }
        return err;
    }

    /** Nearest point of an evenly spaced ascending grid in O(1): index ceil((x − g0)/step − 1/2), ties to the lower. */
    private record UniformGrid(double first, double step, int last) {
        UniformGrid(float[] grid) {
            this(grid[0], grid.length > 1 ? ((double) grid[grid.length - 1] - grid[0]) / (grid.length - 1) : 0, grid.length - 1);
        }

        int nearest(double x) {
            if (step == 0 || Double.isNaN(step)) return 0;  // a descending grid (max(w) < 0) works too
            double idx = Math.ceil((x - first) / step - 0.5);
            return idx <= 0 ? 0 : idx >= last ? last : (int) idx;
        }
    }
}
