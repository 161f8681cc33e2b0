package org.edgeq.train;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.edgeq.backend.Backend;
import org.edgeq.data.Dataset;
import org.edgeq.data.Datasets;
import org.edgeq.data.SplitIndices;
import org.edgeq.data.Standardizer;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.ModelPresets;
import org.edgeq.nn.TestBackends;
import org.junit.jupiter.api.Test;

/** The seed's Telescope experiment (dense-simple, Adam 1e-3, batch 16, 10 epochs) reaches the seed's accuracy. */
class TelescopeEndToEndTest {
    private static final Path DATA = Path.of(System.getProperty("edgeq.data", "../../shared/data"));

    @Test
    void denseSimpleReachesTheSeedsTestAccuracyOnTelescope() throws Exception {
        Path dir = Files.exists(DATA.resolve("telescope.dat")) ? DATA : Path.of("/work/shared/data");
        assumeTrue(Files.exists(dir.resolve("telescope.dat")), "telescope.dat not present");
        Datasets.Resolved resolved = new Datasets(dir).resolve("telescope", null);
        Dataset raw = resolved.dataset();
        SplitIndices split = resolved.splitPlan().apply(raw, 1);
        Dataset data = Standardizer.fit(raw, split.train()).apply(raw);
        try (Backend backend = TestBackends.cpu(2);
             Model m = ModelFactory.create(ModelPresets.denseSimple(data.featureCount(), 2), backend, 1)) {
            new Trainer(TrainingConfig.seedDefaults(1)).train(m, data, split.train(), split.validation(), null);
            Evaluation test = Evaluator.evaluate(m, data, split.test(), 256);
            System.out.printf("telescope dense-simple: test accuracy %.4f, test loss %.4f%n", test.accuracy(), test.loss());
            assertTrue(test.accuracy() >= 0.85, "test accuracy " + test.accuracy() + " (seed 0.8575)");
        }
    }
}
