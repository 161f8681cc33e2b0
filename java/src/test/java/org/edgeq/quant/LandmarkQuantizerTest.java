package org.edgeq.quant;

import org.edgeq.quant.core.Granularity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Regular and stochastic rounding to landmark sets: hand examples and the properties the issue asks for. */
class LandmarkQuantizerTest {

    @Test
    void roundingMapsEachValueToItsNearestUniformLandmark() {
        // set linspace(-1, 3, 4) = {-1, 1/3, 5/3, 3}
        QuantizedTensor.Codebook q = (QuantizedTensor.Codebook) new RoundingQuantizer(LandmarkSetKind.UNIFORM).quantize(new float[]{-1, 0.2f, 0.5f, 1.1f, 3}, new int[]{5}, 2);
        assertArrayEquals(new int[]{0, 1, 1, 2, 3}, q.codes());
        assertArrayEquals(new float[]{-1, 1f / 3, 1f / 3, 5f / 3, 3}, q.dequantize(), 1e-6f);
    }

    @Test
    void iqrSetClampsValuesOutsideItsWhiskers() {
        // 1..8 gives the set {-3.5, 11/6, 43/6, 12.5}; 40 lies outside and clamps to 12.5, -20 to -3.5
        LandmarkSet set = LandmarkSet.iqr(new float[]{1, 2, 3, 4, 5, 6, 7, 8}, 2);
        float[] q = new RoundingQuantizer(LandmarkSetKind.IQR).quantize(new float[]{40, -20, 2}, new int[]{3}, set, 0).dequantize();
        assertArrayEquals(new float[]{12.5f, -3.5f, 11f / 6}, q, 1e-6f);
    }

    @Test
    void perChannelRoundingBuildsOneSetPerRow() {
        QuantizedTensor q = new RoundingQuantizer(LandmarkSetKind.UNIFORM, Granularity.PER_CHANNEL).quantize(new float[]{0, 1, 0.4f, 10, 20, 16}, new int[]{2, 3}, 1);
        assertArrayEquals(new float[]{0, 1, 0, 10, 20, 20}, q.dequantize(), 1e-6f);
        QuantizedTensor.Codebook c = (QuantizedTensor.Codebook) q;
        assertEquals(0, c.axis());
        assertEquals(2, c.entries());
    }

    @Test
    void atMostTwoToThePDistinctValuesForEverySetAndMethod() {
        float[] w = gaussian(2000, 1);
        for (LandmarkSetKind k : LandmarkSetKind.values()) {
            for (int bits : new int[]{2, 4, 6}) {
                assertTrue(distinct(new RoundingQuantizer(k).quantize(w, new int[]{w.length}, bits).dequantize()) <= 1 << bits, k + " rounding at " + bits);
                assertTrue(distinct(new StochasticRoundingQuantizer(k, 7).quantize(w, new int[]{w.length}, bits).dequantize()) <= 1 << bits, k + " stochastic at " + bits);
            }
        }
    }

    @Test
    void roundingIsIdempotentForUniformAndIntegerSets() {
        float[] w = gaussian(500, 2);
        for (LandmarkSetKind k : new LandmarkSetKind[]{LandmarkSetKind.UNIFORM, LandmarkSetKind.INT_SYMMETRIC, LandmarkSetKind.INT_ASYMMETRIC}) {
            RoundingQuantizer q = new RoundingQuantizer(k);
            float[] once = q.quantize(w, new int[]{w.length}, 4).dequantize();
            float[] twice = q.quantize(once, new int[]{w.length}, 4).dequantize();
            assertArrayEquals(once, twice, 1e-6f, k.toString());
        }
    }

    @Test
    void uniformRoundingErrorIsAtMostHalfAStep() {
        float[] w = gaussian(3000, 3);
        float[] mm = minMax(w);
        for (int bits = 1; bits <= 8; bits++) {
            float half = (mm[1] - mm[0]) / ((1 << bits) - 1) / 2;
            float[] q = new RoundingQuantizer(LandmarkSetKind.UNIFORM).quantize(w, new int[]{w.length}, bits).dequantize();
            for (int i = 0; i < w.length; i++) assertTrue(Math.abs(w[i] - q[i]) <= half * (1 + 1e-5f), "bits " + bits + " element " + i);
        }
    }

    @Test
    void stochasticRoundingIsUnbiased() {
        // 0.3 between landmarks 0 and 1 goes up with probability 0.3: the mean of 200k draws (σ = sqrt(0.21/n)) lies within 4σ
        int n = 200_000;
        float[] w = new float[n];
        Arrays.fill(w, 0.3f);
        LandmarkSet set = LandmarkSet.ofFloats(new float[]{0, 1}, 1);
        float[] q = new StochasticRoundingQuantizer(LandmarkSetKind.UNIFORM, 1234).quantize(w, new int[]{n}, set, 0).dequantize();
        double mean = 0;
        for (float v : q) mean += v;
        mean /= n;
        assertEquals(0.3, mean, 4 * Math.sqrt(0.21 / n));
    }

    @Test
    void stochasticRoundingOfARealTensorIsUnbiasedOnAverage() {
        float[] w = gaussian(4000, 4);
        LandmarkSet set = LandmarkSet.uniform(w, 2);
        int draws = 200;
        double[] sum = new double[w.length];
        for (int s = 0; s < draws; s++) {
            float[] q = new StochasticRoundingQuantizer(LandmarkSetKind.UNIFORM, s).quantize(w, new int[]{w.length}, set, 0).dequantize();
            for (int i = 0; i < w.length; i++) sum[i] += q[i];
        }
        double step = (set.entry(3) - set.entry(0)) / 3;
        double bias = 0;
        for (int i = 0; i < w.length; i++) bias += sum[i] / draws - w[i];
        bias /= w.length;
        // per element variance ≤ step²/4 per draw, so the grand mean has σ ≤ step / (2·sqrt(draws·n))
        assertEquals(0, bias, 4 * step / (2 * Math.sqrt((double) draws * w.length)));
    }

    @Test
    void stochasticRoundingIsDeterministicPerSeedAndVariesAcrossSeeds() {
        float[] w = gaussian(1000, 5);
        int[] a = codes(new StochasticRoundingQuantizer(LandmarkSetKind.UNIFORM, 99).quantize(w, new int[]{w.length}, 3));
        int[] b = codes(new StochasticRoundingQuantizer(LandmarkSetKind.UNIFORM, 99).quantize(w, new int[]{w.length}, 3));
        int[] c = codes(new StochasticRoundingQuantizer(LandmarkSetKind.UNIFORM, 100).quantize(w, new int[]{w.length}, 3));
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void stochasticRoundingDrawsPhiloxUniformOfSeedAndElementIndex() {
        float[] w = gaussian(257, 7);
        LandmarkSet set = LandmarkSet.uniform(w, 3);
        StochasticRoundingQuantizer q = new StochasticRoundingQuantizer(LandmarkSetKind.UNIFORM, 2026);
        int[] codes = q.quantize(w, new int[]{w.length}, set, 5).codes();
        for (int i = 0; i < w.length; i++) {
            assertEquals(set.stochastic(w[i], org.edgeq.backend.Philox.uniform(q.key(5), i)), codes[i], "element " + i);
        }
        assertEquals(2026L, q.key(0));
    }

    @Test
    void stochasticRoundingLandsOnANeighbouringLandmark() {
        float[] w = gaussian(1000, 6);
        LandmarkSet set = LandmarkSet.histogram(w, 3);
        float[] q = new StochasticRoundingQuantizer(LandmarkSetKind.HISTOGRAM, 3).quantize(w, new int[]{w.length}, set, 0).dequantize();
        float[] r = new RoundingQuantizer(LandmarkSetKind.HISTOGRAM).quantize(w, new int[]{w.length}, set, 0).dequantize();
        float step = (float) (set.entry(1) - set.entry(0));
        for (int i = 0; i < w.length; i++) {
            // either the nearest landmark or the one on the other side of w
            assertTrue(Math.abs(q[i] - w[i]) <= step * 1.0001f || q[i] == r[i], "element " + i);
        }
    }

    static int[] codes(QuantizedTensor q) {
        return ((QuantizedTensor.Codebook) q).codes();
    }

    static float[] gaussian(int n, long seed) {
        Random r = new Random(seed);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = (float) (r.nextGaussian() * 0.3);
        return w;
    }

    static int distinct(float[] v) {
        return (int) java.util.stream.IntStream.range(0, v.length).mapToObj(i -> v[i]).distinct().count();
    }

    static float[] minMax(float[] w) {
        float mn = Float.POSITIVE_INFINITY, mx = Float.NEGATIVE_INFINITY;
        for (float v : w) {
            mn = Math.min(mn, v);
            mx = Math.max(mx, v);
        }
        return new float[]{mn, mx};
    }
}
