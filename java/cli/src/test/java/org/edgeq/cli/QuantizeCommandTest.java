package org.edgeq.cli;

import org.edgeq.study.ModelUnderStudy;
import org.edgeq.study.PtqPlan;
import org.edgeq.study.PtqPlans;
import com.fasterxml.jackson.databind.JsonNode;
import org.edgeq.backend.Backend;
import org.edgeq.export.CompressedModelFile;
import org.edgeq.export.ModelExporter;
import org.edgeq.nn.Model;
import org.edgeq.nn.TestBackends;
import org.edgeq.quant.LandmarkSetKind;
import org.edgeq.quant.QuantMethod;
import org.edgeq.study.ResultRow;
import org.edgeq.study.ResultsCsv;
import org.edgeq.train.Evaluator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** edgeq quantize: the grid of rows, the --json contract, the CSV and exports, and every refusal of bad input. */
class QuantizeCommandTest {

    @TempDir
    Path dir;

    static void assertRefused(CliTest.Run r, String command, String mentions) {
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertEquals("", r.out(), "nothing on stdout");
        List<String> lines = r.errLines();
        assertTrue(lines.size() <= 2, "one line (plus the --help hint): " + r.err());
        assertTrue(lines.get(0).startsWith("edgeq " + command + ": "), lines.get(0));
        assertTrue(lines.get(0).contains(mentions), "names '" + mentions + "': " + lines.get(0));
    }

    @Test
    void jsonHoldsOneRowPerMethodSetAndWidthAfterTheFp32RowAndTheCsvMatches() throws Exception {
        Path model = StudyFixtures.savedModel(dir.resolve("m"), true);
        Path out = dir.resolve("q");
        CliTest.Run r = CliTest.run("quantize", "--model", model.toString(), "--method", "rounding,mid-rise,affine",
                "--set", "uniform,iqr", "--bits", "8,4", "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.outLines().size(), "stdout is the JSON line only: " + r.out());
        JsonNode j = r.lastJson();
        assertEquals("quantize", j.get("command").asText());
        JsonNode rows = j.get("rows");
        assertEquals(1 + 2 * 2 + 2 * 2 + 2, rows.size(), rows.toString());
        assertEquals("fp32", rows.get(0).get("method").asText(), "the baseline row first");
        assertEquals(32, rows.get(0).get("w_bits").asInt());
        assertTrue(rows.get(0).get("export_path").isNull(), "the baseline is not exported");
        assertEquals("rounding", rows.get(1).get("method").asText());
        assertEquals("regular_rounding", rows.get(1).get("quant_method").asText(), "the seed's name beside EdgeQ's");
        assertEquals("uniform", rows.get(1).get("set").asText());
        assertEquals("uniform_range", rows.get(1).get("bin_method").asText());
        assertEquals(8, rows.get(1).get("w_bits").asInt());
        assertEquals(8, rows.get(1).get("precision").asInt());
        assertEquals("per-tensor", rows.get(1).get("granularity").asText());
        assertTrue(rows.get(1).get("observer").isNull() && rows.get(1).get("a_bits").isNull(), rows.get(1).toString());
        assertEquals("iqr", rows.get(4).get("set").asText());
        assertEquals("mid-rise", rows.get(5).get("method").asText());
        assertEquals("full_range", rows.get(5).get("bin_method").asText(), "mid-rise's full range (--set uniform)");
        assertEquals("iqr", rows.get(7).get("set").asText());
        assertEquals("range_IQR", rows.get(7).get("bin_method").asText(), "the seed's mid-rise over the IQR range");
        assertEquals("int-sym", rows.get(9).get("set").asText(), "affine's default integer format");
        assertEquals("minmax", rows.get(9).get("observer").asText());
        for (JsonNode row : rows) {
            for (String col : List.of("dataset", "model", "seed", "method", "w_bits", "train_loss", "train_acc", "test_loss", "test_acc",
                    "sparsity", "size_bytes", "latency_ms_p50", "latency_ms_p99", "throughput_per_s", "peak_bytes", "macs", "bops",
                    "energy_source", "seconds", "edgeq_version", "quant_method", "precision")) {
                assertTrue(row.has(col) && !row.get(col).isNull(), col + " in " + row);
            }
            assertTrue(row.get("latency_ms_p99").asDouble() >= row.get("latency_ms_p50").asDouble(), row.toString());
            assertTrue(row.get("throughput_per_s").asDouble() > 0 && row.get("seconds").asDouble() > 0, row.toString());
            assertTrue(row.get("peak_bytes").asLong() > 4 * (16 * 32 + 32 * 16 + 16 * 3), "at least the model's own weights: " + row);
            // dense 16-32-16-3 uses each weight once: its effective MACs are its non-zero weights (int-sym rounds some to 0)
            assertEquals(Math.round((1 - row.get("sparsity").asDouble()) * (16 * 32 + 32 * 16 + 16 * 3)), row.get("macs").asLong(), row.toString());
            assertEquals(row.get("macs").asLong() * row.get("w_bits").asLong() * 32, row.get("bops").asLong(),
                    "activations not quantized: 32 bits");
            assertTrue(List.of("rapl", "estimate").contains(row.get("energy_source").asText()), "a CPU row's energy is measured or estimated: " + row);
            assertTrue(row.get("energy_j").asDouble() > 0 && row.get("energy_j_per_sample").asDouble() > 0, row.toString());
            assertTrue(row.get("est_energy_uj_per_inference").asDouble() > 0, row.toString());
            assertEquals("synthetic-blobs", row.get("dataset").asText());
            assertEquals(42, row.get("seed").asInt(), "the trained model's seed");
            assertTrue(row.get("test_mse").isNull() && row.get("test_r2").isNull(), "classification: no regression figures");
        }
        List<ResultRow> csv = ResultsCsv.read(out.resolve("results.csv"));
        assertEquals(rows.size(), csv.size());
        assertEquals(rows.get(3).get("test_acc").asDouble(), csv.get(3).quality().testAcc(), 0.0);
        assertEquals(rows.get(3).get("latency_ms_p50").asDouble(), csv.get(3).cost().latencyMsP50(), 0.0);
        assertTrue(rows.get(0).get("est_energy_uj_per_inference").asDouble() > rows.get(2).get("est_energy_uj_per_inference").asDouble(),
                "in the hardware model 4-bit weights cost less than the FP32 baseline's");

        // The 4-bit export is on disk at the reported size and loads back to the reported accuracy.
        Path export = out.resolve("rounding-uniform-4bit").resolve(CompressedModelFile.FILE_NAME);
        assertEquals(Files.size(export), rows.get(2).get("size_bytes").asLong());
        assertEquals(export.toAbsolutePath().toString(), rows.get(2).get("export_path").asText());
        assertTrue(Files.exists(out.resolve("rounding-uniform-4bit/model.json")) && Files.exists(out.resolve("rounding-uniform-4bit/split.json")));
        assertTrue(rows.get(2).get("size_bytes").asLong() < rows.get(1).get("size_bytes").asLong(), "4 bits are smaller than 8");
        try (Backend backend = TestBackends.cpu(1); Model back = ModelExporter.load(export, backend, 1)) {
            ModelUnderStudy study = ModelUnderStudy.open("--model", model, null);
            double acc = Evaluator.evaluate(back, study.test, 256).accuracy();
            assertEquals(rows.get(2).get("test_acc").asDouble(), acc, 0.0);
        }
    }

    @Test
    void evalOfAKeptExportReproducesItsRowAndACorruptExportIsRefused() throws Exception {
        Path model = StudyFixtures.savedModel(dir.resolve("m"), true);
        Path out = dir.resolve("q");
        CliTest.Run r = CliTest.run("quantize", "--model", model.toString(), "--method", "affine", "--bits", "4",
                "--per-channel", "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode row = r.lastJson().get("rows").get(1);
        Path export = out.resolve("affine-int-sym-4bit");
        CliTest.Run e = CliTest.run("eval", "--model", export.toString(), "--json");
        assertEquals(0, e.code(), e.err());
        assertEquals(row.get("test_acc").asDouble(), e.lastJson().get("test_acc").asDouble(), 0.0);
        assertEquals(row.get("test_loss").asDouble(), e.lastJson().get("test_loss").asDouble(), 1e-9);

        Path file = export.resolve(CompressedModelFile.FILE_NAME);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 1));
        CliTest.Run bad = CliTest.run("eval", "--model", export.toString());
        assertEquals(ExitCodes.USAGE, bad.code(), bad.err());
        assertEquals(1, bad.errLines().size(), bad.err());
        assertTrue(bad.err().contains("refusing checkpoint") && bad.err().contains("model.eqz"), bad.err());
    }

    @Test
    void evalOfAnExportWithQuantizedActivationsRestoresItsInputQuantizers() throws Exception {
        Path model = StudyFixtures.savedModel(dir.resolve("m"), true);
        Path out = dir.resolve("q");
        CliTest.Run r = CliTest.run("quantize", "--model", model.toString(), "--method", "affine", "--bits", "8", "--act-bits", "3",
                "--calibration-batches", "2", "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode withActivations = r.lastJson().get("rows").get(1);
        CliTest.Run weightsOnly = CliTest.run("quantize", "--model", model.toString(), "--method", "affine", "--bits", "8",
                "--csv", dir.resolve("w.csv").toString(), "--json");
        double weightOnlyLoss = weightsOnly.lastJson().get("rows").get(1).get("test_loss").asDouble();
        assertTrue(Math.abs(weightOnlyLoss - withActivations.get("test_loss").asDouble()) > 1e-6,
                "3-bit activations must change the outputs, or this test could not tell restored quantizers from none");

        CliTest.Run e = CliTest.run("eval", "--model", out.resolve("affine-int-sym-8bit-a3").toString(), "--json");
        assertEquals(0, e.code(), e.err());
        assertEquals(withActivations.get("test_loss").asDouble(), e.lastJson().get("test_loss").asDouble(), 1e-9);
        assertEquals(withActivations.get("test_acc").asDouble(), e.lastJson().get("test_acc").asDouble(), 0.0);
    }

    @Test
    void actBitsCalibratesActivationsAndReportsBothWidths() throws Exception {
        Path model = StudyFixtures.savedModel(dir.resolve("m"), true);
        CliTest.Run r = CliTest.run("quantize", "--model", model.toString(), "--method", "affine", "--bits", "4", "--act-bits", "8",
                "--calibration-batches", "2", "--csv", dir.resolve("r.csv").toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode row = r.lastJson().get("rows").get(1);
        assertEquals(4, row.get("w_bits").asInt());
        assertEquals(8, row.get("a_bits").asInt());
        assertEquals(4, row.get("precision").asInt(), "precision is the weight width, as in the seed's tables");
        assertTrue(row.get("test_acc").isNumber());
        assertRefused(CliTest.run("quantize", "--model", model.toString(), "--act-bits", "1"), "quantize", "--act-bits 1 is outside 2..16");
        assertRefused(CliTest.run("quantize", "--model", model.toString(), "--method", "affine", "--act-bits", "8", "--observer", "mse"),
                "quantize", "--observer mse does not apply to --act-bits");
    }

    @Test
    void theSeedsTableExpandsToEveryMethodSetAndWidthWithSetsOnlyWhereTheyApply() {
        List<Integer> widths = List.of(16, 12, 10, 8, 6, 4);
        List<String> sets = List.of("uniform", "iqr", "histogram", "prior-normal");
        List<PtqPlan> seed = PtqPlans.expand(List.of("mid-rise", "rounding", "stochastic", "multipoint"), sets, widths);
        // mid-rise over its full range (uniform) and over the IQR range; rounding and stochastic with every set
        assertEquals(2 * 6 + 4 * 6 + 4 * 6 + 6, seed.size());
        assertEquals(new PtqPlan(QuantMethod.MID_RISE, null, 16), seed.getFirst());
        assertEquals(new PtqPlan(QuantMethod.MID_RISE, LandmarkSetKind.IQR, 4), seed.get(11));
        assertEquals(new PtqPlan(QuantMethod.ROUNDING, LandmarkSetKind.IQR, 4), seed.get(12 + 11));
        List<PtqPlan> all = PtqPlans.expand(List.of("all"), sets, widths);
        assertEquals(seed.size() + 6 + 6, all.size(), "all adds multipoint-grid and affine in its default integer format");
        assertEquals(LandmarkSetKind.INT_SYMMETRIC, all.getLast().set());
        assertTrue(all.stream().anyMatch(p -> p.method() == QuantMethod.MULTIPOINT_GRID));
        List<PtqPlan> both = PtqPlans.expand(List.of("affine", "rounding"), List.of("int-asym"), List.of(8));
        assertEquals(List.of("affine-int-asym-8bit", "rounding-int-asym-8bit"), both.stream().map(PtqPlan::dirName).toList());
    }

    @Test
    void theSeedsValueNamesAreAcceptedForMethodsAndSets() {
        List<PtqPlan> p = PtqPlans.expand(List.of("regular_rounding", "mid_rise", "stochastic_rounding", "multi-point"),
                List.of("uniform_range_IQR", "prior_normal", "full_range"), List.of(4));
        assertEquals(List.of("rounding-iqr-4bit", "rounding-prior-normal-4bit", "rounding-uniform-4bit", "mid-rise-iqr-4bit", "mid-rise-4bit",
                "stochastic-iqr-4bit", "stochastic-prior-normal-4bit", "stochastic-uniform-4bit", "multipoint-4bit"),
                p.stream().map(PtqPlan::dirName).toList());
        assertEquals(QuantMethod.ROUNDING, PtqPlans.expand(List.of("normal_rounding"), null, List.of(8)).getFirst().method());
    }

    @Test
    void humanOutputPrintsOneLinePerRowAndWhereTheCsvWent() throws Exception {
        Path model = StudyFixtures.savedModel(dir.resolve("m"), true);
        Path csv = dir.resolve("r.csv");
        CliTest.Run r = CliTest.run("quantize", "--model", model.toString(), "--bits", "6", "--csv", csv.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(3, r.outLines().size(), r.out());
        assertTrue(r.outLines().get(1).startsWith("rounding") && r.outLines().get(1).contains("test acc"), r.out());
        assertTrue(r.outLines().get(2).contains(csv.toString()));
        assertEquals(2, ResultsCsv.read(csv).size());
    }

    @Test
    void badInputIsRefusedWithOneLineNamingTheArgumentAndNothingIsWritten() throws Exception {
        Path model = StudyFixtures.savedModel(dir.resolve("m"), true);
        Path csv = dir.resolve("r.csv");
        String m = model.toString();
        String c = csv.toString();
        assertRefused(CliTest.run("quantize", "--model", m, "--bits", "17", "--csv", c), "quantize", "--bits 17 is outside 1..16");
        assertRefused(CliTest.run("quantize", "--model", m, "--bits", "0", "--csv", c), "quantize", "--bits 0");
        assertRefused(CliTest.run("quantize", "--model", m, "--method", "mid-rise", "--set", "histogram", "--csv", c), "quantize",
                "--set histogram does not apply to --method mid-rise");
        assertRefused(CliTest.run("quantize", "--model", m, "--method", "affine", "--set", "histogram", "--csv", c), "quantize",
                "--set histogram does not apply");
        assertRefused(CliTest.run("quantize", "--model", m, "--method", "multipoint", "--bits", "1", "--csv", c), "quantize",
                "--bits 1 does not apply to --method multipoint");
        assertRefused(CliTest.run("quantize", "--model", m, "--method", "fancy", "--csv", c), "quantize", "--method");
        assertRefused(CliTest.run("quantize", "--model", m, "--set", "cubic", "--csv", c), "quantize", "--set");
        assertRefused(CliTest.run("quantize", "--model", m, "--observer", "mse", "--csv", c), "quantize", "--observer");
        assertRefused(CliTest.run("quantize", "--model", dir.resolve("nowhere").toString(), "--csv", c), "quantize", "no such directory");
        Path untrained = StudyFixtures.savedModel(dir.resolve("u"), false);
        assertRefused(CliTest.run("quantize", "--model", untrained.toString(), "--csv", c), "quantize", "untrained");
        Files.delete(untrained.resolve("model.safetensors"));
        assertRefused(CliTest.run("quantize", "--model", untrained.toString(), "--csv", c), "quantize", "model.safetensors");
        assertFalse(Files.exists(csv), "nothing written");

        Files.writeString(csv, "a,b\n");
        // A file that is not a results table is bad input: one line naming the file and line, no --help hint.
        CliTest.Run notATable = CliTest.run("quantize", "--model", m, "--csv", c);
        assertEquals(ExitCodes.USAGE, notATable.code(), notATable.err());
        assertEquals(List.of(c + ":1: header 'a,b' is not the results header (schema v2: dataset, model, seed, method, ..., "
                + "precision: 36 columns); write to another file, or move this one aside"), notATable.errLines());
        assertEquals("a,b\n", Files.readString(csv));
    }

    @Test
    void truncatedModelFileIsRefusedAsACheckpoint() throws Exception {
        Path model = StudyFixtures.savedModel(dir.resolve("m"), true);
        Path w = model.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(w);
        Files.write(w, java.util.Arrays.copyOf(bytes, bytes.length - 4));
        CliTest.Run r = CliTest.run("quantize", "--model", model.toString(), "--csv", dir.resolve("r.csv").toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("refusing checkpoint"), r.err());
    }

    @Test
    void existingExportsAreNotOverwrittenUnlessAsked() throws Exception {
        Path model = StudyFixtures.savedModel(dir.resolve("m"), true);
        Path out = dir.resolve("q");
        assertEquals(0, CliTest.run("quantize", "--model", model.toString(), "--bits", "4", "--out", out.toString()).code());
        assertRefused(CliTest.run("quantize", "--model", model.toString(), "--bits", "4", "--out", out.toString()), "quantize", "already holds");
        assertEquals(0, CliTest.run("quantize", "--model", model.toString(), "--bits", "4", "--out", out.toString(), "--overwrite").code());
        assertEquals(4, ResultsCsv.read(out.resolve("results.csv")).size(), "both runs appended to the same CSV");
    }
}
