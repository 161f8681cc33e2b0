package org.edgeq.quant.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.edgeq.backend.Backend;
import org.edgeq.data.Dataset;
import org.edgeq.data.SyntheticDatasets;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.TestBackends;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.edgeq.train.Trainer;
import org.edgeq.train.TrainingConfig;
import org.junit.jupiter.api.Test;

/** Folding batch norm into the preceding layers leaves inference outputs unchanged. */
class BatchNormFoldingTest {

    private static void assertSameOutputs(ModelConfig mc, int[] sample, Dataset train) {
        try (Backend backend = TestBackends.cpu(2); Model m = ModelFactory.create(mc, backend, 5); TensorScope scope = new TensorScope()) {
            new Trainer(TrainingConfig.seedDefaults(5).withEpochs(1)).train(m, train, null, null);
            Random r = new Random(3);
            int n = 6, per = Arrays.stream(sample).reduce(1, (a, b) -> a * b);
            float[] xv = new float[n * per];
            for (int i = 0; i < xv.length; i++) xv[i] = (float) r.nextGaussian();
            int[] dims = new int[sample.length + 1];
            dims[0] = n;
            System.arraycopy(sample, 0, dims, 1, sample.length);
            Tensor x = Tensor.of(scope, xv, dims);
            float[] before = m.forward(x, false).toFloatArray();
            float[] weightBefore = m.weightLayers().getFirst().weight().value().toFloatArray();
            int folded = BatchNormFolding.fold(m);
            float[] after = m.forward(x, false).toFloatArray();
            assertFalse(Arrays.equals(weightBefore, m.weightLayers().getFirst().weight().value().toFloatArray()), "weights were rescaled");
            assertEquals(2, folded, "conv/linear + batch-norm pairs folded");
            double scale = 0;
            for (float v : before) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < before.length; i++) {
                assertEquals(before[i], after[i], 1e-5 * Math.max(Math.abs(before[i]), scale), "output " + i);
            }
        }
    }

    @Test
    void foldingConvBatchNormPairsOfCnnSmallPreservesInferenceOutputs() {
        assertSameOutputs(new ModelConfig("cnn-small", new int[] {1, 8, 8}, 3, List.of(), 0.25f, false), new int[] {1, 8, 8},
                SyntheticDatasets.images(64, 8, 3, 3));
    }

    @Test
    void foldingLinearBatchNormPairsPreservesInferenceOutputs() {
        assertSameOutputs(new ModelConfig("dense", new int[] {6}, 3, List.of(12, 8), 0f, true), new int[] {6},
                SyntheticDatasets.blobs(128, 3, 1, 4, 2, 2.0, 5));
    }

    @Test
    void foldingAfterPerChannelQatKeepsTheQuantizedModelsOutputsWithObservedAndLearnedScales() {
        for (QatConfig qc : List.of(QatConfig.of(4, 8), QatConfig.of(4, 8).withLearnedSteps())) {
            assertQatFoldKeepsOutputs(qc);
        }
    }

    private static void assertQatFoldKeepsOutputs(QatConfig qc) {
        ModelConfig mc = new ModelConfig("cnn-small", new int[] {1, 8, 8}, 3, List.of(), 0.25f, false);
        Dataset images = SyntheticDatasets.images(64, 8, 3, 3);
        try (Backend backend = TestBackends.cpu(2); Model m = ModelFactory.create(mc, backend, 6); TensorScope scope = new TensorScope();
             QatHook qat = QatHook.prepare(m, qc)) {
            new Trainer(TrainingConfig.seedDefaults(6).withEpochs(2)).withHook(qat).train(m, images, null, null);
            Random r = new Random(4);
            float[] xv = new float[6 * 64];
            for (int i = 0; i < xv.length; i++) xv[i] = (float) r.nextGaussian();
            Tensor x = Tensor.of(scope, xv, 6, 1, 8, 8);
            float[] before = m.forward(x, false).toFloatArray();
            assertEquals(2, qat.freezeAndFoldBatchNorm());
            float[] after = m.forward(x, false).toFloatArray();
            double scale = 0;
            for (float v : before) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < before.length; i++) assertEquals(before[i], after[i], 1e-3 * scale, qc + ": output " + i);
        }
    }
}
