package org.edgeq.prune;

import org.edgeq.backend.Backend;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.TestBackends;
import org.edgeq.nn.WeightLayer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pruning rules choose exactly the weights their definitions name, and never touch the output layer. */
class PrunersTest {
    private static Backend backend;

    @BeforeAll
    static void start() {
        backend = TestBackends.cpu(2);
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    /** Dense 8 -> 4 -> 4 -> 3: three weight layers, the last one the output. */
    private static Model model(long seed) {
        return ModelFactory.create(new ModelConfig("dense", new int[]{8}, 3, List.of(4, 4), 0f, false), backend, seed);
    }

    private static float[] weights(Model m, int layer) {
        return Pruner.weights(m, m.weightLayers().get(layer));
    }

    @Test
    void seedRuleRemovesEveryWeightWhoseDenseRankIsAtMostTheCeilingOfMaxRankTimesRatio() {
        // |w| = .5 .1 .1 0 .3 .5 .2 0 -> dense ranks 5 2 2 1 4 5 3 1, max rank 5.
        float[] w = {0.5f, -0.1f, 0.1f, 0f, 0.3f, -0.5f, 0.2f, -0f};
        assertArrayEquals(new int[]{5, 2, 2, 1, 4, 5, 3, 1}, MagnitudePruner.denseRanksOfMagnitude(w));
        // ratio 0.5: ceil(2.5) = 3, ranks 1..3 go.
        assertArrayEquals(new float[]{1, 0, 0, 0, 1, 1, 0, 0}, MagnitudePruner.keepMask(w, 0.5));
        // ratio 0.7: ceil(3.5) = 4.
        assertArrayEquals(new float[]{1, 0, 0, 0, 0, 1, 0, 0}, MagnitudePruner.keepMask(w, 0.7));
        // ratio 0.2: ceil(1.0) = 1, only the zeros; ratio 0 keeps all.
        assertArrayEquals(new float[]{1, 1, 1, 0, 1, 1, 1, 0}, MagnitudePruner.keepMask(w, 0.2));
        assertArrayEquals(new float[]{1, 1, 1, 1, 1, 1, 1, 1}, MagnitudePruner.keepMask(w, 0.0));
    }

    @Test
    void seedRuleOnAPrunedLayerRemovesMoreThanTheRatioBecauseZerosShareOneRank() {
        // Ten distinct magnitudes: ratio 0.9 removes ranks 1..9, leaving one weight.
        float[] w = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        float[] keep = MagnitudePruner.keepMask(w, 0.9);
        assertEquals(1, count(keep, 1f));
        assertEquals(1f, keep[9]);
        // Half of them zero: ranks 1 (zeros) .. 6, ceil(6 * 0.5) = 3 removes the zeros and two more.
        float[] half = {0, 0, 0, 0, 0, 6, 7, 8, 9, 10};
        assertEquals(7, 10 - count(MagnitudePruner.keepMask(half, 0.5), 1f));
    }

    private static int count(float[] a, float v) {
        int n = 0;
        for (float x : a) if (x == v) n++;
        return n;
    }

    @Test
    void seedPrunerLeavesTheOutputLayerAndBiasesUntouched() {
        try (Model m = model(3)) {
            float[] outputBefore = weights(m, 2);
            float[] biasBefore = new float[4];
            backend.download(m.weightLayers().get(0).bias().value(), biasBefore);
            List<LayerMask> masks = new MagnitudePruner().select(m, 0.5);
            assertEquals(List.of("net.0", "net.2"), masks.stream().map(lm -> lm.layer().path()).toList());
            try (PruningMasks pm = new PruningMasks(m)) {
                pm.update(masks);
                assertArrayEquals(outputBefore, weights(m, 2), 0f);
                float[] bias = new float[4];
                backend.download(m.weightLayers().get(0).bias().value(), bias);
                assertArrayEquals(biasBefore, bias, 0f);
                // Random weights have distinct magnitudes: ceil(32 * 0.5) = 16 of layer 0's 32 weights go.
                assertEquals(16, count(weights(m, 0), 0f));
                assertEquals(8, count(weights(m, 1), 0f));
            }
        }
    }

    @Test
    void layerMagnitudeRemovesTheExactCountPerLayerWithTiesByIndex() {
        float[] w = {3, 1, 1, 1, 2, 1};
        assertArrayEquals(new float[]{1, 0, 0, 1, 1, 1}, MagnitudeOrder.keepAllButSmallest(w, 2));
        try (Model m = model(4); PruningMasks pm = PruningMasks.prune(m, new LayerMagnitudePruner(), 0.6)) {
            assertEquals(Math.round(0.6 * 32), count(weights(m, 0), 0f));
            assertEquals(Math.round(0.6 * 16), count(weights(m, 1), 0f));
            assertEquals(0, count(weights(m, 2), 0f), "output layer");
        }
    }

    @Test
    void globalMagnitudeRemovesExactlyTheRequestedCountBelowOneThreshold() {
        for (double ratio : new double[]{0.0, 0.1, 0.37, 0.9}) {
            try (Model m = model(5)) {
                float[][] before = {weights(m, 0), weights(m, 1)};
                float[] output = weights(m, 2);
                try (PruningMasks pm = PruningMasks.prune(m, new GlobalMagnitudePruner(), ratio)) {
                    float[][] after = {weights(m, 0), weights(m, 1)};
                    long zeros = count(after[0], 0f) + count(after[1], 0f);
                    assertEquals(Math.round(ratio * 48), zeros, "ratio " + ratio);
                    float largestRemoved = 0, smallestKept = Float.POSITIVE_INFINITY;
                    for (int l = 0; l < 2; l++) {
                        for (int i = 0; i < before[l].length; i++) {
                            float a = Math.abs(before[l][i]);
                            if (after[l][i] == 0f) largestRemoved = Math.max(largestRemoved, a);
                            else {
                                smallestKept = Math.min(smallestKept, a);
                                assertEquals(before[l][i], after[l][i], 0f, "kept weights unchanged");
                            }
                        }
                    }
                    assertTrue(largestRemoved <= smallestKept, "one threshold: " + largestRemoved + " vs " + smallestKept);
                    assertArrayEquals(output, weights(m, 2), 0f);
                }
            }
        }
    }

    @Test
    void globalMagnitudeBreaksTiesByLayerThenIndex() {
        try (Model m = model(6)) {
            float[] ones0 = new float[32], ones1 = new float[16];
            java.util.Arrays.fill(ones0, 1f);
            java.util.Arrays.fill(ones1, 1f);
            backend.upload(ones0, m.weightLayers().get(0).weight().value());
            backend.upload(ones1, m.weightLayers().get(1).weight().value());
            List<LayerMask> masks = new GlobalMagnitudePruner().select(m, 0.75); // 36 of 48
            assertEquals(32, masks.get(0).pruned());
            float[] k1 = masks.get(1).keep();
            for (int i = 0; i < 16; i++) assertEquals(i < 4 ? 0f : 1f, k1[i], "layer 1 weight " + i);
        }
    }

    @Test
    void includeOutputLayerPrunesItToo() {
        try (Model m = model(7); PruningMasks pm = PruningMasks.prune(m, new GlobalMagnitudePruner(true), 0.5)) {
            assertEquals(3, pm.masks().size());
            assertEquals(Math.round(0.5 * 60), Sparsity.of(m).zeros());
        }
    }

    @Test
    void twoFourKeepsTheTwoLargestOfEveryGroupAndPadsAShortLastGroup() {
        float[] row = {1, -3, 2, 0.5f, 4, 4, 4, 1, 5, -6, 7};
        assertArrayEquals(new float[]{0, 1, 1, 0, 1, 1, 0, 0, 0, 1, 1}, StructuredSparsity24.keepMask(row, 11));
        // Two rows of 6: groups [0..3], [4..5] per row; a group of two keeps both.
        float[] two = {1, 2, 3, 4, 9, 8, 4, 3, 2, 1, 0, 5};
        assertArrayEquals(new float[]{0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1}, StructuredSparsity24.keepMask(two, 6));
    }

    @Test
    void twoFourPatternHoldsInEveryGroupOfEveryPrunedLayer() {
        try (Model m = ModelFactory.create(new ModelConfig("dense", new int[]{12}, 3, List.of(8), 0f, false), backend, 9);
             PruningMasks pm = PruningMasks.prune(m, new StructuredSparsity24(), 0.0)) {
            WeightLayer first = m.weightLayers().getFirst();
            float[] w = weights(m, 0);
            for (int g = 0; g < w.length; g += 4) {
                int nonZero = 0;
                for (int i = g; i < g + 4; i++) if (w[i] != 0f) nonZero++;
                assertEquals(2, nonZero, first.path() + " group at " + g);
            }
            assertEquals(0, count(weights(m, 1), 0f), "output layer");
            assertEquals(0.5, Sparsity.of(m).layers().getFirst().sparsity());
        }
    }

    @Test
    void twoFourGroupsAConvKernelAlongItsFlattenedInputAxis() {
        try (Model m = ModelFactory.create(new ModelConfig("cnn-small", new int[]{1, 8, 8}, 3, List.of(), 0f, false), backend, 2);
             PruningMasks pm = PruningMasks.prune(m, new StructuredSparsity24(), 0.0)) {
            WeightLayer conv = m.weightLayers().get(1);
            float[] w = weights(m, 1);
            int rowLength = w.length / conv.outChannels();
            for (int row = 0; row < w.length; row += rowLength) {
                for (int g = row; g < row + rowLength; g += 4) {
                    int nonZero = 0;
                    for (int i = g; i < Math.min(g + 4, row + rowLength); i++) if (w[i] != 0f) nonZero++;
                    assertTrue(nonZero <= 2, conv.path() + " group at " + g);
                }
            }
        }
    }

    @Test
    void ratiosOutsideZeroToOneAreRejectedNamingTheRange() {
        try (Model m = model(1)) {
            var e = assertThrows(IllegalArgumentException.class, () -> new GlobalMagnitudePruner().select(m, 1.0));
            assertTrue(e.getMessage().contains("[0, 1)"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new MagnitudePruner().select(m, -0.1));
            assertThrows(IllegalArgumentException.class, () -> new LayerMagnitudePruner().select(m, Double.NaN));
        }
    }
}
