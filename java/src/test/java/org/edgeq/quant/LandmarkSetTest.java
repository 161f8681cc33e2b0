package org.edgeq.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The seed's landmark set builders, worked by hand or checked against numpy, and rounding to a set. */
class LandmarkSetTest {
    private static final float EPS = 1e-6f;

    @Test
    void uniformIsLinspaceFromMinToMax() {
        LandmarkSet s = LandmarkSet.uniform(new float[]{3f, -1f, 0.5f}, 2);
        assertArrayEquals(new float[]{-1f, 1f / 3, 5f / 3, 3f}, s.points(), EPS);
        assertEquals(2, s.bits());
    }

    @Test
    void iqrUsesMidpointQuartilesAndOneAndAHalfIqrWhiskers() {
        // sorted 1..8: Q1 at position 1.75 -> (2 + 3)/2 = 2.5, Q3 at 5.25 -> (6 + 7)/2 = 6.5 (numpy midpoint agrees),
        // IQR 4, so the set is linspace(2.5 - 6, 6.5 + 6, 4)
        LandmarkSet s = LandmarkSet.iqr(new float[]{8, 1, 7, 2, 6, 3, 5, 4}, 2);
        assertArrayEquals(new float[]{-3.5f, 11f / 6, 43f / 6, 12.5f}, s.points(), EPS);
    }

    @Test
    void iqrMatchesNumpyOnAnUnevenSample() {
        // numpy 2.4: q1, q3 = np.percentile(x, [25, 75], method='midpoint'); np.linspace(q1 - 1.5*(q3-q1), q3 + 1.5*(q3-q1), 8)
        LandmarkSet s = LandmarkSet.iqr(SAMPLE, 3);
        assertArrayEquals(new float[]{-2.05f, -1.42142857f, -0.79285714f, -0.16428571f, 0.46428571f, 1.09285714f, 1.72142857f, 2.35f}, s.points(), EPS);
    }

    @Test
    void histogramIsTheCentresOfEqualBins() {
        assertArrayEquals(new float[]{0.5f, 1.5f, 2.5f, 3.5f}, LandmarkSet.histogram(new float[]{4, 0, 1}, 2).points(), EPS);
        // numpy: e = np.linspace(x.min(), x.max(), 9); (e[:-1] + e[1:]) / 2
        assertArrayEquals(new float[]{-1.90625f, -1.31875f, -0.73125f, -0.14375f, 0.44375f, 1.03125f, 1.61875f, 2.20625f},
                LandmarkSet.histogram(SAMPLE, 3).points(), EPS);
    }

    @Test
    void normalIsInnerQuantilesPlusMinAndMax() {
        // mean 0, population std 1; Φ⁻¹(1/3) = -0.4307272992954576
        LandmarkSet s = LandmarkSet.normal(new float[]{-1, 1}, 2);
        assertArrayEquals(new float[]{-1f, -0.43072730f, 0.43072730f, 1f}, s.points(), EPS);
        // numpy/statistics: NormalDist(x.mean(), x.std()).inv_cdf(q) for q in np.linspace(0, 1, 8)[1:-1], plus min, max
        assertArrayEquals(new float[]{-2.2f, -1.2533385584f, -0.5730655856f, -0.0496788649f, 0.4385677538f, 0.9619544745f, 1.6422274473f, 2.5f},
                LandmarkSet.normal(SAMPLE, 3).points(), 1e-5f);
    }

    @Test
    void normalQuantileMatchesKnownValues() {
        assertEquals(0.0, NormalQuantile.of(0.5), 1e-12);
        assertEquals(1.959963984540054, NormalQuantile.of(0.975), 1e-8);
        assertEquals(-1.0675705238781417, NormalQuantile.of(1.0 / 7), 1e-8);
        assertEquals(-3.090232306167813, NormalQuantile.of(0.001), 1e-8);
    }

    @Test
    void symmetricIntGridIsANarrowRangeAroundZero() {
        // max|w| = 2, 3 bits: s = 2/3, k in [-3, 3]
        LandmarkSet s = LandmarkSet.intGrid(true, new float[]{-0.5f, 2f}, 3);
        assertArrayEquals(new float[]{-2f, -4f / 3, -2f / 3, 0f, 2f / 3, 4f / 3, 2f}, s.points(), EPS);
    }

    @Test
    void asymmetricIntGridSpansMinToMaxWithZeroExact() {
        // [-1, 2] at 2 bits: s = 1, zero point 1
        assertArrayEquals(new float[]{-1, 0, 1, 2}, LandmarkSet.intGrid(false, new float[]{2, -1, 0.3f}, 2).points(), EPS);
        // [1, 4] is widened to [0, 4]: s = 4/3, zero point 0
        assertArrayEquals(new float[]{0, 4f / 3, 8f / 3, 4}, LandmarkSet.intGrid(false, new float[]{1, 4}, 2).points(), EPS);
    }

    @Test
    void nearestRoundsToTheClosestLandmarkTiesDownAndClampsOutside() {
        LandmarkSet s = new LandmarkSet(new float[]{3, 0, 2, 1}, 2);
        assertEquals(1, s.nearest(1.4f));
        assertEquals(1, s.nearest(1.5f));
        assertEquals(2, s.nearest(1.6f));
        assertEquals(0, s.nearest(-5f));
        assertEquals(3, s.nearest(9f));
        assertEquals(2, s.nearest(2f));
    }

    @Test
    void stochasticGoesUpWhenTheDrawIsBelowTheDistanceFraction() {
        LandmarkSet s = new LandmarkSet(new float[]{0, 1, 3}, 2);
        assertEquals(1, s.stochastic(0.25f, 0.2f));
        assertEquals(0, s.stochastic(0.25f, 0.3f));
        assertEquals(2, s.stochastic(2.5f, 0.7f));   // p(up) = 0.75
        assertEquals(1, s.stochastic(2.5f, 0.8f));
        assertEquals(1, s.stochastic(1f, 0.0f));     // exact landmarks stay
        assertEquals(0, s.stochastic(-4f, 0.0f));    // outside clamps
        assertEquals(2, s.stochastic(7f, 0.99f));
    }

    @Test
    void everyBuilderGivesTwoToThePLandmarks() {
        for (LandmarkSetKind k : new LandmarkSetKind[]{LandmarkSetKind.UNIFORM, LandmarkSetKind.IQR, LandmarkSetKind.HISTOGRAM, LandmarkSetKind.NORMAL, LandmarkSetKind.INT_ASYMMETRIC}) {
            for (int bits = 1; bits <= 8; bits++) assertEquals(1 << bits, k.build(SAMPLE, bits).size(), k + " at " + bits);
        }
        assertEquals(255, LandmarkSetKind.INT_SYMMETRIC.build(SAMPLE, 8).size());
    }

    @Test
    void rejectsBitsOutsideTheSupportedRangeAndEmptyInput() {
        assertThrows(IllegalArgumentException.class, () -> LandmarkSet.uniform(SAMPLE, 0));
        assertThrows(IllegalArgumentException.class, () -> LandmarkSet.uniform(SAMPLE, 17));
        assertThrows(IllegalArgumentException.class, () -> LandmarkSet.uniform(new float[0], 4));
    }

    @Test
    void setsApplyOnlyToRoundingMethods() {
        for (LandmarkSetKind k : LandmarkSetKind.values()) {
            assertEquals(true, k.appliesTo(QuantMethod.ROUNDING));
            assertEquals(true, k.appliesTo(QuantMethod.STOCHASTIC));
            assertEquals(false, k.appliesTo(QuantMethod.MID_RISE));
            assertEquals(false, k.appliesTo(QuantMethod.MULTIPOINT));
            assertEquals(false, k.appliesTo(QuantMethod.AFFINE));
            assertEquals(k, LandmarkSetKind.fromCliName(k.cliName()));
        }
        assertEquals(QuantMethod.MID_RISE, QuantMethod.fromCliName("mid-rise"));
        assertThrows(IllegalArgumentException.class, () -> LandmarkSetKind.fromCliName("bogus"));
    }

    static final float[] SAMPLE = {0.3f, -1.2f, 2.5f, 0.7f, 0.1f, -0.4f, 1.9f, -2.2f, 0.05f};
}
