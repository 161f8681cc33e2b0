package org.edgeq.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Each quantized form turns its codes back into the values its formula says. */
class QuantizedTensorTest {

    @Test
    void codebookLooksUpEachChannelsOwnLandmarks() {
        var c = new QuantizedTensor.Codebook(new int[]{2, 2}, 1, 0, new float[]{-1, 1, 10, 20}, new int[]{1, 0, 0, 1});
        assertArrayEquals(new float[]{1, -1, 10, 20}, c.dequantize());
        assertEquals(2, c.entries());
        assertEquals(4, c.codeCount());
        assertEquals(1, c.codeBits());
    }

    @Test
    void affineIsScaleTimesCodeMinusZeroPoint() {
        var a = new QuantizedTensor.Affine(new int[]{2, 2}, 4, false, 0, new float[]{0.5f, 2f}, new int[]{3, 0}, new int[]{3, 7, 0, 15});
        assertArrayEquals(new float[]{0, 2, 0, 30}, a.dequantize());
        assertEquals(0, a.codeMin());
        assertEquals(15, a.codeMax());
        var s = new QuantizedTensor.Affine(new int[]{3}, 4, true, -1, new float[]{0.25f}, new int[]{0}, new int[]{-7, 0, 7});
        assertArrayEquals(new float[]{-1.75f, 0, 1.75f}, s.dequantize());
        assertEquals(-8, s.codeMin());
    }

    @Test
    void midRiseIsDeltaTimesFloorPlusHalf() {
        var m = new QuantizedTensor.MidRise(new int[]{3}, 2, -1, new float[]{0.5f}, new int[]{-2}, new int[]{0, 2, 4});
        assertArrayEquals(new float[]{-0.75f, 0.25f, 1.25f}, m.dequantize());
        assertEquals(5, m.levels());
        assertEquals(3, m.codeBits());
    }

    @Test
    void multiPointSumsItsTerms() {
        float[] grid = {-1, 0, 1};
        var mp = new QuantizedTensor.MultiPoint(new int[]{2}, 2, List.of(
                new QuantizedTensor.MultiPoint.Term(1f, grid, new int[]{0, 2}),
                new QuantizedTensor.MultiPoint.Term(0.25f, grid, new int[]{2, 0})));
        assertArrayEquals(new float[]{-0.75f, 0.75f}, mp.dequantize());
        assertEquals(4, mp.codeCount());
        assertEquals(2, mp.codeBits());
    }

    @Test
    void recordsRejectInconsistentSizes() {
        assertThrows(IllegalArgumentException.class, () -> new QuantizedTensor.Codebook(new int[]{3}, 1, new float[]{0, 1}, new int[]{0, 1}));
        assertThrows(IllegalArgumentException.class, () -> new QuantizedTensor.Affine(new int[]{2, 2}, 4, true, 0, new float[]{1}, new int[]{0}, new int[4]));
        assertThrows(IllegalArgumentException.class, () -> new QuantizedTensor.MidRise(new int[]{2}, 4, 1, new float[]{1}, new int[]{0}, new int[2]));
    }
}
