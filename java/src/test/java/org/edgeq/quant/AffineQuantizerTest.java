package org.edgeq.quant;

import org.edgeq.quant.core.AffineParams;
import org.edgeq.quant.core.Granularity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.edgeq.quant.observe.ObserverKind;
import org.junit.jupiter.api.Test;

/** Uniform affine integer quantization: formats worked by hand, idempotence, error bounds. */
class AffineQuantizerTest {

    @Test
    void symmetricPerTensorUsesTheNarrowRangeAndRoundsHalfToEven() {
        // max|w| = 3 at 3 bits: qmax 3, scale 1; rint(0.5) = 0, rint(2.5) = 2
        QuantizedTensor.Affine a = new AffineQuantizer(true, Granularity.PER_TENSOR, ObserverKind.MIN_MAX).quantize(new float[]{-1, 0.25f, 0.5f, 2.5f, -3}, new int[]{5}, 3);
        assertArrayEquals(new int[]{-1, 0, 0, 2, -3}, a.codes());
        assertEquals(1f, a.scales()[0]);
        assertEquals(0, a.zeroPoints()[0]);
        assertTrue(a.signed());
        assertArrayEquals(new float[]{-1, 0, 0, 2, -3}, a.dequantize(), 0f);
    }

    @Test
    void asymmetricPerTensorUsesUnsignedCodesWithAZeroPoint() {
        // [-1, 2] at 2 bits: scale 1, zero point 1
        QuantizedTensor.Affine a = new AffineQuantizer(false, Granularity.PER_TENSOR, ObserverKind.MIN_MAX).quantize(new float[]{-1, 0, 0.4f, 2, 1.6f}, new int[]{5}, 2);
        assertArrayEquals(new int[]{0, 1, 1, 3, 3}, a.codes());
        assertEquals(1, a.zeroPoints()[0]);
        assertArrayEquals(new float[]{-1, 0, 0, 2, 2}, a.dequantize(), 1e-6f);
    }

    @Test
    void perChannelHasOneScalePerOutputRow() {
        // 2 bits symmetric: qmax 1; row 0 scale 2 (codes 0, -1), row 1 scale 0.5 (codes 1, rint(0.5) = 0)
        QuantizedTensor.Affine a = new AffineQuantizer(true, Granularity.PER_CHANNEL, ObserverKind.MIN_MAX).quantize(new float[]{1, -2, 0.5f, 0.25f}, new int[]{2, 2}, 2);
        assertArrayEquals(new float[]{2f, 0.5f}, a.scales(), 0f);
        assertArrayEquals(new int[]{0, -1, 1, 0}, a.codes());
        assertArrayEquals(new float[]{0, -2, 0.5f, 0}, a.dequantize(), 0f);
        assertEquals(0, a.axis());
    }

    @Test
    void affineIsIdempotent() {
        float[] w = LandmarkQuantizerTest.gaussian(4 * 300, 21);
        for (boolean symmetric : new boolean[]{true, false}) {
            for (Granularity g : Granularity.values()) {
                AffineQuantizer q = new AffineQuantizer(symmetric, g, ObserverKind.MIN_MAX);
                QuantizedTensor.Affine once = q.quantize(w, new int[]{4, 300}, 4);
                QuantizedTensor.Affine twice = q.quantize(once.dequantize(), new int[]{4, 300}, 4);
                assertArrayEquals(once.codes(), twice.codes(), symmetric + " " + g);
                assertArrayEquals(once.dequantize(), twice.dequantize(), 1e-6f);
            }
        }
    }

    @Test
    void errorIsAtMostHalfAScaleInsideTheRangeAndCodesStayInRange() {
        float[] w = LandmarkQuantizerTest.gaussian(8 * 100, 22);
        for (int bits = 2; bits <= 8; bits++) {
            for (boolean symmetric : new boolean[]{true, false}) {
                QuantizedTensor.Affine a = new AffineQuantizer(symmetric, Granularity.PER_CHANNEL, ObserverKind.MIN_MAX).quantize(w, new int[]{8, 100}, bits);
                float[] d = a.dequantize();
                for (int i = 0; i < w.length; i++) {
                    assertTrue(Math.abs(d[i] - w[i]) <= a.scales()[i / 100] / 2 * (1 + 1e-5f), "bits " + bits + " element " + i);
                    assertTrue(a.codes()[i] >= a.codeMin() && a.codes()[i] <= a.codeMax());
                }
                assertTrue(LandmarkQuantizerTest.distinct(java.util.Arrays.copyOf(d, 100)) <= 1 << bits);
            }
        }
    }

    @Test
    void symmetricNeedsTwoBitsAndAtMostSixteen() {
        assertThrows(IllegalArgumentException.class, () -> new AffineQuantizer().quantize(new float[]{1}, new int[]{1}, 1));
        assertThrows(IllegalArgumentException.class, () -> new AffineQuantizer().quantize(new float[]{1}, new int[]{1}, 17));
        assertEquals(2, new AffineQuantizer(false, Granularity.PER_TENSOR, ObserverKind.MIN_MAX).quantize(new float[]{-1, 1}, new int[]{2}, 1).dequantize().length);
    }

    @Test
    void affineParamsQuantizeAndClamp() {
        AffineParams p = AffineParams.forRange(-2, 6, 3, false);   // scale 8/7, zero point rint(1.75) = 2
        assertEquals(8f / 7, p.scale(), 1e-7f);
        assertEquals(2, p.zeroPoint());
        assertEquals(7, p.quantize(100f));
        assertEquals(0, p.quantize(-100f));
        assertEquals(0f, p.fakeQuantize(0f));
    }
}
