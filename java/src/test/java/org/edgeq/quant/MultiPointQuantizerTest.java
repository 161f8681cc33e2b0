package org.edgeq.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The seed's multi-point search, worked by hand on tiny tensors (the golden tests replay numpy's draws at every width). */
class MultiPointQuantizerTest {

    @Test
    void gridIsTorchLinspaceTimesMaxPlusMean() {
        // mean 1, K = max(w) = 3 (not max|w|), linspace(-1, 1, 3) = {-1, 0, 1}
        assertArrayEquals(new float[]{-2, 1, 4}, MultiPointQuantizer.grid(new float[]{-1, 0, 2, 3}, 2), 0f);
    }

    @Test
    void eachStepKeepsTheCandidateWithTheLeastResidualNorm() {
        // w = {0, 0.5, 1}: grid {-0.5, 0.5, 1.5}, midpoints 0 and 1. Distinct |r| {0, 0.5, 1}: gap 0.5, γ = 0.25/(2^1 - 1);
        // I = int(2·1) = 2, so k in 1..3: a = 0.25 -> {0.125, 0.375, 0.375}, ‖e‖ 0.65; a = 0.5 -> w/a = {0, 1, 2}, the 1
        // on the last midpoint moves down (scipy) -> {0.25, 0.25, 0.75}, ‖e‖ 0.433; a = 0.75 -> {0.375, 0.375, 1.125},
        // ‖e‖ 0.415: a* = 0.75 whatever the draw order
        float[] w = {0, 0.5f, 1};
        assertEquals(0.25, MultiPointQuantizer.gamma(w, 2), 0);
        for (long[] order : new long[][]{{1, 2, 3}, {3, 1, 2}, {2, 3, 1}}) {
            MultiPointQuantizer q = new MultiPointQuantizer(1, (key, step, population, count) -> {
                assertEquals(3, population);
                assertEquals(3, count);
                return order;
            });
            QuantizedTensor.MultiPoint m = q.quantize(w, new int[]{3}, 2);
            assertEquals(0.75f, m.terms().getFirst().scale(), Arrays.toString(order));
            assertArrayEquals(new float[]{0.375f, 0.375f, 1.125f}, m.dequantize(), 0f);
        }
    }

    @Test
    void candidatesAreMinOfHundredAndIPlusOneMultipliersDrawnWithoutReplacement() {
        MultiPointQuantizer.CandidateDraw draw = MultiPointQuantizer.CandidateDraw.seeded(5);
        long[] a = draw.draw(3, 0, 1000, 100);
        assertEquals(100, Arrays.stream(a).distinct().count());
        assertTrue(Arrays.stream(a).allMatch(k -> k >= 1 && k <= 1000));
        assertArrayEquals(a, draw.draw(3, 0, 1000, 100), "reproducible per seed, tensor and step");
        assertFalse(Arrays.equals(a, draw.draw(3, 1, 1000, 100)), "another step draws anew");
        assertFalse(Arrays.equals(a, MultiPointQuantizer.CandidateDraw.seeded(6).draw(3, 0, 1000, 100)), "another seed draws anew");
        long[] all = draw.draw(0, 0, 7, 7);
        Arrays.sort(all);
        assertArrayEquals(new long[]{1, 2, 3, 4, 5, 6, 7}, all, "a small population is drawn whole, in shuffled order");
    }

    @Test
    void usesPPlusOnePointsButCapsTheScaleNearTwoToThePTimesMaxAbsOverFiveHundredTwelve() {
        // γ ≥ 2^-9 and k ≤ I + 1 = (2^p - 2)·max|r| + 1 cap a at about (2^p - 1)·max|r|/512: for weights of a few
        // tenths the seed's search cannot pick a scale near 1 before p ≈ 9, so low widths barely approximate w
        float[] w = LandmarkQuantizerTest.gaussian(300, 12);
        float maxAbs = 0;
        for (float v : w) maxAbs = Math.max(maxAbs, Math.abs(v));
        for (int bits : new int[]{2, 4, 8, 12}) {
            QuantizedTensor.MultiPoint m = new MultiPointQuantizer(9).quantize(w, new int[]{300}, bits);
            assertEquals(bits + 1, m.points());
            float cap = (float) (((1L << bits) - 1) * maxAbs * 0x1p-9 + 0x1p-9);
            assertTrue(m.terms().getFirst().scale() <= cap, bits + " bits: a* " + m.terms().getFirst().scale() + " above " + cap);
        }
        float[] d = new MultiPointQuantizer(9).quantize(w, new int[]{300}, 12).dequantize();
        double err = 0;
        double norm = 0;
        for (int i = 0; i < w.length; i++) {
            err += (d[i] - w[i]) * (d[i] - w[i]);
            norm += w[i] * w[i];
        }
        assertTrue(err < 1e-4 * norm, "12 bits: relative error² " + err / norm);
    }

    @Test
    void whereTheSeedsGapIsInfiniteGammaIsTwoToMinusNineAndAZeroResidualAddsAZeroTerm() {
        // {-0.5, 0.5}: one distinct |r| (the seed's γ = ∞ and NaN weights)
        assertEquals(0x1p-9, MultiPointQuantizer.gamma(new float[]{-0.5f, 0.5f}, 3), 0);
        QuantizedTensor.MultiPoint m = new MultiPointQuantizer(2).quantize(new float[]{0, 0, 0}, new int[]{3}, 3);
        for (QuantizedTensor.MultiPoint.Term t : m.terms()) assertEquals(0f, t.scale());
        assertArrayEquals(new float[]{0, 0, 0}, m.dequantize(), 0f);
    }
}
