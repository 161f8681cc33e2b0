package org.edgeq.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.edgeq.backend.cpu.CpuBackend;
import org.edgeq.checkpoint.Checkpoint;
import org.edgeq.checkpoint.ModelDescription;
import org.edgeq.checkpoint.TrainingMetadata;
import org.edgeq.data.DataSplit;
import org.edgeq.data.Dataset;
import org.edgeq.data.SplitIndices;
import org.edgeq.data.Task;
import org.edgeq.data.SyntheticDatasets;
import org.edgeq.distill.Distiller;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.ModelPresets;
import org.edgeq.prune.GlobalMagnitudePruner;
import org.edgeq.prune.GradualPruning;
import org.edgeq.prune.LayerMagnitudePruner;
import org.edgeq.prune.MaskHook;
import org.edgeq.prune.PolynomialSchedule;
import org.edgeq.prune.PruneThenQuantize;
import org.edgeq.prune.PruningMasks;
import org.edgeq.prune.Sparsity;
import org.edgeq.prune.StructuredSparsity24;
import org.edgeq.quant.AffineQuantizer;
import org.edgeq.quant.LandmarkSetKind;
import org.edgeq.quant.ModelQuantizer;
import org.edgeq.quant.QuantizedTensor;
import org.edgeq.export.ModelExporter;
import org.edgeq.quant.MultiPointBudget;
import org.edgeq.quant.MultiPointQuantizer;
import org.edgeq.quant.RoundingQuantizer;
import org.edgeq.quant.StochasticRoundingQuantizer;
import org.edgeq.quant.fake.ActivationCalibration;
import org.edgeq.quant.fake.FakeQuantLayer;
import org.edgeq.quant.fake.QatConfig;
import org.edgeq.quant.fake.QatHook;
import org.edgeq.quant.fake.QuantSpec;
import org.edgeq.quant.fake.SeedQatHook;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.edgeq.train.Evaluation;
import org.edgeq.train.Evaluator;
import org.edgeq.train.OptimizerSpec;
import org.edgeq.train.Trainer;
import org.edgeq.train.TrainingConfig;
import org.edgeq.train.TrainingResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything above the Backend SPI keeps device tensors on the device: training, QAT, pruning, distillation,
 * evaluation and PTQ calibration run through {@link HostDeviceSimulationBackend} (whose tensors refuse host access,
 * as CUDA's do) and end with exactly the bits of the same run on the CPU backend. A failure here is a place that
 * would break on the CUDA backend.
 */
class DeviceResidencyTest {
    private static final Dataset BLOBS = SyntheticDatasets.blobs(400, 3, 1, 4, 2, 2.0, 11);
    private static final SplitIndices BLOB_SPLIT = DataSplit.sixtyTwentyTwenty(BLOBS, 3);
    private static final Dataset IMAGES = SyntheticDatasets.images(160, 8, 4, 5);
    private static final SplitIndices IMAGE_SPLIT = DataSplit.sixtyTwentyTwenty(IMAGES, 3);
    private static final Dataset REGRESSION = SyntheticDatasets.regression(300, 4);
    private static final SplitIndices REGRESSION_SPLIT = DataSplit.sixtyTwentyTwenty(REGRESSION, 3);

    /** What a run leaves behind: every state tensor and every figure, read back through the backend. */
    private record Fingerprint(List<String> names, List<float[]> values) {
        Fingerprint() {
            this(new ArrayList<>(), new ArrayList<>());
        }

        void add(String name, float... v) {
            names.add(name);
            values.add(v);
        }

        void add(String name, double... v) {
            float[] f = new float[v.length * 2];
            for (int i = 0; i < v.length; i++) { // both halves of the double, so "bit for bit" holds for doubles too
                long bits = Double.doubleToRawLongBits(v[i]);
                f[2 * i] = Float.intBitsToFloat((int) (bits >>> 32));
                f[2 * i + 1] = Float.intBitsToFloat((int) bits);
            }
            add(name, f);
        }

        void addState(String prefix, Model m) {
            for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) {
                assertEquals(!(m.backend() instanceof HostDeviceSimulationBackend), e.getValue().isHost(), "where " + e.getKey() + " lives");
                float[] v = new float[Math.toIntExact(e.getValue().numel())];
                m.backend().download(e.getValue(), v);
                add(prefix + e.getKey(), v);
            }
        }

        void addEvaluation(String name, Evaluation e) {
            add(name, e.samples(), e.loss(), e.accuracy(), e.mse(), e.r2());
        }

        void addTraining(String name, TrainingResult r) {
            for (var s : r.history()) add(name + " epoch " + s.epoch(), s.trainLoss(), s.trainAccuracy(), s.valLoss(), s.valAccuracy(), s.valR2());
        }
    }

    private static void assertSameBits(Function<Backend, Fingerprint> scenario) {
        Fingerprint cpu, device;
        try (Backend b = new CpuBackend(2)) {
            cpu = scenario.apply(b);
        }
        try (Backend b = new HostDeviceSimulationBackend(2)) {
            device = scenario.apply(b);
        }
        assertEquals(cpu.names(), device.names());
        for (int i = 0; i < cpu.values().size(); i++) {
            assertArrayEquals(cpu.values().get(i), device.values().get(i), cpu.names().get(i) + " differs between the CPU and the device-only run");
        }
    }

    private static ModelConfig mlp(boolean batchNorm, float dropout) {
        return new ModelConfig("dense", new int[] {6}, 3, List.of(16, 8), dropout, batchNorm);
    }

    private static ModelConfig cnn() {
        return ModelPresets.cnnSmall(new int[] {1, 8, 8}, 4);
    }

    @Test
    void theSimulationRefusesHostAccessToItsTensorsAndHostTensorsInItsOps() {
        // (its tensors carry a decoy segment, so raw segment reads cannot pass for device-clean code either)
        try (Backend b = new HostDeviceSimulationBackend(1); TensorScope scope = new TensorScope()) {
            Tensor d = b.allocate(scope, DType.F32, 4);
            assertThrows(IllegalStateException.class, () -> d.getFloat(0));
            assertThrows(IllegalStateException.class, d::toFloatArray);
            Tensor h = Tensor.of(scope, new float[] {1, 2, 3, 4}, 4);
            assertThrows(IllegalArgumentException.class, () -> b.copy(h, d));
            b.upload(new float[] {1, -2, 3, -4}, d);
            assertTrue(Float.isNaN(d.segment().get(java.lang.foreign.ValueLayout.JAVA_FLOAT, 0)),
                    "reading the segment directly, as a GPU would not allow, sees a decoy, not the values");
            b.relu(d, d);
            float[] out = new float[4];
            b.download(d, out);
            assertArrayEquals(new float[] {1, 0, 3, 0}, out);
        }
    }

    @Test
    void denseTrainingWithBatchNormDropoutEarlyStoppingAndEvaluationIsDeviceClean() {
        assertSameBits(b -> {
            Fingerprint f = new Fingerprint();
            try (Model m = ModelFactory.create(mlp(true, 0.2f), b, 1)) {
                TrainingResult r = new Trainer(TrainingConfig.seedDefaults(1).withEpochs(3).withEarlyStopping(1))
                        .train(m, BLOBS, BLOB_SPLIT.train(), BLOB_SPLIT.validation(), null);
                f.addTraining("train", r);
                f.addEvaluation("test", Evaluator.evaluate(m, BLOBS, BLOB_SPLIT.test(), 32));
                f.addState("", m);
            }
            return f;
        });
    }

    @Test
    void regressionTrainingWithSgdIsDeviceClean() {
        assertSameBits(b -> {
            Fingerprint f = new Fingerprint();
            ModelConfig c = new ModelConfig("dense", new int[] {REGRESSION.featureCount()}, 1, List.of(8), 0f, false);
            try (Model m = ModelFactory.create(c, b, 2)) {
                TrainingConfig cfg = TrainingConfig.seedDefaults(2).withEpochs(2).withOptimizer(new OptimizerSpec.Sgd(0.9f, true), 1e-4f);
                f.addTraining("train", new Trainer(cfg).train(m, REGRESSION, REGRESSION_SPLIT.train(), REGRESSION_SPLIT.validation(), null));
                f.addEvaluation("test", Evaluator.evaluate(m, REGRESSION, REGRESSION_SPLIT.test(), 16));
                f.addState("", m);
            }
            return f;
        });
    }

    @Test
    void cnnTrainingWithConvBatchNormMaxPoolAndDropoutIsDeviceClean() {
        assertSameBits(b -> {
            Fingerprint f = new Fingerprint();
            try (Model m = ModelFactory.create(cnn(), b, 3)) {
                TrainingResult r = new Trainer(TrainingConfig.seedDefaults(3).withEpochs(2).withBatchSize(16))
                        .train(m, IMAGES, IMAGE_SPLIT.train(), IMAGE_SPLIT.validation(), null);
                f.addTraining("train", r);
                f.addEvaluation("test", Evaluator.evaluate(m, IMAGES, IMAGE_SPLIT.test(), 16));
                f.addState("", m);
            }
            return f;
        });
    }

    @Test
    void residualNetworkWithGlobalMaxPoolTrainsDeviceClean() {
        Dataset tiny = SyntheticDatasets.images(24, 8, 3, 6);
        SplitIndices split = DataSplit.sixtyTwentyTwenty(tiny, 3);
        assertSameBits(b -> {
            Fingerprint f = new Fingerprint();
            try (Model m = ModelFactory.create(ModelPresets.resnet9(new int[] {1, 8, 8}, 3), b, 16)) {
                f.addTraining("train", new Trainer(TrainingConfig.seedDefaults(16).withEpochs(1).withBatchSize(8))
                        .train(m, tiny, split.train(), split.validation(), null));
                f.addState("", m);
            }
            return f;
        });
    }

    /** QAT as {@code edgeq qat} runs it: train with the hook, freeze and fold batch norms, read the quantizers. */
    private static Fingerprint qat(Backend b, ModelConfig c, Dataset data, SplitIndices split, QatConfig qc) {
        Fingerprint f = new Fingerprint();
        try (Model m = ModelFactory.create(c, b, 4); QatHook hook = QatHook.prepare(m, qc)) {
            TrainingResult r = new Trainer(TrainingConfig.seedDefaults(4).withEpochs(2).withBatchSize(16)).withHook(hook)
                    .train(m, data, split.train(), split.validation(), null);
            f.addTraining("train", r);
            hook.freezeAndFoldBatchNorm();
            f.addEvaluation("test", Evaluator.evaluate(m, data, split.test(), 16));
            for (FakeQuantLayer l : hook.layers()) {
                if (l.weightQuantizer() != null) f.add("weight scales", l.weightQuantizer().scales());
                if (l.inputQuantizer() != null) f.add("input scales", l.inputQuantizer().scales());
            }
            f.addState("", m);
        }
        return f;
    }

    @Test
    void qatWithPerChannelWeightsAndMovingAverageActivationsIsDeviceClean() {
        assertSameBits(b -> qat(b, mlp(false, 0.1f), BLOBS, BLOB_SPLIT, QatConfig.of(4, 8)));
        assertSameBits(b -> qat(b, cnn(), IMAGES, IMAGE_SPLIT, QatConfig.of(4, 8)));
    }

    @Test
    void qatWithLearnedStepSizesIsDeviceClean() {
        assertSameBits(b -> qat(b, mlp(true, 0f), BLOBS, BLOB_SPLIT, QatConfig.of(4, 8).withLearnedSteps()));
        QuantSpec perTensorLsq = new QuantSpec(4, true, false, org.edgeq.quant.observe.ObserverKind.CURRENT, 0.01f, true);
        assertSameBits(b -> qat(b, cnn(), IMAGES, IMAGE_SPLIT, new QatConfig(perTensorLsq, QuantSpec.activations(8).withLearnedStep(), 1, 1e-3f)));
    }

    @Test
    void seedQatWithShadowWeightsIsDeviceClean() {
        assertSameBits(b -> {
            Fingerprint f = new Fingerprint();
            try (Model m = ModelFactory.create(mlp(false, 0f), b, 5);
                 SeedQatHook hook = new SeedQatHook(m, new StochasticRoundingQuantizer(LandmarkSetKind.UNIFORM, 9), 4)) {
                f.addTraining("train", new Trainer(TrainingConfig.seedDefaults(5).withEpochs(2)).withHook(hook)
                        .train(m, BLOBS, BLOB_SPLIT.train(), BLOB_SPLIT.validation(), null));
                hook.exportQuantized().forEach((name, q) -> f.add(name, q.dequantize()));
                f.addState("", m);
            }
            return f;
        });
    }

    @Test
    void oneShotAndGradualPruningWithMasksHeldThroughFineTuningAreDeviceClean() {
        assertSameBits(b -> {
            Fingerprint f = new Fingerprint();
            try (Model m = ModelFactory.create(mlp(false, 0f), b, 6); PruningMasks masks = PruningMasks.prune(m, new GlobalMagnitudePruner(), 0.7)) {
                f.addTraining("oneshot", new Trainer(TrainingConfig.seedDefaults(6).withEpochs(2)).withHook(new MaskHook(masks))
                        .train(m, BLOBS, BLOB_SPLIT.train(), BLOB_SPLIT.validation(), null));
                f.add("sparsity", Sparsity.of(m).overall());
                f.addState("oneshot ", m);
            }
            try (Model m = ModelFactory.create(mlp(false, 0f), b, 7); PruningMasks masks = new PruningMasks(m)) {
                GradualPruning hook = new GradualPruning(masks, new LayerMagnitudePruner(), new PolynomialSchedule(0, 0.8, 1, 20, 4));
                f.addTraining("gradual", new Trainer(TrainingConfig.seedDefaults(7).withEpochs(2)).withHook(hook)
                        .train(m, BLOBS, BLOB_SPLIT.train(), BLOB_SPLIT.validation(), null));
                f.addState("gradual ", m);
            }
            try (Model m = ModelFactory.create(cnn(), b, 8)) {
                PruneThenQuantize.Result r = PruneThenQuantize.run(m, new StructuredSparsity24(), 0.5,
                        TrainingConfig.seedDefaults(8).withEpochs(1).withBatchSize(16), IMAGES, IMAGE_SPLIT.train(), null, null,
                        new RoundingQuantizer(LandmarkSetKind.UNIFORM), 4);
                r.quantized().forEach((name, q) -> f.add(name, q.dequantize()));
                r.keep().forEach((name, k) -> f.add("keep " + name, k));
                f.addState("2:4 ", m);
            }
            return f;
        });
    }

    @Test
    void distillationIsDeviceClean() {
        assertSameBits(b -> {
            Fingerprint f = new Fingerprint();
            try (Model teacher = ModelFactory.create(mlp(false, 0f), b, 9);
                 Model student = ModelFactory.create(new ModelConfig("dense", new int[] {6}, 3, List.of(4), 0f, false), b, 10)) {
                new Trainer(TrainingConfig.seedDefaults(9).withEpochs(1)).train(teacher, BLOBS, BLOB_SPLIT.train(), null, null);
                f.addTraining("student", new Distiller(TrainingConfig.seedDefaults(10).withEpochs(2), 0.7f, 3f)
                        .train(teacher, student, BLOBS, BLOB_SPLIT.train(), BLOB_SPLIT.validation(), null));
                f.addState("teacher ", teacher);
                f.addState("student ", student);
            }
            return f;
        });
    }

    @Test
    void checkpointsAndCompressedExportsAreWrittenFromAndReadIntoDeviceTensors(@TempDir Path dir) {
        assertSameBits(b -> {
            Fingerprint f = new Fingerprint();
            Path run = dir.resolve(b.name());
            try (Model m = ModelFactory.create(cnn(), b, 13)) {
                new Trainer(TrainingConfig.seedDefaults(13).withEpochs(1).withBatchSize(16)).train(m, IMAGES, IMAGE_SPLIT.train(), null, null);
                ModelDescription description = new ModelDescription(cnn(), new TrainingMetadata("synthetic-images", "synthetic-images",
                        Task.CLASSIFICATION, List.of(), null, null, null, 13, Map.of(), Map.of()));
                Checkpoint.saveWeights(run, b, m.stateDict(), description);
                Checkpoint.saveDescription(run, description);
                Map<String, QuantizedTensor> q = ModelQuantizer.apply(m, new AffineQuantizer(), 4);
                ModelExporter.write(run.resolve("model.eqz"), m, q, Map.of());
                f.addState("trained ", m);
                try (Model back = ModelFactory.create(cnn(), b, 14)) {
                    Checkpoint.read(run).loadInto(back.stateDict(), b);
                    f.addState("from safetensors ", back);
                }
                try (Model back = ModelExporter.load(run.resolve("model.eqz"), b, 15)) {
                    f.addState("from model.eqz ", back);
                    f.addEvaluation("exported", Evaluator.evaluate(back, IMAGES, IMAGE_SPLIT.test(), 16));
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return f;
        });
    }

    @Test
    void postTrainingQuantizationAndActivationCalibrationAreDeviceClean() {
        assertSameBits(b -> {
            Fingerprint f = new Fingerprint();
            try (Model m = ModelFactory.create(cnn(), b, 11)) {
                new Trainer(TrainingConfig.seedDefaults(11).withEpochs(1).withBatchSize(16)).train(m, IMAGES, IMAGE_SPLIT.train(), null, null);
                ModelQuantizer.apply(m, new AffineQuantizer(), 4).forEach((name, q) -> f.add(name, q.dequantize()));
                QuantSpec a8 = new QuantSpec(8, false, false, org.edgeq.quant.observe.ObserverKind.MIN_MAX, 0.01f, false);
                try (QatHook hook = ActivationCalibration.calibrate(m, IMAGES, IMAGE_SPLIT.train(), 3, 16, QuantSpec.weights(8), a8,
                        org.edgeq.quant.observe.ObserverKind.PERCENTILE)) {
                    for (FakeQuantLayer l : hook.layers()) f.add("input scale", l.inputQuantizer().scales());
                    f.addEvaluation("calibrated", Evaluator.evaluate(m, IMAGES, IMAGE_SPLIT.test(), 16));
                }
                f.addState("", m);
            }
            try (Model m = ModelFactory.create(mlp(false, 0f), b, 12); Evaluator calibration = new Evaluator(m, BLOBS, BLOB_SPLIT.validation(), 32)) {
                MultiPointBudget.Allocation a = MultiPointBudget.allocate(m, calibration, new MultiPointQuantizer(), 4, 2, 2);
                f.add("multipoint budget", java.util.Arrays.stream(a.points()).asDoubleStream().toArray());
                ModelQuantizer.apply(m, a.quantizers(new MultiPointQuantizer()), 4).forEach((name, q) -> f.add(name, q.dequantize()));
                f.addEvaluation("multipoint", Evaluator.evaluate(m, BLOBS, BLOB_SPLIT.test(), 32));
            }
            return f;
        });
    }
}
