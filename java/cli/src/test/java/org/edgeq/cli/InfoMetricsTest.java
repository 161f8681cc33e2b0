package org.edgeq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.edgeq.export.CompressedModelFile;
import org.edgeq.tensor.AllocationCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** edgeq info --metrics: every figure of a trained model and of exports, and an architecture from its shapes alone. */
class InfoMetricsTest {
    /** The fixture's dense 16-32-16-3 network on synthetic-blobs (16 features, 3 classes). */
    private static final long DENSE_MACS = 16 * 32 + 32 * 16 + 16 * 3;
    private static final String[] QUICK = {"--latency-seconds", "0", "--latency-iterations", "3", "--eval-batch-size", "32"};

    @TempDir
    Path dir;

    private static CliTest.Run info(Path model, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("info", "--metrics", "--model", model.toString(), "--json"));
        args.addAll(List.of(QUICK));
        args.addAll(List.of(more));
        return CliTest.run(args.toArray(String[]::new));
    }

    @Test
    void aHugeArchitectureIsProfiledFromItsShapesWithoutAllocatingItsWeights() throws Exception {
        long allocations = AllocationCounter.HOST.allocations();
        CliTest.Run r = CliTest.run("info", "--metrics", "--arch", "dense", "--hidden", "20000,20000", "--input-shape", "10",
                "--outputs", "2", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(allocations, AllocationCounter.HOST.allocations(), "not one tensor allocated for 1.6 GB of weights");
        JsonNode j = r.lastJson();
        long macs = 10L * 20_000 + 20_000L * 20_000 + 20_000L * 2;
        assertEquals(macs, j.get("macs_dense").asLong());
        assertEquals(macs, j.get("macs").asLong());
        assertEquals(macs * 32 * 32, j.get("bops").asLong(), "FP32 weights and activations");
        assertEquals(macs + 20_000 + 20_000 + 2, j.get("parameters").asLong());
        assertEquals(4 * j.get("parameters").asLong(), j.get("stored_bytes").asLong());
        assertTrue(j.get("size_bytes").isNull() && !j.has("latency_ms_p50"), "nothing ran, no file: " + j);

        CliTest.Run plain = CliTest.run("info", "--arch", "dense", "--hidden", "20000,20000", "--input-shape", "10", "--outputs", "2");
        assertEquals(0, plain.code(), plain.err());
        assertEquals(allocations, AllocationCounter.HOST.allocations(), "the plain table too comes from shapes");
        assertTrue(plain.out().contains("400,280,002"), plain.out());
    }

    @Test
    void aTrainedModelHasEveryFigureMeasuredAndItsFileSize() throws Exception {
        Path model = StudyFixtures.savedModel(dir.resolve("m"), true);
        CliTest.Run r = info(model, "--train-batch-size", "16");
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.lastJson();
        assertEquals(DENSE_MACS, j.get("macs_dense").asLong());
        assertEquals(DENSE_MACS, j.get("macs").asLong());
        assertEquals(DENSE_MACS * 1024, j.get("bops").asLong());
        assertEquals(Files.size(model.resolve("model.safetensors")), j.get("size_bytes").asLong());
        assertEquals(0.0, j.get("weight_sparsity").asDouble());
        assertTrue(j.get("latency_ms_p50").asDouble() > 0 && j.get("latency_ms_p99").asDouble() >= j.get("latency_ms_p90").asDouble()
                && j.get("latency_ms_p90").asDouble() >= j.get("latency_ms_p50").asDouble(), j.toString());
        assertTrue(j.get("latency_runs").asInt() >= 3, "at least --latency-iterations: " + j);
        assertEquals(0, j.get("latency_runs").asInt() % j.get("latency_runs_per_sample").asInt(), "whole groups of runs");
        assertTrue(j.get("throughput_per_s").asDouble() > 0);
        assertEquals(32, j.get("throughput_batch").asInt());
        JsonNode inference = j.get("peak_memory").get("inference");
        JsonNode training = j.get("peak_memory").get("training_step");
        long weights = 4 * j.get("parameters").asLong();
        assertTrue(inference.get("off_heap_tensors").asLong() >= weights, inference.toString());
        assertTrue(training.get("off_heap_tensors").asLong() >= 3 * weights, "weights, gradients and Adam's two moments: " + training);
        assertTrue(inference.get("device").isNull(), "the CPU backend has no device memory");
        assertEquals(j.get("peak_bytes").asLong(), inference.get("total").asLong());
        assertEquals(16, j.get("train_batch_size").asInt());
        JsonNode first = j.get("layer_table").get(0);
        assertEquals("Linear", first.get("type").asText());
        assertEquals(32, first.get("w_bits").asInt());
        assertEquals(16 * 32, first.get("macs").asLong());
    }

    @Test
    void anExportWithQuantizedActivationsComputesBopsAtItsOwnWidthsAndItsFileSize() throws Exception {
        Path model = StudyFixtures.savedModel(dir.resolve("m"), true);
        Path out = dir.resolve("q");
        CliTest.Run q = CliTest.run("quantize", "--model", model.toString(), "--method", "affine", "--bits", "4", "--act-bits", "8",
                "--out", out.toString());
        assertEquals(0, q.code(), q.err());
        Path row = out.resolve("affine-int-sym-4bit-a8");
        CliTest.Run r = info(row);
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.lastJson();
        assertEquals(Files.size(row.resolve(CompressedModelFile.FILE_NAME)), j.get("size_bytes").asLong());
        assertEquals(j.get("macs").asLong() * 4 * 8, j.get("bops").asLong(), "4-bit weights, 8-bit activations in every layer");
        for (JsonNode l : j.get("layer_table")) {
            if (l.get("w_bits").isNull()) continue;
            assertEquals(4, l.get("w_bits").asInt(), l.toString());
            assertEquals(8, l.get("a_bits").asInt(), l.toString());
        }
        assertTrue(j.get("quantized_activations").asBoolean());
        assertTrue(j.get("stored_bytes").asLong() < 4 * j.get("parameters").asLong(), "4-bit codes are smaller than F32: " + j);
        CliTest.Run plain = CliTest.run("info", "--model", row.toString());
        assertEquals(0, plain.code(), "the plain table of an export: " + plain.err());
    }

    @Test
    void aPrunedExportsEffectiveMacsAreItsNonZeroWeights() throws Exception {
        Path model = StudyFixtures.savedModel(dir.resolve("m"), true);
        Path out = dir.resolve("p");
        CliTest.Run p = CliTest.run("prune", "--model", model.toString(), "--ratio", "0.5", "--scope", "global", "--out", out.toString(), "--json");
        assertEquals(0, p.code(), p.err());
        JsonNode pruned = p.lastJson().get("rows").get(1);
        Path row;
        try (Stream<Path> s = Files.list(out)) {
            row = s.filter(d -> Files.exists(d.resolve(CompressedModelFile.FILE_NAME))).findFirst().orElseThrow();
        }
        JsonNode j = info(row).lastJson();
        assertEquals(DENSE_MACS, j.get("macs_dense").asLong());
        assertEquals(pruned.get("sparsity").asDouble(), j.get("weight_sparsity").asDouble(), 1e-12, "the row's sparsity");
        assertEquals(Math.round(DENSE_MACS * (1 - j.get("weight_sparsity").asDouble())), j.get("macs").asLong(),
                "a dense network uses each weight once");
        assertEquals(pruned.get("macs").asLong(), j.get("macs").asLong(), "the row's macs column");
        assertTrue(j.get("macs").asLong() < DENSE_MACS);
        for (JsonNode l : j.get("layer_table")) {
            if (!l.get("w_bits").isNull()) assertEquals(32, l.get("w_bits").asInt(), "FP32 values, however the export packed them: " + l);
        }
        assertEquals(j.get("macs").asLong() * 32 * 32, j.get("bops").asLong());
    }

    @Test
    void aCodebookCountsItsBitsOnlyWhereAQuantizerMadeIt() throws Exception {
        try (org.edgeq.backend.Backend backend = org.edgeq.nn.TestBackends.cpu(1);
             org.edgeq.nn.Model net = org.edgeq.nn.ModelFactory.create(org.edgeq.nn.ModelPresets.denseSimple(16, 3), backend, 1)) {
            org.edgeq.nn.WeightLayerRef first = net.weightLayers().getFirst();
            float[] w = new float[16 * 10];
            for (int i = 0; i < w.length; i++) w[i] = i % 4 == 0 ? 0.5f : 0f; // two values: the exporter stores a 1-bit codebook
            backend.upload(w, first.weight().value());
            for (String method : new String[] {null, "rounding"}) {
                java.util.Map<String, String> meta = method == null ? java.util.Map.of("pruning", "oneshot layer 0.75")
                        : java.util.Map.of("quant_method", method);
                Path file = dir.resolve((method == null ? "pruned" : method) + ".eqz");
                org.edgeq.export.ModelExporter.write(file, net, java.util.Map.of(), meta);
                CompressedModelFile.Contents c = CompressedModelFile.read(file);
                org.edgeq.export.EncodedTensor t = c.tensors().stream().filter(e -> e.name().equals(first.weight().name())).findFirst().orElseThrow();
                assertEquals(org.edgeq.export.TensorEncoding.CODEBOOK, t.encoding(), t.toString());
                int bits = InfoCommand.exportBits(net, c).weightBits(first.path());
                assertEquals(method == null ? 32 : t.bits(), bits, "pruned FP32 values are 32-bit arithmetic; a quantizer's levels are its bits");
            }
        }
    }

    @Test
    void badOptionsAreRefusedNamingThem() {
        QuantizeCommandTest.assertRefused(CliTest.run("info", "--metrics", "--arch", "dense", "--input-shape", "4", "--eval-batch-size", "0"),
                "info", "--eval-batch-size");
        QuantizeCommandTest.assertRefused(CliTest.run("info", "--arch", "cnn-small", "--input-shape", "1,2,2"), "info", "--input-shape");
    }
}
