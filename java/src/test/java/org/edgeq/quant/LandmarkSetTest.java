package org.edgeq.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The seed's landmark set builders, worked by hand or checked against numpy, and the seed's rounding rules on small sets (the golden tests cover every width). */
class LandmarkSetTest {
    private static final float EPS = 1e-6f;

    @Test
    void uniformIsLinspaceFromMinToMax() {
        LandmarkSet s = LandmarkSet.uniform(new float[]{3f, -1f, 0.5f}, 2);
        assertArrayEquals(new float[]{-1f, 1f / 3, 5f / 3, 3f}, s.floats(), EPS);
        assertEquals(2, s.bits());
    }

    @Test
    void iqrUsesMidpointQuartilesAndOneAndAHalfIqrWhiskers() {
        // sorted 1..8: Q1 at position 1.75 -> (2 + 3)/2 = 2.5, Q3 at 5.25 -> (6 + 7)/2 = 6.5 (numpy midpoint agrees),
        // IQR 4, so the set is linspace(2.5 - 6, 6.5 + 6, 4)
        LandmarkSet s = LandmarkSet.iqr(new float[]{8, 1, 7, 2, 6, 3, 5, 4}, 2);
        assertArrayEquals(new float[]{-3.5f, 11f / 6, 43f / 6, 12.5f}, s.floats(), EPS);
    }

    @Test
    void iqrMatchesNumpyOnAnUnevenSample() {
        // numpy 2.4: q1, q3 = np.percentile(x, [25, 75], method='midpoint'); np.linspace(q1 - 1.5*(q3-q1), q3 + 1.5*(q3-q1), 8)
        LandmarkSet s = LandmarkSet.iqr(SAMPLE, 3);
        assertArrayEquals(new float[]{-2.05f, -1.42142857f, -0.79285714f, -0.16428571f, 0.46428571f, 1.09285714f, 1.72142857f, 2.35f}, s.floats(), EPS);
    }

    @Test
    void histogramIsTheCentresOfEqualBins() {
        assertArrayEquals(new float[]{0.5f, 1.5f, 2.5f, 3.5f}, LandmarkSet.histogram(new float[]{4, 0, 1}, 2).floats(), EPS);
        // numpy: e = np.linspace(x.min(), x.max(), 9); (e[:-1] + e[1:]) / 2
        assertArrayEquals(new float[]{-1.90625f, -1.31875f, -0.73125f, -0.14375f, 0.44375f, 1.03125f, 1.61875f, 2.20625f},
                LandmarkSet.histogram(SAMPLE, 3).floats(), EPS);
    }

    @Test
    void priorNormalStoresTheQuantilesWithTheUnbiasedStdThenMinThenMax() {
        // mean 0, unbiased std sqrt(2); Φ⁻¹(1/3)·sqrt(2) = -0.6091403779229776 (scipy.stats.norm.ppf)
        LandmarkSet s = LandmarkSet.priorNormal(new float[]{-1, 1}, 2);
        assertArrayEquals(new double[]{-0.6091403779229776, 0.6091403779229775, -1, 1}, s.entries(), 1e-15);
        assertFalse(s.isFloat32());
        // torch.mean/std of the sample, norm.ppf at np.linspace(0, 1, 8)[1:-1], then min, then max (the seed's code)
        assertArrayEquals(new double[]{-1.341161400404647, -0.6196229288068617, -0.06448746171843928, 0.45337629762542153,
                1.0085117647138437, 1.7300502363116292, -2.200000047683716, 2.5}, LandmarkSet.priorNormal(SAMPLE, 3).entries(), 1e-15);
    }

    @Test
    void normalIsThePriorNormalPointsSorted() {
        double[] sorted = LandmarkSet.priorNormal(SAMPLE, 3).entries();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(sorted, LandmarkSet.normal(SAMPLE, 3).entries(), 0);
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
        assertArrayEquals(new float[]{-2f, -4f / 3, -2f / 3, 0f, 2f / 3, 4f / 3, 2f}, s.floats(), EPS);
    }

    @Test
    void asymmetricIntGridSpansMinToMaxWithZeroExact() {
        // [-1, 2] at 2 bits: s = 1, zero point 1
        assertArrayEquals(new float[]{-1, 0, 1, 2}, LandmarkSet.intGrid(false, new float[]{2, -1, 0.3f}, 2).floats(), EPS);
        // [1, 4] is widened to [0, 4]: s = 4/3, zero point 0
        assertArrayEquals(new float[]{0, 4f / 3, 8f / 3, 4}, LandmarkSet.intGrid(false, new float[]{1, 4}, 2).floats(), EPS);
    }

    @Test
    void roundingBinsBetweenMidpointsWithTiesUpExceptOnTheLastMidpoint() {
        // midpoints 0.5, 1.5, 2.5 (float32, increasing): scipy's binning. A tie goes to the upper entry, except on
        // the last midpoint, where np.around(w, 6) equal to the rounded edge moves w one bin down
        LandmarkSet s = LandmarkSet.ofFloats(new float[]{0, 1, 2, 3}, 2);
        assertTrue(s.isBinned());
        assertEquals(1, s.nearest(0.5f));
        assertEquals(2, s.nearest(1.5f));
        assertEquals(2, s.nearest(2.5f));
        assertEquals(2, s.nearest(Math.nextUp(2.5f)));
        assertEquals(3, s.nearest(2.500001f));
        assertEquals(0, s.nearest(-5f));
        assertEquals(3, s.nearest(9f));
    }

    @Test
    void roundingUsesTheElementRuleByStoredPositionWhenMidpointsAreNotMonotonic() {
        // stored 3, 0, 2, 1: midpoints 1.5, 1, 1.5 make scipy refuse; rounding_quant_old's rule: below min -> the
        // FIRST stored entry (3), above max -> the LAST stored entry (1), else the nearer neighbour, ties up
        LandmarkSet s = LandmarkSet.ofFloats(new float[]{3, 0, 2, 1}, 2);
        assertFalse(s.isBinned());
        assertEquals(3, s.nearest(1.4f));
        assertEquals(2, s.nearest(1.5f));
        assertEquals(2, s.nearest(1.6f));
        assertEquals(0, s.nearest(-5f));
        assertEquals(3, s.nearest(9f));
        assertEquals(2, s.nearest(2f));
    }

    @Test
    void stochasticTakesTheLowerEntryWhenTheDrawIsBelowItsProbability() {
        LandmarkSet s = LandmarkSet.ofFloats(new float[]{0, 1, 3}, 2);
        assertEquals(new LandmarkSet.Bracket(0, 1, 0.75), s.bracket(0.25f));
        assertEquals(0, s.stochastic(0.25f, 0.7f));
        assertEquals(1, s.stochastic(0.25f, 0.8f));
        assertEquals(1, s.stochastic(2.5f, 0.2f));   // P(lower) = (3 - 2.5)/(3 - 1) = 0.25
        assertEquals(2, s.stochastic(2.5f, 0.3f));
        assertEquals(1, s.stochastic(1f, 0.99f));    // exact entries stay
        assertEquals(0, s.stochastic(-4f, 0.99f));   // outside clamps
        assertEquals(2, s.stochastic(7f, 0.0f));
        // prior_normal's order: below the minimum goes to the first STORED entry, not to the minimum
        LandmarkSet unsorted = LandmarkSet.ofDoubles(new double[]{-0.5, 0.5, -2, 2}, 2);
        assertEquals(new LandmarkSet.Bracket(0, 0, 1), unsorted.bracket(-3f));
        assertEquals(new LandmarkSet.Bracket(2, 0, 0.5 / 1.5), unsorted.bracket(-1f));
    }

    @Test
    void everyBuilderGivesTwoToThePLandmarks() {
        for (LandmarkSetKind k : new LandmarkSetKind[]{LandmarkSetKind.UNIFORM, LandmarkSetKind.IQR, LandmarkSetKind.HISTOGRAM, LandmarkSetKind.PRIOR_NORMAL, LandmarkSetKind.NORMAL, LandmarkSetKind.INT_ASYMMETRIC}) {
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
    void setsApplyToRoundingMidRiseTakesItsRangesAffineItsFormats() {
        for (LandmarkSetKind k : LandmarkSetKind.values()) {
            assertTrue(k.appliesTo(QuantMethod.ROUNDING));
            assertTrue(k.appliesTo(QuantMethod.STOCHASTIC));
            assertFalse(k.appliesTo(QuantMethod.MULTIPOINT));
            assertFalse(k.appliesTo(QuantMethod.MULTIPOINT_GRID));
            assertEquals(k == LandmarkSetKind.UNIFORM || k == LandmarkSetKind.IQR, k.appliesTo(QuantMethod.MID_RISE), k.cliName());
            assertEquals(k == LandmarkSetKind.INT_SYMMETRIC || k == LandmarkSetKind.INT_ASYMMETRIC, k.appliesTo(QuantMethod.AFFINE), k.cliName());
            assertEquals(k, LandmarkSetKind.fromCliName(k.cliName()));
        }
        assertThrows(IllegalArgumentException.class, () -> LandmarkSetKind.fromCliName("bogus"));
    }

    @Test
    void theSeedsNamesAreAliases() {
        assertEquals(LandmarkSetKind.UNIFORM, LandmarkSetKind.fromCliName("uniform_range"));
        assertEquals(LandmarkSetKind.UNIFORM, LandmarkSetKind.fromCliName("full_range"));
        assertEquals(LandmarkSetKind.IQR, LandmarkSetKind.fromCliName("uniform_range_IQR"));
        assertEquals(LandmarkSetKind.PRIOR_NORMAL, LandmarkSetKind.fromCliName("prior_normal"));
        assertEquals("prior_normal", LandmarkSetKind.PRIOR_NORMAL.seedName());
        assertNull(LandmarkSetKind.NORMAL.seedName());
        assertEquals(QuantMethod.MID_RISE, QuantMethod.fromCliName("mid_rise"));
        assertEquals(QuantMethod.ROUNDING, QuantMethod.fromCliName("regular_rounding"));
        assertEquals(QuantMethod.ROUNDING, QuantMethod.fromCliName("normal_rounding"));
        assertEquals(QuantMethod.STOCHASTIC, QuantMethod.fromCliName("stochastic_rounding"));
        assertEquals(QuantMethod.MULTIPOINT, QuantMethod.fromCliName("multi-point"));
        assertEquals(QuantMethod.MULTIPOINT_GRID, QuantMethod.fromCliName("multipoint-grid"));
        assertNull(QuantMethod.AFFINE.seedName());
    }

    static final float[] SAMPLE = {0.3f, -1.2f, 2.5f, 0.7f, 0.1f, -0.4f, 1.9f, -2.2f, 0.05f};
}
