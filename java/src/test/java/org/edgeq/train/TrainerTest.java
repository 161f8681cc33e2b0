package org.edgeq.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.edgeq.backend.Backend;
import org.edgeq.data.DataSplit;
import org.edgeq.data.Dataset;
import org.edgeq.data.SplitIndices;
import org.edgeq.data.SyntheticDatasets;
import org.edgeq.data.Task;
import org.edgeq.nn.Loss;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.ModelPresets;
import org.edgeq.nn.TestBackends;
import org.edgeq.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The trainer learns, is reproducible, stops early with the best weights, refuses to continue on NaN, and does not allocate per batch. */
class TrainerTest {
    private static Backend backend;
    private static final Dataset BLOBS = SyntheticDatasets.blobs(900, 3, 1, 4, 2, 2.0, 5);

    @BeforeAll
    static void startBackend() {
        backend = TestBackends.cpu(2);
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    /** Every parameter and buffer of the model, downloaded (also used by {@link WarmUpTest}). */
    static Map<String, float[]> state(Model m) {
        Map<String, float[]> s = new LinkedHashMap<>();
        for (var e : m.stateDict().entrySet()) {
            float[] a = new float[(int) e.getValue().numel()];
            m.backend().download(e.getValue(), a);
            s.put(e.getKey(), a);
        }
        return s;
    }

    static void assertSameState(Map<String, float[]> a, Map<String, float[]> b) {
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertArrayEquals(a.get(k), b.get(k), k);
    }

    private static boolean sameState(Map<String, float[]> a, Map<String, float[]> b) {
        for (String k : a.keySet()) if (!Arrays.equals(a.get(k), b.get(k))) return false;
        return true;
    }

    @Test
    void denseModelLearnsSeparableBlobsWellAboveChance() {
        SplitIndices split = DataSplit.sixtyTwentyTwenty(BLOBS, 3);
        TrainingConfig cfg = TrainingConfig.seedDefaults(1).withEpochs(5);
        try (Model m = ModelFactory.create(ModelPresets.denseSimple(6, 3), backend, 1)) {
            TrainingResult r = new Trainer(cfg).train(m, BLOBS, split.train(), split.validation(), null);
            assertEquals(5, r.epochsRun());
            assertEquals(TrainingResult.StopReason.COMPLETED, r.stop());
            Evaluation test = Evaluator.evaluate(m, BLOBS, split.test(), 64);
            assertTrue(test.accuracy() > 0.85, "test accuracy " + test.accuracy() + " (chance 0.33)");
            assertTrue(r.last().trainLoss() < r.history().getFirst().trainLoss(), "training loss falls");
            assertEquals(split.test().length, test.samples());
        }
    }

    @Test
    void denseRegressionReachesAHighR2WithSgdAndACosineSchedule() {
        Dataset data = SyntheticDatasets.regression(1200, 9);
        SplitIndices split = DataSplit.sixtyTwentyTwenty(data, 3);
        TrainingConfig cfg = new TrainingConfig(20, 32, 0.02f, new LearningRateSchedule.Cosine(20, 0f),
                new OptimizerSpec.Sgd(0.9f, true), 1e-4f, 1, 0);
        ModelConfig mc = new ModelConfig("dense", new int[] {8}, 1, List.of(64, 32), 0f, false);
        try (Model m = ModelFactory.create(mc, backend, 1)) {
            TrainingResult r = new Trainer(cfg).train(m, data, split.train(), split.validation(), null);
            assertTrue(Double.isNaN(r.last().valAccuracy()));
            Evaluation test = Evaluator.evaluate(m, data, split.test(), 100);
            assertTrue(test.r2() > 0.8, "test R² " + test.r2());
            assertEquals(test.loss(), test.mse(), 1e-4 * test.mse(), "MSE loss and MSE metric agree");
            assertEquals(0f, r.last().learningRate(), 0.02f * 0.01f, "cosine ends near zero");
        }
    }

    @Test
    void sameSeedsGiveBitIdenticalWeightsAndAnotherSeedDiffers() {
        Map<String, float[]> a = trainComplex(7, 7);
        Map<String, float[]> b = trainComplex(7, 7);
        assertSameState(a, b);
        assertFalse(sameState(a, trainComplex(7, 8)), "another shuffling seed changes the weights");
        assertFalse(sameState(a, trainComplex(8, 7)), "another model seed changes the weights");
    }

    private static Map<String, float[]> trainComplex(long modelSeed, long trainSeed) {
        ModelConfig mc = new ModelConfig("dense", new int[] {6}, 3, List.of(20, 40, 60, 30), 0.1f, true);
        try (Model m = ModelFactory.create(mc, backend, modelSeed)) {
            TrainingConfig cfg = TrainingConfig.seedDefaults(trainSeed).withEpochs(2).withBatchSize(32);
            new Trainer(cfg).train(m, BLOBS, null, null);
            return state(m);
        }
    }

    @Test
    void earlyStoppingRestoresTheWeightsOfTheBestValidationEpoch() {
        // Validation labels are shifted by one class, so learning the training labels makes validation worse.
        int[] shifted = Arrays.stream(BLOBS.labels()).map(y -> (y + 1) % 3).toArray();
        Dataset val = new Dataset("shifted", Task.CLASSIFICATION, BLOBS.size(), BLOBS.featureShape(), BLOBS.features(),
                shifted, null, 3, BLOBS.featureNames(), BLOBS.classNames());
        List<Map<String, float[]>> perEpoch = new ArrayList<>();
        try (Model m = ModelFactory.create(ModelPresets.denseSimple(6, 3), backend, 2)) {
            TrainingConfig cfg = TrainingConfig.seedDefaults(1).withEpochs(20).withEarlyStopping(2);
            TrainingResult r = new Trainer(cfg).train(m, BLOBS, val, (stats, improved) -> perEpoch.add(state(m)));
            assertEquals(TrainingResult.StopReason.EARLY_STOPPED, r.stop());
            assertEquals(r.bestEpoch() + 2, r.epochsRun(), "stops after patience epochs without improvement");
            assertSameState(perEpoch.get(r.bestEpoch() - 1), state(m));
            assertFalse(sameState(perEpoch.getLast(), state(m)), "the last epoch's weights were discarded");
        }
    }

    @Test
    void nonFiniteLossThrowsNamingEpochAndBatchAndKeepsTheBestWeights() {
        float[] x = BLOBS.features().clone();
        x[6 * 100 + 2] = Float.NaN;
        Dataset poisoned = new Dataset("poisoned", Task.CLASSIFICATION, BLOBS.size(), BLOBS.featureShape(), x,
                BLOBS.labels(), null, 3, BLOBS.featureNames(), BLOBS.classNames());
        try (Model m = ModelFactory.create(ModelPresets.denseSimple(6, 3), backend, 2)) {
            Map<String, float[]> initial = state(m);
            var e = assertThrows(TrainingDivergedException.class,
                    () -> new Trainer(TrainingConfig.seedDefaults(1)).train(m, poisoned, null, null));
            assertEquals(1, e.epoch());
            assertTrue(e.batch() >= 1 && e.batch() <= (BLOBS.size() + 15) / 16, "batch " + e.batch());
            assertTrue(e.getMessage().contains("epoch 1, batch " + e.batch()), e.getMessage());
            assertSameState(initial, state(m));
        }
    }

    @Test
    void divergenceInALaterEpochWithoutValidationRestoresTheLastFinishedEpoch() {
        List<Map<String, float[]>> perEpoch = new ArrayList<>();
        try (Model m = ModelFactory.create(ModelPresets.denseSimple(6, 3), backend, 2)) {
            // A learning rate of 1e30 overflows to a non-finite loss within a few steps of the second epoch at the latest.
            Trainer t = new Trainer(TrainingConfig.seedDefaults(1).withEpochs(3).withSchedule(new LearningRateSchedule.Step(1, 1e30f)));
            var e = assertThrows(TrainingDivergedException.class, () -> t.train(m, BLOBS, null, (s, i) -> perEpoch.add(state(m))));
            assertEquals(2, e.epoch());
            assertSameState(perEpoch.getFirst(), state(m));
        }
    }

    @Test
    void steadyStateTrainingAllocatesNoTensors() {
        CountingBackend counting = new CountingBackend(backend);
        // 100 samples with batch 16 end every epoch on a short batch of 4, exercising the firstRows views.
        Dataset images = SyntheticDatasets.images(100, 8, 3, 3);
        ModelConfig mc = new ModelConfig("cnn-small", new int[] {1, 8, 8}, 3, List.of(), 0.25f, false);
        try (Model m = ModelFactory.create(mc, counting, 1)) {
            List<Long> counts = new ArrayList<>();
            new Trainer(TrainingConfig.seedDefaults(1).withEpochs(3)).train(m, images, images,
                    (s, i) -> counts.add(counting.allocations.get()));
            assertEquals(counts.get(0), counts.get(2), "allocations after epoch 1 and after epoch 3");
        }
    }

    @Test
    void hooksSeeEveryStepInOrderAndAnOverriddenLossIsTheOneTrainedOn() {
        List<String> events = new ArrayList<>();
        long[] lastStep = {0};
        TrainingHook recorder = new TrainingHook() {
            @Override
            public void beforeForward(Tensor x, int epoch, long step) {
                assertEquals(lastStep[0] + 1, step, "steps count from 1 across epochs");
                lastStep[0] = step;
                events.add("f");
            }

            @Override
            public void beforeOptimizerStep(long step) {
                events.add("b");
            }

            @Override
            public void afterOptimizerStep(long step) {
                events.add("a");
            }

            @Override
            public void beforeValidation(int epoch) {
                events.add("v" + epoch);
            }

            @Override
            public void afterValidation(int epoch) {
                events.add("w" + epoch);
            }
        };
        double[] lossCalls = {0};
        Loss counting = (b, out, target, d) -> {
            lossCalls[0]++;
            return b.softmaxCrossEntropy(out, target, d);
        };
        SplitIndices split = DataSplit.sixtyTwentyTwenty(BLOBS, 3);
        try (Model m = ModelFactory.create(ModelPresets.denseSimple(6, 3), backend, 1)) {
            new Trainer(TrainingConfig.seedDefaults(1).withEpochs(2).withBatchSize(100)).withHook(recorder).withLoss(counting)
                    .train(m, BLOBS, split.train(), split.validation(), null);
        }
        int stepsPerEpoch = (split.train().length + 99) / 100;
        StringBuilder expected = new StringBuilder();
        for (int e = 0; e < 2; e++) {
            expected.append("fba".repeat(stepsPerEpoch)).append("v").append(e).append("w").append(e);
        }
        assertEquals(expected.toString(), String.join("", events));
        assertEquals(2 * stepsPerEpoch, lastStep[0]);
        assertEquals(2 * stepsPerEpoch, lossCalls[0], "the overriding loss computes every training batch");
    }

    @Test
    void requestStopEndsTheRunAfterTheCurrentEpochAsInterrupted() {
        try (Model m = ModelFactory.create(ModelPresets.denseSimple(6, 3), backend, 2)) {
            Trainer t = new Trainer(TrainingConfig.seedDefaults(1).withEpochs(10));
            TrainingResult r = t.train(m, BLOBS, null, (s, i) -> t.requestStop());
            assertEquals(TrainingResult.StopReason.INTERRUPTED, r.stop());
            assertEquals(1, r.epochsRun());
        }
    }

    @Test
    void modelWithTooFewOutputsForTheClassesIsRejected() {
        try (Model m = ModelFactory.create(ModelPresets.denseSimple(6, 2), backend, 2)) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> new Trainer(TrainingConfig.seedDefaults(1)).train(m, BLOBS, null, null));
            assertTrue(e.getMessage().contains("3 classes"), e.getMessage());
        }
    }

    /** Unused helper kept private to the test: reads a tensor. */
    static float[] values(Backend b, Tensor t) {
        float[] a = new float[(int) t.numel()];
        b.download(t, a);
        return a;
    }
}
