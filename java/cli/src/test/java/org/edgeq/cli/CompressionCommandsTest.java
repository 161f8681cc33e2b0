package org.edgeq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.edgeq.export.CompressedModelFile;
import org.edgeq.study.ResultsCsv;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.edgeq.cli.QuantizeCommandTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** edgeq prune, qat and distill: the --json contract, the CSV, the exports, and every refusal of bad input. */
class CompressionCommandsTest {

    @TempDir
    Path dir;

    Path model;
    Path csv;

    @BeforeEach
    void saveModel() throws Exception {
        model = StudyFixtures.savedModel(dir.resolve("m"), true);
        csv = dir.resolve("r.csv");
    }

    private CliTest.Run run(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--csv";
        all[args.length + 1] = csv.toString();
        return CliTest.run(all);
    }

    @Test
    void pruneJsonHoldsOneRowPerRatioAtTheRequestedSparsity() throws Exception {
        Path out = dir.resolve("p");
        CliTest.Run r = run("prune", "--model", model.toString(), "--ratio", "0.5,0.9", "--scope", "global", "--epochs", "1",
                "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.outLines().size(), r.out());
        JsonNode rows = r.lastJson().get("rows");
        assertEquals(3, rows.size());
        assertEquals("fp32", rows.get(0).get("method").asText());
        assertEquals(0.0, rows.get(0).get("sparsity").asDouble());
        assertEquals("prune-oneshot", rows.get(1).get("method").asText());
        assertEquals("prune-oneshot", rows.get(1).get("quant_method").asText());
        assertEquals("global", rows.get(1).get("prune_scope").asText());
        assertEquals(0.5, rows.get(1).get("prune_ratio").asDouble());
        assertEquals(0.9, rows.get(2).get("prune_ratio").asDouble(), "the requested ratio");
        assertEquals(32, rows.get(2).get("w_bits").asInt());
        // Global pruning removes the ratio of the prunable (non-output) weights: 16*32 + 32*16 of 16*32 + 32*16 + 16*3.
        double prunable = (16 * 32 + 32 * 16) / (double) (16 * 32 + 32 * 16 + 16 * 3);
        assertEquals(0.9 * prunable, rows.get(2).get("sparsity").asDouble(), 0.01, "the achieved sparsity");
        assertTrue(rows.get(2).get("size_bytes").asLong() < rows.get(1).get("size_bytes").asLong(), "sparser is smaller: " + rows);
        Path export = out.resolve("prune-oneshot-global-0.9").resolve(CompressedModelFile.FILE_NAME);
        assertEquals(Files.size(export), rows.get(2).get("size_bytes").asLong());
        assertEquals(3, ResultsCsv.read(csv).size());
    }

    @Test
    void includeOutputPrunesTheOutputLayerTooSoTheOverallSparsityIsTheRatio() throws Exception {
        CliTest.Run r = run("prune", "--model", model.toString(), "--ratio", "0.9", "--scope", "global", "--include-output", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(0.9, r.lastJson().get("rows").get(1).get("sparsity").asDouble(), 0.001);
    }

    @Test
    void pruneThenQuantizeReportsTheMethodAndWidth() throws Exception {
        CliTest.Run r = run("prune", "--model", model.toString(), "--ratio", "0.5", "--scope", "2:4",
                "--then-quantize", "rounding", "--set", "iqr", "--bits", "4", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode row = r.lastJson().get("rows").get(1);
        assertEquals("prune-oneshot+rounding", row.get("method").asText());
        assertEquals("2:4", row.get("prune_scope").asText());
        assertEquals("iqr", row.get("set").asText());
        assertEquals("uniform_range_IQR", row.get("bin_method").asText());
        assertEquals(4, row.get("w_bits").asInt());
        assertTrue(row.get("sparsity").asDouble() > 0.4, row.toString());
    }

    @Test
    void qatJsonHoldsOneRowPerWidthWithActivationBitsInThePrecision() throws Exception {
        CliTest.Run r = run("qat", "--model", model.toString(), "--bits", "8,4", "--act-bits", "8", "--epochs", "1", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.outLines().size(), r.out());
        JsonNode rows = r.lastJson().get("rows");
        assertEquals(3, rows.size());
        assertEquals("fp32", rows.get(0).get("method").asText());
        assertEquals(8, rows.get(1).get("w_bits").asInt());
        assertEquals(8, rows.get(1).get("a_bits").asInt());
        assertEquals(4, rows.get(2).get("w_bits").asInt());
        assertEquals(8, rows.get(2).get("a_bits").asInt());
        assertEquals("qat-affine", rows.get(2).get("method").asText());
        assertEquals("int-sym", rows.get(2).get("set").asText());
        assertEquals("per-channel", rows.get(2).get("granularity").asText());
        assertTrue(rows.get(2).get("test_acc").isNumber());
        assertTrue(rows.get(2).get("size_bytes").asLong() < rows.get(1).get("size_bytes").asLong());
    }

    @Test
    void seedQatTrainsThroughTheMethodsOwnQuantizerAndExportsItsCodes() throws Exception {
        CliTest.Run r = run("qat", "--model", model.toString(), "--method", "rounding", "--set", "histogram,prior-normal", "--bits", "4",
                "--epochs", "1", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode rows = r.lastJson().get("rows");
        assertEquals(3, rows.size(), "the FP32 baseline, then one row per set");
        for (int i = 1; i <= 2; i++) {
            JsonNode row = rows.get(i);
            assertEquals("qat-rounding", row.get("method").asText());
            assertEquals(i == 1 ? "histogram" : "prior-normal", row.get("set").asText());
            assertEquals(i == 1 ? "histogram" : "prior_normal", row.get("bin_method").asText());
            assertEquals(4, row.get("w_bits").asInt());
        }
    }

    @Test
    void distillJsonReportsTheStudentRowAndBothParameterCounts() throws Exception {
        Path out = dir.resolve("d");
        CliTest.Run r = run("distill", "--teacher", model.toString(), "--student", "dense-simple", "--epochs", "1",
                "--qat-bits", "8", "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.lastJson();
        assertEquals(2, j.get("rows").size());
        assertTrue(j.get("student_parameters").asLong() < j.get("teacher_parameters").asLong());
        JsonNode teacher = j.get("rows").get(0);
        assertEquals("fp32", teacher.get("method").asText(), "the teacher is the baseline");
        assertEquals("dense", teacher.get("model").asText());
        JsonNode row = j.get("rows").get(1);
        assertEquals("dense-simple", row.get("model").asText());
        assertEquals("distill+qat", row.get("method").asText());
        assertEquals(8, row.get("w_bits").asInt());
        assertEquals(out.resolve("distill-dense-simple-w8").resolve(CompressedModelFile.FILE_NAME).toAbsolutePath().toString(),
                row.get("export_path").asText());
        assertTrue(Files.exists(out.resolve("distill-dense-simple-w8").resolve(CompressedModelFile.FILE_NAME)));
    }

    @Test
    void badInputToPruneIsRefusedWithOneLineAndNothingWritten() throws Exception {
        String m = model.toString();
        assertRefused(run("prune", "--model", m, "--ratio", "1.0"), "prune", "--ratio 1.0 is outside [0, 1)");
        assertRefused(run("prune", "--model", m, "--ratio", "-0.1"), "prune", "--ratio -0.1");
        assertRefused(run("prune", "--model", m, "--ratio", "0.7", "--scope", "2:4"), "prune", "--scope 2:4");
        assertRefused(run("prune", "--model", m, "--scope", "rows"), "prune", "rows");
        assertRefused(run("prune", "--model", m, "--schedule", "gradual", "--epochs", "0"), "prune", "--epochs");
        assertRefused(run("prune", "--model", m, "--then-quantize", "rounding", "--bits", "17"), "prune", "--bits 17 is outside 1..16");
        assertRefused(run("prune", "--model", m, "--then-quantize", "mid-rise", "--set", "histogram"), "prune", "--set histogram does not apply");
        assertRefused(run("prune", "--model", m, "--bits", "4"), "prune", "--then-quantize");
        assertRefused(run("prune", "--model", dir.resolve("none").toString()), "prune", "no such directory");
        assertFalse(Files.exists(csv));
    }

    @Test
    void badInputToQatAndDistillIsRefusedWithOneLineAndNothingWritten() throws Exception {
        String m = model.toString();
        assertRefused(run("qat", "--model", m, "--bits", "17"), "qat", "--bits 17 is outside 2..16");
        assertRefused(run("qat", "--model", m, "--bits", "1"), "qat", "--bits 1");
        assertRefused(run("qat", "--model", m, "--act-bits", "0"), "qat", "--act-bits 0");
        assertRefused(run("qat", "--model", m, "--method", "rounding", "--act-bits", "8"), "qat", "--act-bits applies to --method affine");
        assertRefused(run("qat", "--model", m, "--method", "mid-rise", "--set", "histogram"), "qat", "--set histogram does not apply");
        assertRefused(run("qat", "--model", m, "--method", "fancy"), "qat", "--method");
        Path untrained = StudyFixtures.savedModel(dir.resolve("u"), false);
        assertRefused(run("qat", "--model", untrained.toString()), "qat", "untrained");
        assertRefused(run("distill", "--teacher", untrained.toString(), "--student", "dense-simple"), "distill", "untrained");
        assertRefused(run("distill", "--teacher", m, "--student", "dense-simple", "--alpha", "1.5"), "distill", "--alpha");
        assertRefused(run("distill", "--teacher", m, "--student", "dense-simple", "--temperature", "0"), "distill", "--temperature");
        assertRefused(run("distill", "--teacher", m, "--student", "dense-simple", "--qat-bits", "20"), "distill", "--qat-bits 20");
        assertRefused(run("distill", "--teacher", m, "--student", "cnn-small"), "distill", "images");
        assertRefused(run("distill", "--teacher", m, "--student", "lenet"), "distill", "lenet");
        assertFalse(Files.exists(csv));
    }
}
