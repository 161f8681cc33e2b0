package org.edgeq.distill;

import org.edgeq.backend.Backend;
import org.edgeq.data.DataSplit;
import org.edgeq.data.Dataset;
import org.edgeq.data.SplitIndices;
import org.edgeq.data.SyntheticDatasets;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.TestBackends;
import org.edgeq.prune.GlobalMagnitudePruner;
import org.edgeq.prune.MaskHook;
import org.edgeq.prune.PruningMasks;
import org.edgeq.prune.Sparsity;
import org.edgeq.train.Evaluator;
import org.edgeq.train.Trainer;
import org.edgeq.train.TrainingConfig;
import org.edgeq.train.TrainingHook;
import org.edgeq.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small student learns from a trained teacher, the teacher stays as it was, and other hooks compose with it. */
class DistillerTest {
    private static Backend backend;
    private static final Dataset BLOBS = SyntheticDatasets.blobs(1500, 3, 2, 4, 2, 2.0, 8);
    private static final SplitIndices SPLIT = DataSplit.sixtyTwentyTwenty(BLOBS, 3);
    private static Model teacher;
    private static double teacherAccuracy;

    @BeforeAll
    static void trainTeacher() {
        backend = TestBackends.cpu(2);
        teacher = ModelFactory.create(new ModelConfig("dense", new int[]{6}, 3, List.of(64, 64), 0f, false), backend, 1);
        new Trainer(TrainingConfig.seedDefaults(1).withEpochs(8)).train(teacher, BLOBS, SPLIT.train(), SPLIT.validation(), null);
        teacherAccuracy = Evaluator.evaluate(teacher, BLOBS, SPLIT.test(), 64).accuracy();
    }

    @AfterAll
    static void stop() {
        teacher.close();
        backend.close();
    }

    private static Model student(long seed) {
        return ModelFactory.create(new ModelConfig("dense", new int[]{6}, 3, List.of(8), 0f, false), backend, seed);
    }

    private static float[] host(Tensor t) {
        float[] a = new float[(int) t.numel()];
        backend.download(t, a);
        return a;
    }

    @Test
    void distilledStudentLearnsCloseToTheTeacherWhichStaysUnchanged() {
        assertTrue(teacherAccuracy > 0.85, "teacher " + teacherAccuracy);
        float[] teacherWeights = host(teacher.weightLayers().getFirst().weight().value());
        try (Model s = student(2)) {
            assertTrue(s.parameterCount() * 4 <= teacher.parameterCount(), "student has at most 1/4 of the parameters");
            double before = Evaluator.evaluate(s, BLOBS, SPLIT.test(), 64).accuracy();
            new Distiller(TrainingConfig.seedDefaults(3).withEpochs(8).withLearningRate(3e-3f), 0.7f, 4f)
                    .train(teacher, s, BLOBS, SPLIT.train(), SPLIT.validation(), null);
            double after = Evaluator.evaluate(s, BLOBS, SPLIT.test(), 64).accuracy();
            assertTrue(after > before + 0.2 && after > teacherAccuracy - 0.05,
                    "student " + before + " -> " + after + ", teacher " + teacherAccuracy);
        }
        assertArrayEquals(teacherWeights, host(teacher.weightLayers().getFirst().weight().value()), 0f);
    }

    @Test
    void pureSoftTargetsAloneTeachTheStudent() {
        try (Model s = student(4)) {
            new Distiller(TrainingConfig.seedDefaults(5).withEpochs(8).withLearningRate(3e-3f), 1f, 2f)
                    .train(teacher, s, BLOBS, SPLIT.train(), null, null);
            double acc = Evaluator.evaluate(s, BLOBS, SPLIT.test(), 64).accuracy();
            assertTrue(acc > teacherAccuracy - 0.08, "student without labels " + acc + ", teacher " + teacherAccuracy);
        }
    }

    @Test
    void composesWithOtherHooksInOrderAfterTheTeacher() {
        try (Model s = student(6); PruningMasks masks = PruningMasks.prune(s, new GlobalMagnitudePruner(), 0.5)) {
            double before = Evaluator.evaluate(s, BLOBS, SPLIT.test(), 64).accuracy();
            long[] calls = new long[1];
            TrainingHook probe = new TrainingHook() {
                @Override
                public void afterOptimizerStep(long step) {
                    calls[0]++;
                }
            };
            new Distiller(TrainingConfig.seedDefaults(7).withEpochs(4).withLearningRate(3e-3f), 0.5f, 3f)
                    .train(teacher, s, BLOBS, SPLIT.train(), SPLIT.validation(), null, new MaskHook(masks), probe);
            int stepsPerEpoch = (SPLIT.train().length + 15) / 16;
            assertEquals(4L * stepsPerEpoch, calls[0], "every extra hook runs on every step");
            assertEquals(Math.round(0.5 * 48), Sparsity.of(s).zeros(), "masks held during distillation");
            double acc = Evaluator.evaluate(s, BLOBS, SPLIT.test(), 64).accuracy();
            assertTrue(acc > before + 0.2, "pruned distilled student " + before + " -> " + acc);
        }
    }

    @Test
    void refusesMismatchedTeacherAndStudent() {
        try (Model other = ModelFactory.create(new ModelConfig("dense", new int[]{6}, 4, List.of(8), 0f, false), backend, 1)) {
            var e = assertThrows(IllegalArgumentException.class, () -> Distiller.defaults(TrainingConfig.seedDefaults(1))
                    .train(teacher, other, BLOBS, SPLIT.train(), null, null));
            assertTrue(e.getMessage().contains("same output shape"), e.getMessage());
        }
    }
}
