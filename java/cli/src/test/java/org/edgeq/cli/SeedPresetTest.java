package org.edgeq.cli;

import org.edgeq.study.ModelUnderStudy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.edgeq.backend.Backend;
import org.edgeq.checkpoint.Checkpoint;
import org.edgeq.checkpoint.ModelDescription;
import org.edgeq.checkpoint.TrainingMetadata;
import org.edgeq.data.ChurnCsvLoader;
import org.edgeq.data.Dataset;
import org.edgeq.data.KeelLoader;
import org.edgeq.data.SeedPreprocessing;
import org.edgeq.nn.Model;
import org.edgeq.nn.TestBackends;
import org.edgeq.train.Evaluation;
import org.edgeq.train.Evaluator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code edgeq train --preset seed}: the seed's data, split, model and epochs go into the model directory, and every
 * command that reopens it (ModelUnderStudy for the compression commands, eval) rebuilds exactly the same rows;
 * model directories saved before presets existed load as before.
 */
class SeedPresetTest {

    @TempDir
    Path dir;

    /** A fixture of the core's test resources, copied into this test's folder. */
    private Path resource(String name) {
        return ResourceFiles.file(name, dir.resolve("resources"));
    }

    @Test
    void californiaUnderTheSeedPresetTrainsTheSeedsRegressionModelOnTheSeedsRowsAndReopensThemIdentically() throws Exception {
        Path data = resource("/golden/seed-preprocessing/california_small.dat");
        Path out = dir.resolve("cal");
        CliTest.Run r = CliTest.run("train", "--dataset", data.toString(), "--model", "dense-complex", "--preset", "seed",
                "--seed", "5", "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.lastJson();
        assertEquals("seed", j.get("preset").asText());
        assertEquals(20, j.get("epochs").asInt(), "the seed's regression scripts train 20 epochs");
        // 19 of 20 rows survive the quantile trim; ceil(0.4 * 19) = 8 held out, ceil(8 / 2) = 4 of them test.
        assertEquals(11, j.get("train_samples").asInt());
        assertEquals(4, j.get("test_samples").asInt());
        assertTrue(r.err().contains("19 of 20 rows and 6 of 8 features kept"), r.err());

        ModelDescription d = Checkpoint.readDescription(out);
        assertEquals(List.of(50, 100, 100, 50), d.config().hidden(), "the seed's complex network for regression");
        assertEquals(0.1f, d.config().dropout());
        TrainingMetadata meta = d.training();
        assertEquals("seed", meta.settings().get("preset"));
        assertEquals("20", meta.settings().get("epochs"));
        assertEquals(List.of("HousingMedianAge", "TotalRooms", "TotalBedrooms", "Population", "Households", "MedianIncome"),
                meta.selection().features());
        assertEquals(500.001, meta.selection().targetRange().high(), 0.0);
        assertEquals(0.0, meta.targetScale().mean(), 0.0);
        assertEquals(1000.0, meta.targetScale().std(), 0.0, "the model predicts thousands of dollars");
        assertEquals(300f, meta.featureMeans()[2], "min-max scaling recorded as offset = minimum ...");
        assertEquals(1f, meta.featureStds()[2], "... and divisor = range (1 for the constant TotalBedrooms)");

        ModelUnderStudy study = ModelUnderStudy.open("--model", out, null);
        assertEquals(19, study.all.size(), "the recorded selection is applied before the split");
        assertEquals(Checkpoint.readSplit(out, "california", 19).orElseThrow(), study.split);
        // The rows training used: the seed's preparation of the same file, the saved test indices, its scaling.
        SeedPreprocessing.Prepared p = SeedPreprocessing.forDataset("california").orElseThrow().prepare(new KeelLoader().load(data));
        Dataset trained = p.target().applyToTargets(p.features().apply(p.rows().subset(study.split.test())));
        assertArrayEquals(trained.features(), study.test.features());
        assertArrayEquals(trained.targets(), study.test.targets());
        JsonNode golden = new ObjectMapper().readTree(resource("/golden/seed-preprocessing/california.expected.json").toFile());
        for (int i = 0; i < study.test.size(); i++) {
            int row = study.split.test()[i];
            for (int k = 0; k < 6; k++) {
                assertEquals(golden.get("x").get(row * 6 + k).asDouble(), study.test.features()[i * 6 + k], 2e-6, "test row " + row + ", feature " + k);
            }
            assertEquals(golden.get("y").get(row).asDouble(), study.test.targets()[i], 1e-4, "test row " + row + " in thousands");
        }

        try (Backend backend = TestBackends.cpu(1); Model net = study.build(backend, 1)) {
            Evaluation e = Evaluator.evaluate(net, study.test, 16);
            assertEquals(meta.metrics().get("test_loss"), e.loss(), 1e-6 * meta.metrics().get("test_loss"), "loss in thousands of dollars squared");
            assertEquals(meta.metrics().get("r2"), e.r2(), 1e-6);
            assertEquals(j.get("test_mse").asDouble(), e.mse() * 1e6, 1e-6 * j.get("test_mse").asDouble(), "test_mse in the file's dollars");
        }
        JsonNode ev = CliTest.run("eval", "--model", out.toString(), "--json").lastJson();
        assertEquals(4, ev.get("samples").asInt());
        assertEquals(j.get("test_mse").asDouble(), ev.get("test_mse").asDouble(), 1e-6 * j.get("test_mse").asDouble());
        assertEquals(j.get("r2").asDouble(), ev.get("r2").asDouble(), 1e-6);
    }

    @Test
    void churnUnderTheSeedPresetKeepsTheSeedsColumnOrderAndExplicitOptionsStillWin() throws Exception {
        // A CSV path would be read as a generic table: the churn loader is found by name in a data directory.
        Path dataDir = Files.createDirectories(dir.resolve("data"));
        Path data = Files.copy(resource("/golden/seed-preprocessing/churn_small.csv"), dataDir.resolve("churn.csv"));
        Path out = dir.resolve("churn");
        CliTest.Run r = CliTest.run("train", "--data-dir", dataDir.toString(), "--dataset", "churn", "--model", "dense-complex",
                "--preset", "seed", "--epochs", "3", "--dropout", "0.2", "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(3, r.lastJson().get("epochs").asInt(), "--epochs overrides the preset's 10");
        ModelDescription d = Checkpoint.readDescription(out);
        assertEquals(List.of(20, 40, 60, 30), d.config().hidden(), "classification keeps [20, 40, 60, 30]");
        assertEquals(0.2f, d.config().dropout(), "--dropout overrides the preset's 0.1");
        assertEquals("Geography=France", d.training().selection().features().get(0));
        assertEquals(0f, d.training().featureMeans()[0], "one-hot columns are not scaled");
        assertNull(d.training().targetScale());

        CommonOptions common = new CommonOptions();
        common.dataDir = dataDir;
        ModelUnderStudy study = ModelUnderStudy.open("--model", out, common.dataDir);
        SeedPreprocessing.Prepared p = SeedPreprocessing.forDataset("churn").orElseThrow().prepare(new ChurnCsvLoader().load(data));
        assertArrayEquals(p.features().apply(p.rows().subset(study.split.test())).features(), study.test.features());
        assertArrayEquals(p.features().apply(p.rows().subset(study.split.train())).features(), study.train.features());
        assertEquals(8, study.split.total(), "every row: 4 train, 2 validation, 2 test");
        assertEquals(2, study.split.test().length);
    }

    @Test
    void trainHelpSaysWhatThePresetChangesAndWhatEdgeqDoesInstead() {
        CliTest.Run r = CliTest.run("train", "--help");
        assertEquals(0, r.code());
        assertFalse(r.err().contains("WARN"), r.err());
        String help = r.out().replaceAll("\\s+", " ");
        for (String s : List.of("--preset seed", "drops Longitude and Latitude", "divides the target by 1000", "5% and 95% quantiles",
                "min-max scaled", "fitted on all (kept) rows, before the split", "features standardised on the training split only",
                "not stratified", "stratified by class", "scikit-learn's generator is not reproduced", "[50,100,100,50]",
                "regression trains 20 epochs (EdgeQ: 10)", "still win")) {
            assertTrue(help.contains(s), "help mentions '" + s + "'");
        }
    }

    @Test
    void theSeedPresetIsRefusedForADatasetTheSeedDidNotPrepare() {
        CliTest.Run r = CliTest.run("train", "--preset", "seed", "--out", dir.resolve("x").toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("california, mv, churn, telescope") && r.err().contains("synthetic-blobs"), r.err());
        assertFalse(Files.exists(dir.resolve("x")), "nothing written");
        assertTrue(CliTest.run("train", "--preset", "other").err().contains("edgeq, seed"));
    }

    @Test
    void edgeqsDefaultPresetRecordsNoSelection() throws Exception {
        Path out = dir.resolve("blobs");
        CliTest.Run r = CliTest.run("train", "--epochs", "1", "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals("edgeq", r.lastJson().get("preset").asText());
        assertFalse(Files.readString(out.resolve(Checkpoint.DESCRIPTION)).contains("selection"), "model.json as before presets");
        assertNull(Checkpoint.readDescription(out).training().selection());
    }

    @Test
    void aModelDirectorySavedBeforePresetsExistedStillLoadsAndReproducesItsFigures() throws Exception {
        Path old = dir.resolve("old");
        Files.createDirectories(old);
        for (String f : List.of(Checkpoint.WEIGHTS, Checkpoint.DESCRIPTION, Checkpoint.SPLIT)) {
            Files.copy(resource("/models/pre-preset-regression/" + f), old.resolve(f));
        }
        assertFalse(Files.readString(old.resolve(Checkpoint.DESCRIPTION)).contains("selection"));

        ModelUnderStudy study = ModelUnderStudy.open("--model", old, null);
        TrainingMetadata meta = study.description.training();
        assertNull(meta.selection());
        assertEquals(3000, study.all.size());
        assertEquals(600, study.test.size());
        try (Backend backend = TestBackends.cpu(1); Model net = study.build(backend, 1)) {
            assertEquals(meta.metrics().get("test_loss"), Evaluator.evaluate(net, study.test, 16).loss(), 1e-6);
        }
        JsonNode ev = CliTest.run("eval", "--model", old.toString(), "--json").lastJson();
        assertEquals(meta.metrics().get("test_mse"), ev.get("test_mse").asDouble(), 1e-5);
        assertEquals(meta.metrics().get("r2"), ev.get("r2").asDouble(), 1e-6);
    }
}
