package org.edgeq.quant;

import org.edgeq.quant.core.Granularity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The seed's mid-rise formula, its single-element rule and its 2^p + 1 level quirk. */
class MidRiseQuantizerTest {
    private final MidRiseQuantizer q = new MidRiseQuantizer();

    @Test
    void midRiseMatchesSeedFormulaByHand() {
        // Δ = (0.9 - 0.1)/2 = 0.4; floor(w/Δ) = 0, 1, 2, 0; w_q = 0.4·(k + 0.5)
        QuantizedTensor.MidRise m = q.quantize(new float[]{0.1f, 0.5f, 0.9f, 0.3f}, new int[]{4}, 1);
        assertArrayEquals(new float[]{0.2f, 0.6f, 1.0f, 0.2f}, m.dequantize(), 1e-6f);
        assertArrayEquals(new int[]{0, 1, 2, 0}, m.codes());
        assertEquals(0, m.offsets()[0]);
        // the seed's formula yields 2^p + 1 = 3 levels here, so codes need one bit more
        assertEquals(3, m.levels());
        assertEquals(2, m.codeBits());
    }

    @Test
    void midRiseOffsetsCodesToStartAtZeroForNegativeValues() {
        // Δ = (1 - (-1))/4 = 0.5; floor(w/Δ) = -2, -1, 0, 2 -> offset -2, codes 0, 1, 2, 4
        QuantizedTensor.MidRise m = q.quantize(new float[]{-1f, -0.3f, 0.2f, 1f}, new int[]{2, 2}, 2);
        assertArrayEquals(new int[]{0, 1, 2, 4}, m.codes());
        assertEquals(-2, m.offsets()[0]);
        assertArrayEquals(new float[]{-0.75f, -0.25f, 0.25f, 1.25f}, m.dequantize(), 1e-6f);
    }

    @Test
    void midRiseMatchesSeedFormulaOnSingleElementTensor() {
        // Δ = w / 2^p = 0.75 / 4; floor(w/Δ) = 4; w_q = Δ·4.5 = 0.84375
        assertArrayEquals(new float[]{0.84375f}, q.quantize(new float[]{0.75f}, new int[]{1}, 2).dequantize(), 0f);
        // negative: Δ = -0.5 / 2 = -0.25, floor(2) = 2, w_q = -0.25·2.5 = -0.625
        assertArrayEquals(new float[]{-0.625f}, q.quantize(new float[]{-0.5f}, new int[]{1}, 1).dequantize(), 0f);
    }

    @Test
    void midRiseUsesPerElementDeltaWhenFirstDimensionIsOne() {
        // the seed's len(w) == 1 is the first dimension: a [1, 3] weight gets Δ_i = w_i / 2^p, so w_q = Δ_i·(2^p + 0.5)
        float[] w = {0.5f, -0.25f, 0.8f};
        QuantizedTensor.MidRise m = q.quantize(w, new int[]{1, 3}, 2);
        assertEquals(QuantizedTensor.MidRise.PER_ELEMENT, m.axis());
        for (int i = 0; i < w.length; i++) assertEquals((w[i] / 4f) * 4.5f, m.dequantize()[i], 0f, "element " + i);
        // per channel too: a single row is still the seed's per-element rule
        assertArrayEquals(m.dequantize(), new MidRiseQuantizer(Granularity.PER_CHANNEL).quantize(w, new int[]{1, 3}, 2).dequantize(), 0f);
    }

    @Test
    void aZeroInAFirstDimensionOneTensorKeepsItsValueWhereTheSeedGivesNaN() {
        assertArrayEquals(new float[]{(0.3f / 8f) * 8.5f, 0f}, q.quantize(new float[]{0.3f, 0f}, new int[]{1, 2}, 3).dequantize(), 0f);
    }

    @Test
    void midRiseOverTheIqrRangeTakesItsStepFromTheMidpointQuartiles() {
        // 1..8: Q1 = 2.5, Q3 = 6.5 (numpy midpoint), whiskers -3.5 and 12.5, Δ = 16 / 2^2 = 4:
        // floor(w/4) = 0 for 1..3, 1 for 4..7, 2 for 8 -> 2, 6, 10
        MidRiseQuantizer iqr = new MidRiseQuantizer(Granularity.PER_TENSOR, MidRiseQuantizer.Range.IQR);
        assertArrayEquals(new float[]{2, 2, 2, 6, 6, 6, 6, 10}, iqr.quantize(new float[]{1, 2, 3, 4, 5, 6, 7, 8}, new int[]{8}, 2).dequantize(), 0f);
        // values beyond the whiskers are not clipped: they take levels of their own
        assertArrayEquals(new float[]{2, 2, 2, 6, 6, 6, 6, 42}, iqr.quantize(new float[]{1, 2, 3, 4, 5, 6, 7, 40}, new int[]{8}, 2).dequantize(), 0f);
    }

    @Test
    void constantTensorsKeepTheirValue() {
        assertArrayEquals(new float[]{0.3f, 0.3f, 0.3f}, q.quantize(new float[]{0.3f, 0.3f, 0.3f}, new int[]{3}, 4).dequantize(), 0f);
        assertArrayEquals(new float[]{0f}, q.quantize(new float[]{0f}, new int[]{1}, 4).dequantize(), 0f);
    }

    @Test
    void perChannelUsesEachRowsOwnRange() {
        // row 0: Δ = 1/2, floor = 0, 2 -> 0.25, 1.25; row 1: Δ = 4/2 = 2, floor = 5, 7 -> 11, 15
        QuantizedTensor.MidRise m = new MidRiseQuantizer(Granularity.PER_CHANNEL).quantize(new float[]{0, 1, 10, 14}, new int[]{2, 2}, 1);
        assertArrayEquals(new float[]{0.25f, 1.25f, 11f, 15f}, m.dequantize(), 1e-6f);
        assertEquals(0, m.axis());
    }

    @Test
    void midRiseUsesAtMostTwoToThePPlusOneLevelsAndStaysWithinOneStep() {
        float[] w = LandmarkQuantizerTest.gaussian(5000, 11);
        float[] mm = LandmarkQuantizerTest.minMax(w);
        for (int bits = 1; bits <= 8; bits++) {
            QuantizedTensor.MidRise m = q.quantize(w, new int[]{w.length}, bits);
            float[] d = m.dequantize();
            assertTrue(LandmarkQuantizerTest.distinct(d) <= (1 << bits) + 1, "bits " + bits);
            float delta = (mm[1] - mm[0]) / (1 << bits);
            for (int i = 0; i < w.length; i++) assertTrue(Math.abs(d[i] - w[i]) <= delta * (1 + 1e-4f), "bits " + bits + " element " + i);
        }
    }
}
