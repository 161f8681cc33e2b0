package org.edgeq.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.edgeq.backend.Backend;
import org.edgeq.backend.cpu.CpuBackend;
import org.edgeq.data.DataSplit;
import org.edgeq.data.Dataset;
import org.edgeq.data.SplitIndices;
import org.edgeq.data.SyntheticDatasets;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.ModelPresets;
import org.edgeq.quant.fake.QatConfig;
import org.edgeq.quant.fake.QatHook;
import org.edgeq.train.EpochStats;
import org.edgeq.train.Evaluator;
import org.edgeq.train.Trainer;
import org.edgeq.train.TrainingConfig;
import org.edgeq.train.TrainingResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Training, QAT and evaluation on the CUDA backend follow the CPU run of the same seed: the same losses per epoch
 * up to float reordering (GEMM and reductions sum in another order) and the same test accuracy to a sample or two.
 * Tag {@code gpu}; not yet run on a GPU. The bit-exact device-residency check of the same flows, which runs
 * everywhere, is {@code org.edgeq.backend.DeviceResidencyTest}.
 */
@Tag("gpu")
class CudaTrainingParityTest {
    private static final Dataset BLOBS = SyntheticDatasets.blobs(600, 3, 1, 4, 2, 2.0, 11);
    private static final SplitIndices BLOB_SPLIT = DataSplit.sixtyTwentyTwenty(BLOBS, 3);
    private static final Dataset IMAGES = SyntheticDatasets.images(400, 16, 4, 5);
    private static final SplitIndices IMAGE_SPLIT = DataSplit.sixtyTwentyTwenty(IMAGES, 3);

    @BeforeEach
    void requireCuda() {
        GpuAssumptions.requireCuda();
    }

    private record Run(TrainingResult training, double testLoss, double testAccuracy) {
    }

    private static Run train(Backend b, ModelConfig c, Dataset data, SplitIndices split, QatConfig qat) {
        try (Model m = ModelFactory.create(c, b, 1); QatHook hook = qat == null ? null : QatHook.prepare(m, qat)) {
            Trainer trainer = new Trainer(TrainingConfig.seedDefaults(1).withEpochs(3).withBatchSize(32));
            if (hook != null) trainer.withHook(hook);
            TrainingResult r = trainer.train(m, data, split.train(), split.validation(), null);
            if (hook != null) hook.freezeAndFoldBatchNorm();
            var e = Evaluator.evaluate(m, data, split.test(), 64);
            return new Run(r, e.loss(), e.accuracy());
        }
    }

    private static void assertSameTraining(ModelConfig c, Dataset data, SplitIndices split, QatConfig qat) {
        Run cpu, cuda;
        try (Backend b = new CpuBackend(2)) {
            cpu = train(b, c, data, split, qat);
        }
        try (Backend b = new CudaBackendProvider().create(1)) {
            cuda = train(b, c, data, split, qat);
        }
        // Under QAT a reordered sum can move a value across a rounding boundary and flip one code, so the runs
        // drift further apart than plain float training does.
        double tol = qat == null ? 1e-3 : 2e-2;
        List<EpochStats> a = cpu.training().history(), g = cuda.training().history();
        assertEquals(a.size(), g.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).trainLoss(), g.get(i).trainLoss(), tol * Math.max(1, a.get(i).trainLoss()), "train loss, epoch " + (i + 1));
            assertEquals(a.get(i).valLoss(), g.get(i).valLoss(), tol * Math.max(1, a.get(i).valLoss()), "validation loss, epoch " + (i + 1));
        }
        assertEquals(cpu.testLoss(), cuda.testLoss(), 2 * tol * Math.max(1, cpu.testLoss()), "test loss");
        assertEquals(cpu.testAccuracy(), cuda.testAccuracy(), (qat == null ? 2.5 : 5.5) / split.test().length, "test accuracy (a few samples)");
    }

    @Test
    void denseTrainingWithBatchNormAndDropoutFollowsTheCpuRun() {
        assertSameTraining(new ModelConfig("dense", new int[] {6}, 3, List.of(32, 16), 0.1f, true), BLOBS, BLOB_SPLIT, null);
    }

    @Test
    void cnnTrainingFollowsTheCpuRun() {
        assertSameTraining(ModelPresets.cnnSmall(new int[] {1, 16, 16}, 4), IMAGES, IMAGE_SPLIT, null);
    }

    @Test
    void w4a8QatWithLearnedStepsFollowsTheCpuRun() {
        assertSameTraining(ModelPresets.cnnSmall(new int[] {1, 16, 16}, 4), IMAGES, IMAGE_SPLIT, QatConfig.of(4, 8));
        assertSameTraining(new ModelConfig("dense", new int[] {6}, 3, List.of(32, 16), 0f, false), BLOBS, BLOB_SPLIT,
                QatConfig.of(4, 8).withLearnedSteps());
    }
}
