package org.edgeq.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.edgeq.backend.Backend;
import org.edgeq.data.DataSplit;
import org.edgeq.data.Dataset;
import org.edgeq.data.SplitIndices;
import org.edgeq.data.SyntheticDatasets;
import org.edgeq.data.Task;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.ModelPresets;
import org.edgeq.nn.TestBackends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A warm-up trains a throwaway copy: bounded in time, cancellable, and invisible in the real run's results. */
class WarmUpTest {
    private static Backend backend;
    private static final Dataset BLOBS = SyntheticDatasets.blobs(600, 3, 1, 4, 2, 2.0, 5);
    private static final ModelConfig MODEL = ModelPresets.denseComplex(6, 3);

    @BeforeAll
    static void startBackend() {
        backend = TestBackends.cpu(2);
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    private static Map<String, float[]> trainedState(boolean warmFirst) {
        SplitIndices split = DataSplit.sixtyTwentyTwenty(BLOBS, 3);
        TrainingConfig cfg = TrainingConfig.seedDefaults(4).withEpochs(2);
        try (Model m = ModelFactory.create(MODEL, backend, 4)) {
            if (warmFirst) WarmUp.run(MODEL, backend, BLOBS, cfg, 0.5, () -> false);
            new Trainer(cfg).train(m, BLOBS, split.train(), split.validation(), null);
            return TrainerTest.state(m);
        }
    }

    @Test
    void theRealRunTrainsToTheSameWeightsWithOrWithoutAWarmUp() {
        TrainerTest.assertSameState(trainedState(false), trainedState(true));
    }

    @Test
    void aWarmUpEndsByItsDeadlineOrWhenStepsStopGettingFaster() {
        WarmUp.Report r = WarmUp.run(MODEL, backend, BLOBS, TrainingConfig.seedDefaults(1), 0.3, () -> false);
        assertTrue(r.batches() > 0, "it trained: " + r);
        // The deadline is checked after every batch; one batch of this model takes well under a second.
        assertTrue(r.seconds() < 0.3 + 10, "it stopped near its deadline: " + r);
    }

    @Test
    void aCancelledWarmUpStopsAfterItsFirstBatch() {
        WarmUp.Report r = WarmUp.run(MODEL, backend, BLOBS, TrainingConfig.seedDefaults(1), 60, () -> true);
        assertEquals(1, r.batches());
    }

    @Test
    void itsDataHasTheShapeTaskAndClassesOfTheRealData() {
        Dataset like = WarmUp.randomLike(BLOBS, 40, 1);
        assertEquals(40, like.size());
        assertArrayEquals(BLOBS.featureShape(), like.featureShape());
        assertEquals(Task.CLASSIFICATION, like.task());
        for (int y : like.labels()) assertTrue(y >= 0 && y < BLOBS.numClasses());
        Dataset regression = WarmUp.randomLike(SyntheticDatasets.regression(50, 2), 10, 1);
        assertEquals(Task.REGRESSION, regression.task());
        assertEquals(10, regression.targets().length);
    }

    @Test
    void onlyEpochsOfTwoHundredBatchesOrMoreAreWarmed() {
        assertTrue(WarmUp.worthIt(54_000, 16));
        assertTrue(WarmUp.worthIt(200 * 64, 64));
        assertEquals(false, WarmUp.worthIt(199 * 64, 64));
        assertEquals(false, WarmUp.worthIt(200, 64));
    }
}
