package org.edgeq.nn;

import org.edgeq.tensor.AllocationCounter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 11 defects 3 and 15: sizes from user input are computed with exact arithmetic and refused past the cap, nothing allocated. */
class ModelSizeLimitsTest {

    private static ModelConfig dense(int[] input, List<Integer> hidden) {
        return new ModelConfig("dense", input, 3, hidden, 0f, false);
    }

    private static String refusal(ModelConfig config) {
        long allocations = AllocationCounter.HOST.allocations();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFactory.create(config, null, 1));
        assertEquals(allocations, AllocationCounter.HOST.allocations(), "refused before allocating");
        IllegalArgumentException planned = assertThrows(IllegalArgumentException.class, () -> ModelFactory.layerShapes(config));
        assertEquals(e.getMessage(), planned.getMessage());
        return e.getMessage();
    }

    @Test
    void millionWideHiddenLayersAreRefusedWithTheParameterCountTheyNeed() {
        // 16*1e6+1e6 + 1e6*1e6+1e6 + 1e6*3+3
        String m = refusal(dense(new int[]{16}, List.of(1_000_000, 1_000_000)));
        assertEquals("dense with hidden [1000000, 1000000] on input [16] needs 1,000,021,000,003 parameters; at most 2,147,483,647 supported", m);
    }

    @Test
    void twoBillionWideHiddenLayerIsRefusedNotPrinted() {
        String m = refusal(dense(new int[]{16}, List.of(2_000_000_000)));
        assertTrue(m.contains("needs 40,000,000,003 parameters"), m);
    }

    @Test
    void inputShapeOfTenBillionValuesIsRefused() {
        String m = refusal(dense(new int[]{1, 100_000, 100_000}, List.of(10)));
        assertEquals("input shape [1, 100000, 100000] has 10,000,000,000 values per sample; at most 2,147,483,647 supported", m);
        String overflow = refusal(dense(new int[]{2_000_000_000, 2_000_000_000, 2_000_000_000}, List.of(10)));
        assertTrue(overflow.contains("more than 9,223,372,036,854,775,807 values per sample"), overflow);
    }

    @Test
    void convolutionalModelOnAHugeImageIsRefused() {
        String m = refusal(new ModelConfig("cnn-small", new int[]{1, 40_000, 40_000}, 10, List.of(), 0f, false));
        assertTrue(m.startsWith("cnn-small on input [1, 40000, 40000]: ") && m.endsWith(" values per sample; at most 2,147,483,647 supported"), m);
    }

    @Test
    void twentyThousandWideLayersAreDescribedFromShapesWithoutAllocating() {
        long allocations = AllocationCounter.HOST.allocations();
        long start = System.nanoTime();
        List<LayerShape> rows = ModelFactory.layerShapes(dense(new int[]{16}, List.of(20_000, 20_000)));
        long parameters = rows.stream().mapToLong(LayerShape::parameterCount).sum();
        assertEquals(16L * 20_000 + 20_000 + 20_000L * 20_000 + 20_000 + 20_000L * 3 + 3, parameters);
        assertEquals(allocations, AllocationCounter.HOST.allocations());
        assertTrue(System.nanoTime() - start < 1_000_000_000L);
    }

    @Test
    void nonFiniteOrOutOfRangeDropoutIsRefused() {
        for (float p : new float[]{Float.NaN, Float.POSITIVE_INFINITY, -0.1f, 1f}) {
            ModelConfig c = new ModelConfig("dense", new int[]{4}, 2, List.of(8), p, false);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFactory.layerShapes(c));
            assertTrue(e.getMessage().startsWith("dropout must be in [0, 1)"), e.getMessage());
        }
    }
}
