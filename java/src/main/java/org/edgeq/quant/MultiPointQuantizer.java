package org.edgeq.quant;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.edgeq.backend.Philox;

/**
 * The seed's multi-point quantization (multipoint_quantization.py, after Liu et al., "Post-training quantization
 * with multiple points", AAAI 2021), in the seed's float32 arithmetic: w ≈ Σ_i a_i·w_i over p + 1 greedy steps, every
 * w_i on the grid G = torch.linspace(−1, 1, 2^p − 1)·K + mean(w) with K = max(w) (not max|w|), rounded onto G as
 * scipy's binned_statistic bins ({@link LandmarkSet#nearest(float)}).
 *
 * <p>Each step, with residual r (initially w): γ = max(g / (2^(p−1) − 1), 2^−9) where g is half the smallest gap
 * between the sorted distinct |r|; I = int((2^p − 2)·max|r|); the candidates are a = k·γ for min(100, I + 1)
 * multipliers k drawn without replacement from 1..I+1 ({@link CandidateDraw}: the seed uses numpy's global generator,
 * EdgeQ a seeded Philox stream); a* is the first candidate with the least ‖r − a·G(r/a)‖₂ (float32 norm as
 * torch.norm); then r ← r − a*·G(r/a*). The result is the float32 sum of the terms in order, exactly what
 * {@link QuantizedTensor.MultiPoint#dequantize()} gives.
 *
 * <p>Where the seed's code fails EdgeQ goes on: p = 1 is refused (the seed divides by 2^0 − 1 = 0); fewer than two
 * distinct |r| (the seed's gap is infinite: γ = ∞, NaN weights) takes γ = 2^−9; an all-zero residual adds a term
 * with a = 0; max(w) < 0 makes the grid descending and scipy refuses it, EdgeQ rounds onto the same grid sorted
 * ascending; a grid whose float32 midpoints repeat (max(w) = 0) uses rounding_quant_old's rule.
 *
 * @param points points per tensor; 0 means the seed's p + 1
 * @param draw   where the candidate multipliers come from
 */
public record MultiPointQuantizer(int points, CandidateDraw draw) implements WeightQuantizer {

    /** The seed's cap on candidates per step. */
    public static final int MAX_CANDIDATES = 100;
    /** The seed's lower bound on γ (its {@code neta}). */
    public static final double MIN_GAMMA = 0x1p-9;
    private static final long PARALLEL_WORK = 1L << 20;

    public MultiPointQuantizer {
        if (points < 0) throw new IllegalArgumentException("points must be ≥ 0 (0: bits + 1), got " + points);
        if (draw == null) throw new IllegalArgumentException("a multi-point quantizer needs a candidate draw");
    }

    /** The seed's algorithm with p + 1 points and candidates drawn from a Philox stream keyed by {@code seed}. */
    public MultiPointQuantizer(long seed) {
        this(0, CandidateDraw.seeded(seed));
    }

    /** As {@link #MultiPointQuantizer(long)} with seed 0. */
    public MultiPointQuantizer() {
        this(0L);
    }

    /** The same search with a different number of points (greedy, so k points are the first k of more). */
    public MultiPointQuantizer withPoints(int newPoints) {
        return new MultiPointQuantizer(newPoints, draw);
    }

    @Override
    public QuantMethod method() {
        return QuantMethod.MULTIPOINT;
    }

    /** The points used at {@code bits}. */
    public int pointsAt(int bits) {
        return points == 0 ? bits + 1 : points;
    }

    /**
     * Where the candidate multipliers k (candidates a = k·γ) come from: {@code count} distinct values of
     * 1..{@code population}, in draw order (the first best candidate wins, so order matters).
     */
    @FunctionalInterface
    public interface CandidateDraw {
        long[] draw(long streamKey, int step, long population, int count);

        /**
         * A partial Fisher–Yates shuffle of 1..population driven by Philox words for (seed ^ streamKey·φ, step·256 +
         * 2j and 2j + 1): reproducible per seed, tensor and step, and cheap for any population.
         */
        static CandidateDraw seeded(long seed) {
            return (streamKey, step, population, count) -> {
                long key = seed ^ (streamKey * 0x9E3779B97F4A7C15L);
                long base = (long) step * 256;
                Map<Long, Long> moved = new HashMap<>();
                long[] out = new long[count];
                for (int j = 0; j < count; j++) {
                    long hi = Philox.word(key, base + 2L * j) & 0xFFFFFFFFL;
                    long lo = Philox.word(key, base + 2L * j + 1) & 0xFFFFFFFFL;
                    double u = ((hi << 21) | (lo >>> 11)) * 0x1p-53;
                    long span = population - j;
                    long pick = j + Math.min(span - 1, (long) (u * span));
                    long atJ = moved.getOrDefault((long) j, (long) j);
                    long atPick = moved.getOrDefault(pick, pick);
                    out[j] = atPick + 1;
                    moved.put(pick, atJ);
                }
                return out;
            };
        }
    }

    /** The grid K·torch.linspace(−1, 1, 2^p − 1) + mean(w) in float32, K = max(w), as the seed builds it. */
    public static float[] grid(float[] values, int bits) {
        checkMultiPointBits(bits);
        float k = Float.NEGATIVE_INFINITY;
        for (float v : values) k = Math.max(k, v);
        float mean = TorchCpuMath.mean(values);
        float[] unit = TorchCpuMath.linspace(-1, 1, (1 << bits) - 1);
        float[] g = new float[unit.length];
        for (int i = 0; i < g.length; i++) g[i] = k * unit[i] + mean;
        return g;
    }

    @Override
    public QuantizedTensor.MultiPoint quantize(float[] values, int[] shape, int bits) {
        return quantize(values, shape, bits, 0L);
    }

    /** Quantizes one tensor; {@code streamKey} keys its candidate draws (ModelQuantizer passes the parameter index). */
    public QuantizedTensor.MultiPoint quantize(float[] values, int[] shape, int bits, long streamKey) {
        checkMultiPointBits(bits);
        int n = QuantizedTensor.numel(shape);
        if (values.length != n) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
        if (n == 0) throw new IllegalArgumentException("cannot quantize an empty tensor");
        for (float v : values) if (!Float.isFinite(v)) throw new IllegalArgumentException("cannot quantize non-finite value " + v);
        float[] grid = grid(values, bits);
        if (grid[0] > grid[grid.length - 1]) reverse(grid); // max(w) < 0: EdgeQ rounds onto the grid ascending
        LandmarkSet set = LandmarkSet.ofFloats(grid, bits);
        float[] r = values.clone();
        List<QuantizedTensor.MultiPoint.Term> terms = new ArrayList<>();
        for (int step = 0; step < pointsAt(bits); step++) {
            terms.add(step(r, set, grid, bits, streamKey, step));
        }
        return new QuantizedTensor.MultiPoint(shape, bits, terms);
    }

    /** One greedy step: picks a*, records its term and subtracts it from the residual {@code r} in place. */
    private QuantizedTensor.MultiPoint.Term step(float[] r, LandmarkSet set, float[] grid, int bits, long streamKey, int step) {
        int n = r.length;
        float maxAbs = 0f;
        for (float v : r) maxAbs = Math.max(maxAbs, Math.abs(v));
        int[] codes = new int[n];
        if (maxAbs == 0f) {
            Arrays.fill(codes, set.nearest(0f));
            return new QuantizedTensor.MultiPoint.Term(0f, grid, codes);
        }
        double gamma = gamma(r, bits);
        long top = (long) (((1L << bits) - 2) * (double) maxAbs);
        long population = top == Long.MAX_VALUE ? top : top + 1;
        int count = (int) Math.min(MAX_CANDIDATES, population);
        long[] ks = draw.draw(streamKey, step, population, count);
        if (ks.length != count) throw new IllegalStateException("candidate draw gave " + ks.length + " multipliers, expected " + count);
        for (long k : ks) {
            if (k < 1 || k > population) throw new IllegalStateException("candidate multiplier " + k + " outside 1.." + population);
        }
        float[] errors = new float[count];
        IntStream candidates = IntStream.range(0, count);
        if ((long) n * count * bits > PARALLEL_WORK) candidates = candidates.parallel();
        candidates.forEach(c -> errors[c] = residualNorm(r, set, grid, (float) (ks[c] * gamma)));
        int best = firstArgmin(errors);
        float a = (float) (ks[best] * gamma);
        for (int i = 0; i < n; i++) {
            codes[i] = set.nearest(r[i] / a);
            r[i] = r[i] - a * grid[codes[i]];
        }
        return new QuantizedTensor.MultiPoint.Term(a, grid, codes);
    }

    /** max(g / (2^(p−1) − 1), 2^−9), g half the smallest gap (float32) between the sorted distinct |r|; 2^−9 without a gap. */
    static double gamma(float[] r, int bits) {
        float[] abs = new float[r.length];
        for (int i = 0; i < abs.length; i++) abs[i] = Math.abs(r[i]);
        Arrays.sort(abs);
        float gap = Float.POSITIVE_INFINITY;
        for (int i = 1; i < abs.length; i++) {
            if (abs[i] != abs[i - 1]) gap = Math.min(gap, abs[i] - abs[i - 1]);
        }
        if (gap == Float.POSITIVE_INFINITY) return MIN_GAMMA;
        return Math.max(gap / 2.0 / ((1 << (bits - 1)) - 1), MIN_GAMMA);
    }

    /** ‖r − a·G(r/a)‖₂ as torch.norm computes it in float32. */
    private static float residualNorm(float[] r, LandmarkSet set, float[] grid, float a) {
        TorchCpuMath.Norm2 norm = new TorchCpuMath.Norm2(r.length);
        for (float v : r) norm.add(v - a * grid[set.nearest(v / a)]);
        return norm.result();
    }

    /** numpy's argmin: the first least value, or the first NaN if there is one. */
    private static int firstArgmin(float[] errors) {
        int best = 0;
        for (int c = 1; c < errors.length && !Float.isNaN(errors[best]); c++) {
            if (Float.isNaN(errors[c]) || errors[c] < errors[best]) best = c;
        }
        return best;
    }

    private static void reverse(float[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            float t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static void checkMultiPointBits(int bits) {
        if (bits < 2 || bits > 16) {
            throw new IllegalArgumentException("multi-point needs bits in 2..16, got " + bits
                    + (bits == 1 ? " (the seed's step γ divides by 2^(p−1) − 1, which is 0 at p = 1)" : ""));
        }
    }
}
