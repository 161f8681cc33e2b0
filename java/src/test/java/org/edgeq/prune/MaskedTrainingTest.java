package org.edgeq.prune;

import org.edgeq.backend.Backend;
import org.edgeq.data.DataSplit;
import org.edgeq.data.Dataset;
import org.edgeq.data.SplitIndices;
import org.edgeq.data.SyntheticDatasets;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.TestBackends;
import org.edgeq.nn.WeightLayerRef;
import org.edgeq.train.Evaluator;
import org.edgeq.train.Trainer;
import org.edgeq.train.TrainingConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Masks hold through fine-tuning with Adam, and gradual pruning ends at its target sparsity with a model that works. */
class MaskedTrainingTest {
    private static Backend backend;
    private static final Dataset BLOBS = SyntheticDatasets.blobs(900, 3, 1, 4, 2, 2.0, 5);
    private static final SplitIndices SPLIT = DataSplit.sixtyTwentyTwenty(BLOBS, 3);

    @BeforeAll
    static void start() {
        backend = TestBackends.cpu(2);
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    private static Model model() {
        return ModelFactory.create(new ModelConfig("dense", new int[]{6}, 3, List.of(16, 16), 0f, false), backend, 11);
    }

    private static float[] host(org.edgeq.tensor.Tensor t) {
        float[] a = new float[(int) t.numel()];
        backend.download(t, a);
        return a;
    }

    @Test
    void maskedWeightsStayExactlyZeroThroughAdamStepsWithNonZeroGradients() {
        TrainingConfig cfg = TrainingConfig.seedDefaults(2).withEpochs(3);
        try (Model m = model(); PruningMasks masks = PruningMasks.prune(m, new GlobalMagnitudePruner(), 0.8)) {
            List<float[]> before = m.weightLayers().stream().map(l -> host(l.weight().value())).toList();
            new Trainer(cfg).withHook(new MaskHook(masks)).train(m, BLOBS, SPLIT.train(), SPLIT.validation(), null);
            long maskedWithGradient = 0;
            for (PruningMask mask : masks.masks()) {
                org.edgeq.nn.Parameter p = mask.parameter();
                WeightLayerRef l = m.weightLayers().stream().filter(x -> x.weight().name().equals(p.name())).findFirst().orElseThrow();
                float[] keep = mask.keep(), w = host(p.value()), g = host(p.grad());
                float[] w0 = before.get(l.index());
                boolean keptMoved = false;
                for (int i = 0; i < w.length; i++) {
                    if (keep[i] == 0f) {
                        assertEquals(0f, w[i], 0f, p.name() + " masked weight " + i);
                        if (g[i] != 0f) maskedWithGradient++;
                    } else if (w[i] != w0[i]) {
                        keptMoved = true;
                    }
                }
                assertTrue(keptMoved, p.name() + ": kept weights trained");
            }
            assertTrue(maskedWithGradient > 0, "the optimizer did push masked weights");
            assertEquals(Math.round(0.8 * (6 * 16 + 16 * 16)), Sparsity.of(m).zeros());
            assertTrue(Evaluator.evaluate(m, BLOBS, SPLIT.test(), 64).accuracy() > 0.8);
        }
    }

    @Test
    void withoutTheHookAdamRevivesPrunedWeights() {
        TrainingConfig cfg = TrainingConfig.seedDefaults(2).withEpochs(1);
        try (Model m = model(); PruningMasks masks = PruningMasks.prune(m, new GlobalMagnitudePruner(), 0.8)) {
            long zeros = Sparsity.of(m).zeros();
            new Trainer(cfg).train(m, BLOBS, SPLIT.train(), SPLIT.validation(), null);
            assertNotEquals(zeros, Sparsity.of(m).zeros());
        }
    }

    @Test
    void gradualPruningReachesTheTargetInEveryLayerAndKeepsTheModelAccurate() {
        TrainingConfig cfg = TrainingConfig.seedDefaults(3).withEpochs(4);
        int stepsPerEpoch = (SPLIT.train().length + cfg.batchSize() - 1) / cfg.batchSize();
        PolynomialSchedule schedule = new PolynomialSchedule(0, 0.75, 1, 10, stepsPerEpoch / 5);
        try (Model m = model(); PruningMasks masks = new PruningMasks(m)) {
            GradualPruning hook = new GradualPruning(masks, new LayerMagnitudePruner(), schedule);
            new Trainer(cfg).withHook(hook).train(m, BLOBS, SPLIT.train(), SPLIT.validation(), null);
            assertEquals(0.75, hook.currentSparsity(), 1e-12);
            Sparsity s = Sparsity.of(m);
            assertEquals(Math.round(0.75 * 96), s.layers().get(0).zeros());
            assertEquals(Math.round(0.75 * 256), s.layers().get(1).zeros());
            assertEquals(0, s.layers().get(2).zeros(), "output layer");
            assertTrue(Evaluator.evaluate(m, BLOBS, SPLIT.test(), 64).accuracy() > 0.8);
        }
    }
}
