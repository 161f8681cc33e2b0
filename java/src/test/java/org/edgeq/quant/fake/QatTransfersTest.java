package org.edgeq.quant.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.edgeq.backend.Backend;
import org.edgeq.backend.ForwardingBackend;
import org.edgeq.backend.HostDeviceSimulationBackend;
import org.edgeq.data.DataSplit;
import org.edgeq.data.Dataset;
import org.edgeq.data.SplitIndices;
import org.edgeq.data.SyntheticDatasets;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.ModelPresets;
import org.edgeq.tensor.Tensor;
import org.edgeq.train.Trainer;
import org.edgeq.train.TrainingConfig;
import org.edgeq.train.TrainingHook;
import org.junit.jupiter.api.Test;

/**
 * A QAT step keeps its quantization on the device: observers, scales and zero points, fake quantization and LSQ
 * run as backend ops, so between the forward and the optimizer step nothing but the loss comes back to the host.
 * Counted through {@link HostDeviceSimulationBackend}, whose tensors a device backend would hold, with every SPI
 * call that returns device data to the host counted by name.
 */
class QatTransfersTest {
    private static final Dataset BLOBS = SyntheticDatasets.blobs(240, 3, 1, 4, 2, 2.0, 11);
    private static final SplitIndices BLOB_SPLIT = DataSplit.sixtyTwentyTwenty(BLOBS, 3);
    private static final Dataset IMAGES = SyntheticDatasets.images(160, 8, 4, 5);
    private static final SplitIndices IMAGE_SPLIT = DataSplit.sixtyTwentyTwenty(IMAGES, 3);
    /** The SPI calls that hand device data to the host: copies back and ops that return a value. */
    private static final List<String> LOSSES = List.of("softmaxCrossEntropy", "meanSquaredError", "softTargetKlDivergence");

    /** Counts every call that reads device memory back to the host, by SPI name. */
    private static final class ReadCounting extends ForwardingBackend {
        final Map<String, Integer> reads = new TreeMap<>();

        ReadCounting(Backend device) {
            super(device);
        }

        private void read(String op) {
            reads.merge(op, 1, Integer::sum);
        }

        @Override public void download(Tensor src, float[] dst) { read("download"); super.download(src, dst); }
        @Override public void download(Tensor src, int[] dst) { read("download"); super.download(src, dst); }
        @Override public void minMax(Tensor x, float[] out) { read("minMax"); super.minMax(x, out); }
        @Override public double sum(Tensor x) { read("sum"); return super.sum(x); }
        @Override public double sumOfSquares(Tensor x) { read("sumOfSquares"); return super.sumOfSquares(x); }
        @Override public boolean allFinite(Tensor x) { read("allFinite"); return super.allFinite(x); }

        @Override
        public double softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits) {
            read("softmaxCrossEntropy");
            return super.softmaxCrossEntropy(logits, labels, dLogits);
        }

        @Override
        public double meanSquaredError(Tensor pred, Tensor target, Tensor dPred) {
            read("meanSquaredError");
            return super.meanSquaredError(pred, target, dPred);
        }

        @Override
        public double softTargetKlDivergence(Tensor logits, Tensor teacherLogits, float temperature, Tensor dLogits) {
            read("softTargetKlDivergence");
            return super.softTargetKlDivergence(logits, teacherLogits, temperature, dLogits);
        }
    }

    /** The reads of each optimizer step, from its forward to the end of its optimizer step (hooks included). */
    private static final class StepWindows implements TrainingHook {
        private final ReadCounting backend;
        private Map<String, Integer> before;
        final List<Map<String, Integer>> steps = new java.util.ArrayList<>();

        StepWindows(ReadCounting backend) {
            this.backend = backend;
        }

        @Override
        public void beforeForward(Tensor x, int epoch, long step) {
            before = new TreeMap<>(backend.reads);
        }

        @Override
        public void afterOptimizerStep(long step) {
            Map<String, Integer> delta = new TreeMap<>(backend.reads);
            before.forEach((op, n) -> delta.merge(op, -n, Integer::sum));
            delta.values().removeIf(n -> n == 0);
            steps.add(delta);
        }
    }

    private static List<Map<String, Integer>> readsPerStep(ModelConfig config, Dataset data, SplitIndices split, QatConfig qat) {
        try (ReadCounting backend = new ReadCounting(new HostDeviceSimulationBackend(2));
             Model m = ModelFactory.create(config, backend, 4);
             QatHook hook = QatHook.prepare(m, qat)) {
            StepWindows windows = new StepWindows(backend);
            new Trainer(TrainingConfig.seedDefaults(4).withEpochs(2).withBatchSize(16)).withHook(hook).withHook(windows)
                    .train(m, data, split.train(), split.validation(), null);
            assertTrue(windows.steps.size() >= 10, "trained " + windows.steps.size() + " steps");
            return windows.steps;
        }
    }

    private static void assertOnlyTheLossIsRead(List<Map<String, Integer>> steps, String what) {
        for (int s = 0; s < steps.size(); s++) {
            Map<String, Integer> reads = new TreeMap<>(steps.get(s));
            int losses = 0;
            for (String loss : LOSSES) losses += reads.getOrDefault(loss, 0);
            reads.keySet().removeAll(LOSSES);
            assertEquals(Map.of(), reads, what + ", step " + (s + 1) + ": device-to-host reads besides the loss");
            assertEquals(1, losses, what + ", step " + (s + 1) + ": the loss, once");
        }
    }

    @Test
    void aW8A8QatStepOfAnMlpReadsNothingButItsLoss() {
        ModelConfig mlp = new ModelConfig("dense", new int[] {6}, 3, List.of(16, 8), 0f, false);
        assertOnlyTheLossIsRead(readsPerStep(mlp, BLOBS, BLOB_SPLIT, QatConfig.of(8, 8)), "W8A8 MLP");
    }

    @Test
    void aW8A8QatStepOfACnnWithBatchNormAndLearnedStepsReadsNothingButItsLoss() {
        ModelConfig cnn = ModelPresets.cnnSmall(new int[] {1, 8, 8}, 4);
        assertOnlyTheLossIsRead(readsPerStep(cnn, IMAGES, IMAGE_SPLIT, QatConfig.of(8, 8)), "W8A8 CNN");
        assertOnlyTheLossIsRead(readsPerStep(cnn, IMAGES, IMAGE_SPLIT, QatConfig.of(8, 8).withLearnedSteps()), "W8A8 CNN, LSQ");
    }
}
