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
import org.edgeq.quant.LandmarkSetKind;
import org.edgeq.quant.ModelQuantizer;
import org.edgeq.quant.QuantizedTensor;
import org.edgeq.quant.RoundingQuantizer;
import org.edgeq.train.Evaluator;
import org.edgeq.train.TrainingConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Quantizing a pruned model keeps its removed weights at exactly zero and its kept weights on the quantizer's levels. */
class PruneThenQuantizeTest {
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
        return ModelFactory.create(new ModelConfig("dense", new int[]{6}, 3, List.of(16), 0f, false), backend, 21);
    }

    @Test
    void aLandmarkQuantizerAloneMovesPrunedZerosSoTheMaskIsReapplied() {
        try (Model m = model(); PruningMasks masks = PruningMasks.prune(m, new LayerMagnitudePruner(), 0.7)) {
            long zeros = Sparsity.of(m).zeros();
            ModelQuantizer.apply(m, new RoundingQuantizer(LandmarkSetKind.UNIFORM), 4);
            assertNotEquals(zeros, Sparsity.of(m).zeros(), "uniform landmarks have no zero level");
        }
        try (Model m = model(); PruningMasks masks = PruningMasks.prune(m, new LayerMagnitudePruner(), 0.7)) {
            long zeros = Sparsity.of(m).zeros();
            PruneThenQuantize.Result r = PruneThenQuantize.quantize(masks, new RoundingQuantizer(LandmarkSetKind.UNIFORM), 4);
            assertEquals(zeros, Sparsity.of(m).zeros());
            float[] keep = r.keep().get("net.0.weight");
            QuantizedTensor q = r.quantized().get("net.0.weight");
            float[] levels = q.dequantize();
            float[] w = Pruner.weights(m, m.weightLayers().getFirst());
            for (int i = 0; i < w.length; i++) assertEquals(keep[i] == 0f ? 0f : levels[i], w[i], 0f, "weight " + i);
        }
    }

    @Test
    void pruneFineTuneQuantizeEndsSparseQuantizedAndAccurate() {
        try (Model m = model()) {
            PruneThenQuantize.Result r = PruneThenQuantize.run(m, new GlobalMagnitudePruner(), 0.5,
                    TrainingConfig.seedDefaults(1).withEpochs(3), BLOBS, SPLIT.train(), SPLIT.validation(), null,
                    new RoundingQuantizer(LandmarkSetKind.UNIFORM), 4);
            assertEquals(3, r.fineTuning().epochsRun());
            assertEquals(Math.round(0.5 * 96), Sparsity.of(m).layers().getFirst().zeros());
            assertTrue(r.quantized().containsKey("net.2.weight"), "the output layer is quantized, only not pruned");
            double acc = Evaluator.evaluate(m, BLOBS, SPLIT.test(), 64).accuracy();
            assertTrue(acc > 0.8, "accuracy " + acc);
        }
    }
}
