package org.edgeq.quant.fake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.edgeq.backend.Backend;
import org.edgeq.data.DataSplit;
import org.edgeq.data.Dataset;
import org.edgeq.data.SplitIndices;
import org.edgeq.data.SyntheticDatasets;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.QuantizableLayer;
import org.edgeq.nn.TestBackends;
import org.edgeq.nn.WeightLayerRef;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.edgeq.train.Evaluator;
import org.edgeq.train.Trainer;
import org.edgeq.train.TrainingConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Quantization-aware training learns nearly as well as full precision, and its layers compute what they claim. */
class QatTest {
    private static Backend backend;
    private static final Dataset BLOBS = SyntheticDatasets.blobs(1200, 4, 1, 6, 2, 2.0, 7);

    @BeforeAll
    static void start() {
        backend = TestBackends.cpu(2);
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    private static ModelConfig mlp() {
        return new ModelConfig("dense", new int[] {8}, 4, List.of(32, 16), 0f, false);
    }

    private static double trainAndTest(QatConfig qat, long seed) {
        SplitIndices split = DataSplit.sixtyTwentyTwenty(BLOBS, 3);
        try (Model m = ModelFactory.create(mlp(), backend, seed)) {
            Trainer trainer = new Trainer(TrainingConfig.seedDefaults(seed).withEpochs(6));
            QatHook hook = qat == null ? null : QatHook.prepare(m, qat);
            try {
                if (hook != null) trainer.withHook(hook);
                trainer.train(m, BLOBS, split.train(), split.validation(), null);
                if (hook != null) hook.freeze();
                return Evaluator.evaluate(m, BLOBS, split.test(), 64).accuracy();
            } finally {
                if (hook != null) hook.close();
            }
        }
    }

    @Test
    void w4a8QatOnBlobsReachesAccuracyCloseToFullPrecision() {
        double fp = trainAndTest(null, 1);
        double w4a8 = trainAndTest(QatConfig.of(4, 8), 1);
        double lsq = trainAndTest(QatConfig.of(4, 8).withLearnedSteps(), 1);
        assertTrue(fp > 0.8, "full precision learns the blobs: " + fp);
        assertTrue(w4a8 > fp - 0.03, "W4A8 QAT " + w4a8 + " vs FP32 " + fp);
        assertTrue(lsq > fp - 0.03, "W4A8 LSQ QAT " + lsq + " vs FP32 " + fp);
    }

    @Test
    void w2QatStillLearnsWhereTwoBitWeightsAreAStrongConstraint() {
        double w2 = trainAndTest(new QatConfig(QuantSpec.weights(2), null, 0, 1e-3f), 2);
        assertTrue(w2 > 0.6, "2-bit weights QAT " + w2 + " (chance 0.25)");
    }

    @Test
    void fakeQuantizedLinearComputesWithQuantizedOperandsAndRoutesSteGradients() {
        try (Model m = ModelFactory.create(new ModelConfig("dense", new int[] {5}, 3, List.of(), 0f, false), backend, 4);
             TensorScope scope = new TensorScope()) {
            WeightLayerRef wl = m.weightLayers().getFirst();
            float[] xv = {0.3f, -1.2f, 2.5f, 0.05f, -0.7f, 1.1f, 0.9f, -0.2f, 0.4f, 3.0f};
            Tensor x = Tensor.of(scope, xv, 2, 5);
            float[] w = wl.weight().value().toFloatArray(), b = wl.bias().value().toFloatArray();
            try (QatHook qat = QatHook.prepare(m, QatConfig.of(3, 4))) {
                float[] y = m.forward(x, true).toFloatArray();
                FakeQuantize wq = qat.layers().getFirst().weightQuantizer(), aq = qat.layers().getFirst().inputQuantizer();
                float[] ws = wq.scales();
                float as = aq.scales()[0];
                int az = aq.zeroPoints()[0];
                // Symmetric 3-bit weights: codes -3..3, scale = max|w_row| / 3 per row; unsigned 4-bit input with zero point.
                for (int r = 0; r < 3; r++) {
                    float amax = 0;
                    for (int j = 0; j < 5; j++) amax = Math.max(amax, Math.abs(w[r * 5 + j]));
                    assertEquals(amax / 3f, ws[r], 1e-7f, "row " + r + " scale");
                }
                assertEquals((3.0f + 1.2f) / 15f, as, 1e-7f, "input scale spans [min, max] over 15 steps");
                assertEquals(Math.round(1.2f / as), az, "zero point puts 0 on the grid");
                for (int n = 0; n < 2; n++) {
                    for (int r = 0; r < 3; r++) {
                        double acc = b[r];
                        for (int j = 0; j < 5; j++) {
                            float xq = (float) ((Math.min(Math.max(Math.rint(xv[n * 5 + j] * (1f / as)) + az, 0), 15) - az) * as);
                            float wqv = (float) (Math.min(Math.max(Math.rint(w[r * 5 + j] * (1f / ws[r])), -3), 3) * ws[r]);
                            acc += (double) xq * wqv;
                        }
                        assertEquals(acc, y[n * 3 + r], 1e-5, "output " + n + "," + r);
                    }
                }
                // Backward: the weight gradient is dy^T x_q, masked where a weight's code fell outside -3..3.
                float[] dyv = {1f, -2f, 0.5f, 0.25f, 1f, -1f};
                Tensor dy = Tensor.of(scope, dyv, 2, 3);
                m.backward(dy);
                float[] dw = wl.weight().grad().toFloatArray();
                for (int r = 0; r < 3; r++) {
                    for (int j = 0; j < 5; j++) {
                        double g = 0;
                        for (int n = 0; n < 2; n++) {
                            float xq = (float) ((Math.min(Math.max(Math.rint(xv[n * 5 + j] * (1f / as)) + az, 0), 15) - az) * as);
                            g += dyv[n * 3 + r] * xq;
                        }
                        double code = Math.rint(w[r * 5 + j] * (1f / ws[r]));
                        double expected = code >= -3 && code <= 3 ? g : 0;
                        assertEquals(expected, dw[r * 5 + j], 1e-5, "weight grad " + r + "," + j);
                    }
                }
            }
            assertNull(((QuantizableLayer) wl.layer()).quantizedForward(), "close detaches the quantizers");
            assertArrayEquals(w, wl.weight().value().toFloatArray(), "fake quantization never touches the FP weights");
        }
    }

    @Test
    void observersFollowTheMovingAverageUntilFrozen() {
        try (FakeQuantize fq = new FakeQuantize(backend, QuantSpec.activations(8), 1); TensorScope scope = new TensorScope()) {
            Tensor a = Tensor.of(scope, new float[] {-1f, 0f, 3f}, 3);
            Tensor b = Tensor.of(scope, new float[] {-2f, 0f, 5f}, 3);
            fq.forward(a, true);
            assertEquals(4f / 255f, fq.scales()[0], 1e-9f);
            fq.forward(b, true);
            float min = -1f + 0.01f * (-2f + 1f), max = 3f + 0.01f * (5f - 3f);
            assertEquals((max - min) / 255f, fq.scales()[0], 1e-8f);
            fq.forward(b, false);
            assertEquals((max - min) / 255f, fq.scales()[0], 1e-8f, "evaluation does not observe");
            fq.freezeObserver();
            float before = fq.scales()[0];
            fq.forward(Tensor.of(scope, new float[] {-50f, 50f}, 2), true);
            assertEquals(before, fq.scales()[0], "a frozen observer keeps its range");
            assertFalse(fq.observing());
        }
    }

    @Test
    void learnedStepSizesMoveDuringTrainingAndFreezeKeepsThemTraining() {
        SplitIndices split = DataSplit.sixtyTwentyTwenty(BLOBS, 3);
        try (Model m = ModelFactory.create(mlp(), backend, 3);
             QatHook qat = QatHook.prepare(m, QatConfig.of(4, 8).withLearnedSteps())) {
            new Trainer(TrainingConfig.seedDefaults(3).withEpochs(1)).withHook(qat).train(m, BLOBS, split.train(), null, null);
            float[] s1 = qat.layers().get(1).weightQuantizer().scales();
            new Trainer(TrainingConfig.seedDefaults(3).withEpochs(1)).withHook(qat).train(m, BLOBS, split.train(), null, null);
            float[] s2 = qat.layers().get(1).weightQuantizer().scales();
            assertNotEquals(s1[0], s2[0], "LSQ step sizes are trained");
            assertTrue(s2[0] > 0);
        }
    }

    @Test
    void fakeQuantizeOutputIsIdempotentAndHasAtMostTwoToTheBitsValues() {
        try (TensorScope scope = new TensorScope(); FakeQuantize fq = new FakeQuantize(backend, QuantSpec.activations(3), 1)) {
            float[] v = new float[1000];
            java.util.Random r = new java.util.Random(9);
            for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
            Tensor x = Tensor.of(scope, v, 1000);
            float[] once = fq.forward(x, true).toFloatArray();
            Tensor y = backend.allocate(scope, DType.F32, 1000);
            fq.apply(Tensor.of(scope, once, 1000), y);
            assertArrayEquals(once, y.toFloatArray(), 0f);
            assertTrue(java.util.Arrays.stream(toDouble(once)).distinct().count() <= 8);
        }
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    @Test
    void qatRunsArePureFunctionsOfTheSeeds() {
        for (QatConfig qc : List.of(QatConfig.of(4, 8), QatConfig.of(4, 8).withLearnedSteps())) {
            assertArrayEquals(trainedWeights(qc), trainedWeights(qc), qc.toString());
        }
    }

    private static float[] trainedWeights(QatConfig qc) {
        ModelConfig mc = new ModelConfig("cnn-small", new int[] {1, 8, 8}, 3, List.of(), 0.25f, false);
        Dataset images = SyntheticDatasets.images(96, 8, 3, 3);
        try (Model m = ModelFactory.create(mc, backend, 8); QatHook qat = QatHook.prepare(m, qc)) {
            new Trainer(TrainingConfig.seedDefaults(8).withEpochs(2)).withHook(qat).train(m, images, images, null);
            float[] w = m.weightLayers().get(1).weight().value().toFloatArray();
            float[] s = qat.layers().get(1).inputQuantizer().scales();
            float[] out = java.util.Arrays.copyOf(w, w.length + 1);
            out[w.length] = s[0];
            return out;
        }
    }
}
