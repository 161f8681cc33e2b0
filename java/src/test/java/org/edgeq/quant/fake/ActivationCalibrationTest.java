package org.edgeq.quant.fake;

import org.edgeq.quant.observe.ObserverKind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.edgeq.nn.TestBackends;
import org.edgeq.train.Evaluator;
import org.edgeq.train.Trainer;
import org.edgeq.train.TrainingConfig;
import org.junit.jupiter.api.Test;

/** Static activation calibration fixes each layer's input scale from the ranges seen on the calibration batches. */
class ActivationCalibrationTest {
    private static final Dataset BLOBS = SyntheticDatasets.blobs(600, 3, 1, 4, 2, 2.0, 5);

    @Test
    void firstLayerScaleMatchesTheRangeOfTheCalibrationRowsAndLaterInputsAreNonNegative() {
        SplitIndices split = DataSplit.sixtyTwentyTwenty(BLOBS, 3);
        ModelConfig mc = new ModelConfig("dense", new int[] {6}, 3, List.of(16), 0f, false);
        QuantSpec a8 = new QuantSpec(8, false, false, ObserverKind.MIN_MAX, 0.01f, false);
        try (Backend backend = TestBackends.cpu(2); Model m = ModelFactory.create(mc, backend, 2)) {
            new Trainer(TrainingConfig.seedDefaults(2).withEpochs(3)).train(m, BLOBS, split.train(), null, null);
            double fp = Evaluator.evaluate(m, BLOBS, split.test(), 64).accuracy();
            int batches = 3, batchSize = 32;
            float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < batches * batchSize; i++) {
                for (int j = 0; j < 6; j++) {
                    float v = BLOBS.features()[split.train()[i] * 6 + j];
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            try (QatHook hook = ActivationCalibration.calibrate(m, BLOBS, split.train(), batches, batchSize, QuantSpec.weights(8), a8)) {
                FakeQuantize first = hook.layers().getFirst().inputQuantizer();
                assertEquals((Math.max(max, 0) - Math.min(min, 0)) / 255f, first.scales()[0], 1e-7f);
                assertEquals(Math.round(-Math.min(min, 0) / first.scales()[0]), first.zeroPoints()[0]);
                assertEquals(0, hook.layers().get(1).inputQuantizer().zeroPoints()[0], "ReLU outputs start the grid at 0");
                assertFalse(first.observing(), "calibration freezes the observers");
                double w8a8 = Evaluator.evaluate(m, BLOBS, split.test(), 64).accuracy();
                assertTrue(w8a8 > fp - 0.02, "W8A8 " + w8a8 + " vs FP32 " + fp);
                float before = first.scales()[0];
                new Trainer(TrainingConfig.seedDefaults(2).withEpochs(1)).train(m, BLOBS, split.train(), null, null);
                assertEquals(before, first.scales()[0], "fixed scales do not move with further batches");
            }
        }
    }

    @Test
    void rangeObserversOfTheObservePackageSetTheScalesMinMaxAgreesAndPercentileClipsTighter() {
        SplitIndices split = DataSplit.sixtyTwentyTwenty(BLOBS, 3);
        ModelConfig mc = new ModelConfig("dense", new int[] {6}, 3, List.of(16), 0f, false);
        QuantSpec a8 = new QuantSpec(8, false, false, ObserverKind.MIN_MAX, 0.01f, false);
        try (Backend backend = TestBackends.cpu(2); Model m = ModelFactory.create(mc, backend, 2)) {
            float own, minMax, percentile;
            try (QatHook h = ActivationCalibration.calibrate(m, BLOBS, split.train(), 4, 32, null, a8)) {
                own = h.layers().getFirst().inputQuantizer().scales()[0];
            }
            try (QatHook h = ActivationCalibration.calibrate(m, BLOBS, split.train(), 4, 32, null, a8,
                    ObserverKind.MIN_MAX)) {
                minMax = h.layers().getFirst().inputQuantizer().scales()[0];
            }
            try (QatHook h = ActivationCalibration.calibrate(m, BLOBS, split.train(), 4, 32, null, a8,
                    ObserverKind.PERCENTILE)) {
                percentile = h.layers().getFirst().inputQuantizer().scales()[0];
            }
            assertEquals(own, minMax, 1e-7f, "the observe package's min-max agrees with the running min-max");
            assertTrue(percentile <= minMax, "a percentile range is never wider: " + percentile + " vs " + minMax);
        }
    }
}
