package org.edgeq.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** EdgeQ's multi-point grid search: the seed's grid, the greedy residual search over a fixed scale grid, and error falling with more points. */
class MultiPointGridQuantizerTest {

    @Test
    void gridIsLinspaceTimesMaxPlusMean() {
        // mean 1, K = max = 3, linspace(-1, 1, 3) = {-1, 0, 1}
        assertArrayEquals(new float[]{-2, 1, 4}, MultiPointGridQuantizer.grid(new float[]{-1, 0, 2, 3}, 2), 1e-6f);
    }

    @Test
    void firstPointPicksTheScaleWithTheSmallestResidual() {
        // w = {-1, 1}: grid {-1, 0, 1}. Candidates a = 0.5 (q(w/a) clamps to ±1, error 2·0.5²) and a = 1 (exact):
        // a = 1 wins; the second point finds nothing to reduce and is recorded with a = 0
        QuantizedTensor.MultiPoint m = new MultiPointGridQuantizer(2, 0.5f, 1f).quantize(new float[]{-1, 1}, new int[]{2}, 2);
        assertEquals(2, m.points());
        assertEquals(1f, m.terms().get(0).scale());
        assertArrayEquals(new int[]{0, 2}, m.terms().get(0).codes());
        assertEquals(0f, m.terms().get(1).scale());
        assertArrayEquals(new float[]{-1, 1}, m.dequantize(), 0f);
    }

    @Test
    void secondPointQuantizesTheResidual() {
        // w = {-1, 0.25, 1}: grid {-1, 1/12, 7/6}; search a in {0.25, 0.5, 0.75, 1}
        float[] w = {-1, 0.25f, 1};
        float[] grid = MultiPointGridQuantizer.grid(w, 2);
        QuantizedTensor.MultiPoint one = new MultiPointGridQuantizer(1, 0.25f, 1f).quantize(w, new int[]{3}, 2);
        // exhaustive check of the first choice by hand-written loop over the same candidates
        double best = Double.POSITIVE_INFINITY;
        float bestA = 0;
        for (float a : new float[]{0.25f, 0.5f, 0.75f, 1f}) {
            double err = 0;
            for (float v : w) {
                float nearest = grid[0];
                for (float g : grid) if (Math.abs(v / a - g) < Math.abs(v / a - nearest)) nearest = g;
                err += (v - a * nearest) * (v - a * nearest);
            }
            if (err < best) {
                best = err;
                bestA = a;
            }
        }
        assertEquals(bestA, one.terms().get(0).scale());
        QuantizedTensor.MultiPoint two = new MultiPointGridQuantizer(2, 0.25f, 1f).quantize(w, new int[]{3}, 2);
        assertTrue(sse(w, two.dequantize()) <= sse(w, one.dequantize()));
    }

    @Test
    void errorDecreasesWithMorePoints() {
        float[] w = LandmarkQuantizerTest.gaussian(3000, 31);
        double previous = Double.POSITIVE_INFINITY;
        double first = 0;
        for (int points = 1; points <= 5; points++) {
            double err = sse(w, new MultiPointGridQuantizer(points, 0.001f, 1f).quantize(w, new int[]{w.length}, 3).dequantize());
            assertTrue(err <= previous * (1 + 1e-6), points + " points: " + err + " > " + previous);
            if (points == 1) first = err;
            if (points == 3) assertTrue(err < first / 4, "three points should cut the error well below one point's");
            previous = err;
        }
    }

    @Test
    void seedDefaultUsesPPlusOnePointsEachWithAtMostTwoToThePCodes() {
        float[] w = LandmarkQuantizerTest.gaussian(500, 32);
        QuantizedTensor.MultiPoint m = new MultiPointGridQuantizer().quantize(w, new int[]{500}, 4);
        assertEquals(5, m.points());
        for (QuantizedTensor.MultiPoint.Term t : m.terms()) {
            assertTrue(t.grid().length <= 16);
            for (int c : t.codes()) assertTrue(c >= 0 && c < t.grid().length);
        }
        assertEquals(2500, m.codeCount());
    }

    static double sse(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (double) (a[i] - b[i]);
        return s;
    }
}
