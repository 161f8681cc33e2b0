package org.edgeq.data;

import org.edgeq.backend.Backend;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.ModelPresets;
import org.edgeq.nn.TestBackends;
import org.edgeq.train.Evaluation;
import org.edgeq.train.Evaluator;
import org.edgeq.train.Trainer;
import org.edgeq.train.TrainingConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** synthetic-hard, the built-in set made for compression studies: generated, pinned, balanced, and not trivial. */
class SyntheticHardTest {

    @Test
    void syntheticHardIsGeneratedByNameAndIdenticalOnEveryCall() throws Exception {
        Dataset a = new Datasets(null).resolve(Datasets.SYNTHETIC_HARD, null).dataset();
        Dataset b = SyntheticDatasets.hard();
        assertEquals("synthetic-hard", a.name());
        assertEquals(Task.CLASSIFICATION, a.task());
        assertEquals(8000, a.size());
        assertEquals(84, a.featureCount());
        assertEquals(4, a.numClasses());
        assertArrayEquals(b.features(), a.features());
        assertArrayEquals(b.labels(), a.labels());
        assertEquals("strong0", a.featureNames().getFirst());
        assertEquals("weak79", a.featureNames().getLast());
        assertTrue(Datasets.NAMES.contains("synthetic-hard"), "listed among the built-in names");
    }

    @Test
    void anotherGeneratorSeedGivesOtherDataOfTheSameShape() {
        Dataset a = SyntheticDatasets.hard(500, SyntheticDatasets.GENERATOR_SEED);
        Dataset b = SyntheticDatasets.hard(500, 1);
        assertEquals(a.featureCount(), b.featureCount());
        assertFalse(java.util.Arrays.equals(a.features(), b.features()));
    }

    @Test
    void classesAreBalancedWithinAFewPercent() {
        int[] counts = RealDatasetsTest.counts(SyntheticDatasets.hard());
        assertEquals(4, counts.length);
        for (int c : counts) assertTrue(c > 1850 && c < 2150, "each class about a quarter of 8,000: " + java.util.Arrays.toString(counts));
    }

    @Test
    void strongFeaturesHideTheClassMeansAndWeakFeaturesCarrySmallShifts() {
        Dataset d = SyntheticDatasets.hard();
        int f = d.featureCount();
        double[][] mean = new double[4][f];
        int[] n = RealDatasetsTest.counts(d);
        for (int i = 0; i < d.size(); i++) {
            for (int j = 0; j < f; j++) mean[d.labels()[i]][j] += d.features()[i * f + j];
        }
        for (int k = 0; k < 4; k++) {
            for (int j = 0; j < f; j++) mean[k][j] /= n[k];
            // Strong features: every class is two clusters around the origin, but which cluster a sample falls in
            // is random, so a class's sample mean is off the origin by at most a cluster's half-distance.
            for (int j = 4; j < f; j++) {
                assertTrue(Math.abs(Math.abs(mean[k][j]) - 0.1) < 0.08, "weak feature " + j + " of class " + k + " shifted by about 0.1: " + mean[k][j]);
            }
        }
    }

    @Test
    void denseSimpleLearnsItWellButNotPerfectly() throws Exception {
        // The point of the set: a study's FP32 row must leave room for compressed rows to fall (and to be told apart).
        Datasets.Resolved resolved = new Datasets(null).resolve(Datasets.SYNTHETIC_HARD, null);
        Dataset raw = resolved.dataset();
        SplitIndices split = resolved.splitPlan().apply(raw, 42);
        Dataset data = Standardizer.fit(raw, split.train()).apply(raw);
        try (Backend backend = TestBackends.cpu(2);
             Model m = ModelFactory.create(ModelPresets.denseSimple(data.featureCount(), 4), backend, 42)) {
            long start = System.nanoTime();
            new Trainer(TrainingConfig.seedDefaults(42)).train(m, data, split.train(), split.validation(), null);
            double seconds = (System.nanoTime() - start) / 1e9;
            Evaluation test = Evaluator.evaluate(m, data, split.test(), 256);
            System.out.printf("synthetic-hard dense-simple: test accuracy %.4f in %.1f s%n", test.accuracy(), seconds);
            assertTrue(test.accuracy() >= 0.75 && test.accuracy() <= 0.92, "test accuracy " + test.accuracy() + " outside 0.75-0.92");
            assertTrue(seconds < 30, "10 epochs took " + seconds + " s; the default study needs a fast base model");
        }
    }
}
