package org.edgeq.cli;

import org.edgeq.study.CompressionRun;
import org.edgeq.study.ModelUnderStudy;
import com.fasterxml.jackson.databind.JsonNode;
import org.edgeq.backend.Backend;
import org.edgeq.checkpoint.Checkpoint;
import org.edgeq.checkpoint.ModelDescription;
import org.edgeq.checkpoint.TrainingMetadata;
import org.edgeq.data.SplitIndices;
import org.edgeq.data.Task;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.TestBackends;
import org.edgeq.nn.WeightLayerRef;
import org.edgeq.study.ResultRow;
import org.edgeq.study.ResultsCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.edgeq.cli.QuantizeCommandTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every compression command's results rows say (schema v2): one FP32 baseline row first, JSON keys equal to the
 * CSV header, regression figures in the target's own units, and the evaluation batch size as its own option.
 */
class ResultRowsCliTest {

    @TempDir
    Path dir;

    private static List<String> keys(JsonNode row) {
        List<String> k = new ArrayList<>();
        for (Iterator<String> it = row.fieldNames(); it.hasNext(); ) k.add(it.next());
        return k;
    }

    /** A stand-in energy meter: every measurement took 3 J over 0.5 s. */
    private static final class FixedMeter implements org.edgeq.energy.EnergyMeter {
        int started;

        @Override
        public String source() {
            return "estimate";
        }

        @Override
        public Measurement start() {
            started++;
            return () -> new org.edgeq.energy.EnergyReading(3.0, 0.5, "estimate", "stand-in");
        }
    }

    @Test
    void aRowsEnergySecondsAndJoulesPerSampleComeFromTheRunsEnergyMeter() throws Exception {
        Path model = StudyFixtures.savedModel(dir.resolve("m"), true);
        CommonOptions common = new CommonOptions();
        StudyOutputOptions options = new StudyOutputOptions();
        options.measurement.evalBatchSize = 50;
        options.measurement.latencySeconds = 0;
        options.measurement.latencyIterations = 3;
        options.csv = dir.resolve("e.csv");
        ModelUnderStudy study = ModelUnderStudy.open("--model", model, common.dataDir);
        FixedMeter meter = new FixedMeter();
        java.io.StringWriter out = new java.io.StringWriter();
        CompressionRun run = options.open(study, common, new java.io.PrintWriter(out), new java.io.PrintWriter(out)).rows().start(meter);
        ResultRow row;
        double modelled;
        try (Backend backend = TestBackends.cpu(1); Model net = study.build(backend, 1)) {
            row = run.baseline(net);
            modelled = org.edgeq.hwsim.HwsimEnergy.estimateMicrojoules(net, 32, 32);
        }
        assertEquals(3.0, row.cost().energyJ(), "the row's making and measuring, from the meter");
        assertEquals("estimate", row.cost().energySource());
        assertEquals(0.5, row.cost().seconds(), "the row's wall time, from the same meter");
        assertEquals(3.0 / study.test.size(), row.cost().energyJPerSample(), 1e-15, "the test pass's joules over its samples");
        assertEquals(3, meter.started, "the run's first row, its test pass, and the next row");
        assertEquals(modelled, row.cost().estEnergyUjPerInference(), "the hardware model's FP32 estimate, not this meter's");
        assertTrue(modelled > 0);
        assertEquals(List.of(row), ResultsCsv.read(options.csv));
    }

    @Test
    void everyCompressionCommandWritesExactlyOneBaselineRowFirstAndItsJsonKeysAreTheCsvHeader() throws Exception {
        String m = StudyFixtures.savedModel(dir.resolve("m"), true).toString();
        String[][] commands = {
                {"quantize", "--model", m, "--bits", "4"},
                {"prune", "--model", m, "--ratio", "0.5"},
                {"qat", "--model", m, "--bits", "4", "--epochs", "1"},
                {"distill", "--teacher", m, "--student", "dense-simple", "--epochs", "1"},
        };
        for (String[] command : commands) {
            Path csv = dir.resolve(command[0] + ".csv");
            List<String> args = new ArrayList<>(List.of(command));
            args.addAll(List.of("--csv", csv.toString(), "--json"));
            CliTest.Run r = CliTest.run(args.toArray(String[]::new));
            assertEquals(0, r.code(), command[0] + ": " + r.err());
            JsonNode rows = r.lastJson().get("rows");
            assertEquals(2, rows.size(), command[0] + ": " + rows);
            assertEquals("fp32", rows.get(0).get("method").asText(), command[0]);
            assertEquals(32, rows.get(0).get("w_bits").asInt(), command[0]);
            assertFalse(rows.get(1).get("method").asText().equals("fp32"), command[0]);
            for (JsonNode row : rows) assertEquals(ResultRow.COLUMNS, keys(row), command[0]);
            // The dense 16-32-16-3 fixture (dense-simple 16-10-3 for the student) uses each weight once: its effective
            // MACs are its non-zero weights as exported, also for QAT, whose weights take their integer grid only then.
            long dense = command[0].equals("distill") ? 16 * 10 + 10 * 3 : 16 * 32 + 32 * 16 + 16 * 3;
            JsonNode v = rows.get(1);
            assertEquals(Math.round((1 - v.get("sparsity").asDouble()) * dense), v.get("macs").asLong(), command[0] + ": " + v);
            long aBits = v.get("a_bits").isNull() ? 32 : v.get("a_bits").asLong();
            assertEquals(v.get("macs").asLong() * v.get("w_bits").asLong() * aBits, v.get("bops").asLong(), command[0]);
            assertEquals(String.join(",", ResultRow.COLUMNS), Files.readAllLines(csv).getFirst(), command[0]);
            List<ResultRow> read = ResultsCsv.read(csv);
            assertEquals(2, read.size());
            assertTrue(read.getFirst().isBaseline() && !read.get(1).isBaseline(), command[0]);
            assertEquals(VersionProvider.edgeqVersion(), read.get(1).provenance().edgeqVersion());
        }
    }

    @Test
    void theEvaluationBatchSizeIsItsOwnOptionAndTheOldBatchSizeSaysWhichToUse() throws Exception {
        String m = StudyFixtures.savedModel(dir.resolve("m"), true).toString();
        CliTest.Run big = CliTest.run("quantize", "--model", m, "--bits", "8", "--csv", dir.resolve("a.csv").toString(), "--json");
        CliTest.Run small = CliTest.run("quantize", "--model", m, "--bits", "8", "--eval-batch-size", "7",
                "--csv", dir.resolve("b.csv").toString(), "--json");
        assertEquals(0, small.code(), small.err());
        JsonNode a = big.lastJson().get("rows").get(1), b = small.lastJson().get("rows").get(1);
        assertEquals(a.get("test_acc").asDouble(), b.get("test_acc").asDouble(), 0.0, "the batch size changes the batches, not the figures");
        assertEquals(a.get("test_loss").asDouble(), b.get("test_loss").asDouble(), 1e-6);

        Path csv = dir.resolve("refused.csv");
        CliTest.Run q = CliTest.run("quantize", "--model", m, "--batch-size", "32", "--csv", csv.toString());
        assertRefused(q, "quantize", "use --eval-batch-size N");
        assertFalse(q.err().contains("--train-batch-size"), "quantize does not train: " + q.err());
        String[][] training = {{"prune", "--model", m}, {"qat", "--model", m}, {"distill", "--teacher", m, "--student", "dense-simple"}};
        for (String[] trains : training) {
            List<String> args = new ArrayList<>(List.of(trains));
            args.addAll(List.of("--batch-size", "32", "--csv", csv.toString()));
            CliTest.Run r = CliTest.run(args.toArray(String[]::new));
            assertRefused(r, trains[0], "use --eval-batch-size N");
            assertTrue(r.err().contains("--train-batch-size N for the training batches"), r.err());
        }
        assertRefused(CliTest.run("quantize", "--model", m, "--eval-batch-size", "0", "--csv", csv.toString()), "quantize",
                "--eval-batch-size 0 is outside 1..65536");
        assertFalse(Files.exists(csv), "nothing written");
    }

    /**
     * A one-layer regression model on four hand-made test rows, trained (here: set) to predict the target
     * standardised by mean 1500 and std 100. Its FP32 row's test_mse and test_r2 must be the hand-computed figures
     * in the target's own units; test_loss stays in the units the model was trained in.
     */
    @Test
    void regressionRowsCarryMseAndR2InTheTargetsOwnUnits() throws Exception {
        // x = 1..10, y on the data file's scale; rows 0..5 train, 6..9 (x = 7..10) test.
        double[] y = {560, 600, 640, 720, 760, 790, 860, 890, 950, 1010};
        StringBuilder keel = new StringBuilder("@relation tiny\n@attribute x real\n@attribute y real\n@inputs x\n@outputs y\n@data\n");
        for (int i = 0; i < y.length; i++) keel.append(i + 1).append(',').append((int) y[i]).append('\n');
        Path data = dir.resolve("tiny.dat");
        Files.writeString(data, keel);

        // The model predicts 0.5 x - 10 in standardised units, i.e. 1500 + 100 (0.5 x - 10) = 500 + 50 x on the file's scale.
        ModelConfig config = new ModelConfig("dense", new int[]{1}, 1, List.of(), 0f, false);
        TrainingMetadata meta = new TrainingMetadata("tiny", data.toAbsolutePath().toString(), Task.REGRESSION, List.of(), null, null,
                new TrainingMetadata.TargetScale(1500, 100), 3, Map.of("model", "dense"), Map.of("test_mse", 75.0));
        SplitIndices split = new SplitIndices(new int[]{0, 1, 2, 3, 4}, new int[]{5}, new int[]{6, 7, 8, 9});
        Path model = dir.resolve("reg");
        try (Backend backend = TestBackends.cpu(1); Model net = ModelFactory.create(config, backend, 1)) {
            WeightLayerRef only = net.weightLayers().getFirst();
            backend.upload(new float[]{0.5f}, only.weight().value());
            backend.upload(new float[]{-10f}, only.bias().value());
            Checkpoint.save(model, net.stateDict(), new ModelDescription(config, meta), split, y.length);
        }

        // By hand, test rows x = 7, 8, 9, 10: predictions 850, 900, 950, 1000; targets 860, 890, 950, 1010;
        // errors -10, 10, 0, -10: MSE = 300 / 4 = 75. Mean target 927.5: SS_tot = 67.5² + 37.5² + 22.5² + 82.5² = 13275,
        // R² = 1 - 300 / 13275. In the model's units the MSE (the loss) is 75 / 100² = 0.0075.
        double mse = 75, r2 = 1 - 300.0 / 13275;
        CliTest.Run r = CliTest.run("quantize", "--model", model.toString(), "--method", "rounding", "--bits", "16",
                "--csv", dir.resolve("reg.csv").toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode fp32 = r.lastJson().get("rows").get(0);
        assertEquals("tiny", fp32.get("dataset").asText());
        assertEquals(3, fp32.get("seed").asInt());
        assertEquals(mse, fp32.get("test_mse").asDouble(), 1e-3);
        assertEquals(r2, fp32.get("test_r2").asDouble(), 1e-7);
        assertEquals(mse / 100 / 100, fp32.get("test_loss").asDouble(), 1e-7);
        assertTrue(fp32.get("test_acc").isNull() && fp32.get("train_acc").isNull(), "regression: no accuracies");
        JsonNode q16 = r.lastJson().get("rows").get(1);
        assertEquals(mse, q16.get("test_mse").asDouble(), 1.0, "16-bit rounding barely moves it");
        ResultRow read = ResultsCsv.read(dir.resolve("reg.csv")).getFirst();
        assertEquals(fp32.get("test_mse").asDouble(), read.quality().testMse(), 0.0);
        assertEquals(fp32.get("test_r2").asDouble(), read.quality().testR2(), 0.0);
    }
}
