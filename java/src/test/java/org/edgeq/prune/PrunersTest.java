package org.edgeq.prune;

import org.edgeq.backend.Backend;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.ModelPresets;
import org.edgeq.nn.TestBackends;
import org.edgeq.nn.WeightLayerRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pruning rules choose exactly the elements their definitions name; EdgeQ's rules leave the output layer alone unless asked. */
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
    void seedRuleRemovesEveryElementWhoseZeroBasedDenseRankIsAtMostTheCeilingOfMaxRankTimesRatio() {
        // |w| = .5 .1 .1 0 .3 .5 .2 0 -> dense ranks from 0: 4 1 1 0 3 4 2 0 (-0 and +0 tie), max rank 4.
        float[] w = {0.5f, -0.1f, 0.1f, 0f, 0.3f, -0.5f, 0.2f, -0f};
        assertArrayEquals(new int[]{4, 1, 1, 0, 3, 4, 2, 0}, SeedMagnitudePruner.denseRanksOfMagnitude(w));
        // ratio 0.5: ceil(2.0) = 2, ranks 0..2 go.
        assertArrayEquals(new float[]{1, 0, 0, 0, 1, 1, 0, 0}, SeedMagnitudePruner.keepMask(w, 0.5));
        // ratio 0.7: ceil(2.8) = 3.
        assertArrayEquals(new float[]{1, 0, 0, 0, 0, 1, 0, 0}, SeedMagnitudePruner.keepMask(w, 0.7));
        // ratio 0.2: ceil(0.8) = 1, the zeros and the 0.1s; ratio 0: bound 0, the zeros alone.
        assertArrayEquals(new float[]{1, 0, 0, 0, 1, 1, 1, 0}, SeedMagnitudePruner.keepMask(w, 0.2));
        assertArrayEquals(new float[]{1, 1, 1, 0, 1, 1, 1, 0}, SeedMagnitudePruner.keepMask(w, 0.0));
    }

    @Test
    void seedRuleAtRatioZeroStillRemovesTheSmallestMagnitudeAndAlwaysRemovesAOneElementTensor() {
        assertArrayEquals(new float[]{0, 1, 1}, SeedMagnitudePruner.keepMask(new float[]{-1, 2, 3}, 0.0));
        assertArrayEquals(new float[]{0}, SeedMagnitudePruner.keepMask(new float[]{5}, 0.0));
    }

    @Test
    void seedRuleOnAPrunedLayerRemovesMoreThanTheRatioBecauseZerosShareOneRank() {
        // Ten distinct magnitudes, ranks 0..9: ratio 0.8 removes ranks 0..ceil(7.2) = 8, leaving one weight.
        float[] w = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        float[] keep = SeedMagnitudePruner.keepMask(w, 0.8);
        assertEquals(1, count(keep, 1f));
        assertEquals(1f, keep[9]);
        // Half of them zero: ranks 0 (zeros) .. 5, ceil(5 * 0.5) = 3 removes the zeros and three more.
        float[] half = {0, 0, 0, 0, 0, 6, 7, 8, 9, 10};
        assertEquals(8, 10 - count(SeedMagnitudePruner.keepMask(half, 0.5), 1f));
    }

    private static int count(float[] a, float v) {
        int n = 0;
        for (float x : a) if (x == v) n++;
        return n;
    }

    @Test
    void seedPrunerPrunesEveryParameterButTheLastStateDictEntryTheOutputBias() {
        try (Model m = model(3)) {
            float[] outputBias = new float[3];
            backend.download(m.weightLayers().get(2).bias().value(), outputBias);
            List<ParameterMask> masks = new SeedMagnitudePruner().select(m, 0.5);
            assertEquals(List.of("net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias", "net.4.weight"),
                    masks.stream().map(pm -> pm.parameter().name()).toList());
            try (PruningMasks pm = new PruningMasks(m)) {
                pm.update(masks);
                float[] bias = new float[3];
                backend.download(m.weightLayers().get(2).bias().value(), bias);
                assertArrayEquals(outputBias, bias, 0f);
                // Random weights have distinct magnitudes, ranks 0..n-1: ceil((n - 1) * 0.5) + 1 of them go.
                assertEquals(17, count(weights(m, 0), 0f));
                assertEquals(9, count(weights(m, 1), 0f));
                assertEquals(7, count(weights(m, 2), 0f), "the output weight is pruned too");
            }
        }
    }

    @Test
    void seedPrunerPrunesBatchNormScalesAndShiftsAndLeavesRunningStatisticsUnchanged() {
        ModelConfig bn = new ModelConfig("dense", new int[]{8}, 3, List.of(4), 0f, true);
        try (Model m = ModelFactory.create(bn, backend, 4)) {
            float[] mean = {0.5f, -1f, 2f, 0.25f}, var = {1f, 2f, 3f, 4f};
            backend.upload(mean, m.stateDict().get("net.1.running_mean"));
            backend.upload(var, m.stateDict().get("net.1.running_var"));
            float[] gamma = {0.5f, 1f, 1.5f, 2f};
            backend.upload(gamma, m.stateDict().get("net.1.weight"));
            try (PruningMasks pm = PruningMasks.prune(m, new SeedMagnitudePruner(), 0.5)) {
                assertEquals(List.of("net.0.weight", "net.0.bias", "net.1.weight", "net.1.bias", "net.3.weight"),
                        pm.masks().stream().map(x -> x.parameter().name()).toList());
                float[] g = new float[4], rm = new float[4], rv = new float[4];
                backend.download(m.stateDict().get("net.1.weight"), g);
                backend.download(m.stateDict().get("net.1.running_mean"), rm);
                backend.download(m.stateDict().get("net.1.running_var"), rv);
                assertArrayEquals(new float[]{0, 0, 0, 2f}, g, 0f); // ranks 0 1 2 3: ceil(3 * 0.5) = 2, ranks 0..2 go
                assertArrayEquals(mean, rm, 0f);
                assertArrayEquals(var, rv, 0f);
            }
        }
    }

    @Test
    void everyPresetEndsItsStateDictWithTheOutputLayersBiasSoTheSeedRuleSparesExactlyThatTensor() {
        List<ModelConfig> presets = List.of(ModelPresets.denseSimple(10, 2), ModelPresets.denseComplex(10, 1),
                ModelPresets.cnnSmall(new int[]{1, 8, 8}, 3), ModelPresets.cnnSeed(new int[]{1, 8, 8}, 3),
                ModelPresets.resnet9(new int[]{1, 8, 8}, 3));
        for (ModelConfig c : presets) {
            try (Model m = ModelFactory.create(c, backend, 1)) {
                List<String> entries = List.copyOf(m.stateDict().keySet());
                assertEquals(m.weightLayers().getLast().bias().name(), entries.getLast(), c.architecture());
                List<String> pruned = new SeedMagnitudePruner().select(m, 0.0).stream().map(pm -> pm.parameter().name()).toList();
                List<String> parameters = m.parameters().stream().map(org.edgeq.nn.Parameter::name).toList();
                assertEquals(parameters.subList(0, parameters.size() - 1), pruned, c.architecture());
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
            List<ParameterMask> masks = new GlobalMagnitudePruner().select(m, 0.75); // 36 of 48
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
            WeightLayerRef first = m.weightLayers().getFirst();
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
            WeightLayerRef conv = m.weightLayers().get(1);
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
    void heldZerosOfAnEarlierPruningSurviveEveryLaterUpdateOfTheirMask() {
        try (Model m = model(8)) {
            try (PruningMasks first = PruningMasks.prune(m, new LayerMagnitudePruner(), 0.75)) {
                assertEquals(24, count(weights(m, 0), 0f));
            }
            // As a run started from the pruned export: the zeros are held, then a lighter pruning is applied.
            try (PruningMasks masks = PruningMasks.holdingZerosOf(m, List.of("net.0.weight", "net.2.weight"))) {
                assertEquals(List.of("net.0.weight", "net.2.weight"), masks.prunedParameters());
                float[] ones = new float[32];
                java.util.Arrays.fill(ones, 1f);
                masks.update(List.of(new ParameterMask(m.weightLayers().getFirst().weight(), ones)));
                assertEquals(24, count(weights(m, 0), 0f), "keep-all does not revive held zeros");
                backend.upload(ones, m.weightLayers().getFirst().weight().value());
                masks.apply();
                assertEquals(24, count(weights(m, 0), 0f), "training moved them; the masks zero them again");
                masks.update(new SeedMagnitudePruner().select(m, 0.0));
                assertTrue(masks.prunedParameters().containsAll(List.of("net.0.bias", "net.4.weight")), masks.prunedParameters().toString());
            }
        }
    }

    @Test
    void holdingZerosOfAParameterTheModelLacksIsRefusedNamingIt() {
        try (Model m = model(1)) {
            var e = assertThrows(IllegalArgumentException.class, () -> PruningMasks.holdingZerosOf(m, List.of("net.9.weight")));
            assertTrue(e.getMessage().contains("net.9.weight"), e.getMessage());
        }
    }

    @Test
    void ratiosOutsideZeroToOneAreRejectedNamingTheRange() {
        try (Model m = model(1)) {
            var e = assertThrows(IllegalArgumentException.class, () -> new GlobalMagnitudePruner().select(m, 1.0));
            assertTrue(e.getMessage().contains("[0, 1)"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new SeedMagnitudePruner().select(m, -0.1));
            assertThrows(IllegalArgumentException.class, () -> new LayerMagnitudePruner().select(m, Double.NaN));
        }
    }
}
