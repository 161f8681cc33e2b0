package org.edgeq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.edgeq.export.CompressedModelFile;
import org.edgeq.prune.PruningMasks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.edgeq.cli.QuantizeCommandTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * edgeq prune's grids and exports: --then-quantize lists expand to one row and one export per combination, a
 * pruned export names its pruned parameters, and qat, quantize and prune started from it keep them pruned.
 */
class PrunedExportsTest {

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
        String[] all = Stream.concat(Stream.of(args), Stream.of("--csv", csv.toString())).toArray(String[]::new);
        return CliTest.run(all);
    }

    private static Set<String> rowDirs(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out)) {
            return new TreeSet<>(s.filter(p -> Files.exists(p.resolve(CompressedModelFile.FILE_NAME)))
                    .map(p -> p.getFileName().toString()).toList());
        }
    }

    /** The pruned rows of a command's JSON (a baseline row, where there is one, is not pruned). */
    private static List<JsonNode> prunedRows(JsonNode json, double atLeast) {
        List<JsonNode> rows = new java.util.ArrayList<>();
        json.get("rows").forEach(r -> {
            if (r.get("sparsity").asDouble() >= atLeast) rows.add(r);
        });
        return rows;
    }

    @Test
    void thenQuantizeListsExpandToOneRowAndOneExportPerRatioMethodSetAndWidth() throws Exception {
        Path out = dir.resolve("p");
        CliTest.Run r = run("prune", "--model", model.toString(), "--ratio", "0.5,0.7", "--then-quantize", "rounding,mid-rise",
                "--set", "uniform", "--bits", "4,2", "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        Set<String> want = new TreeSet<>();
        for (String ratio : List.of("0.5", "0.7")) {
            for (String q : List.of("rounding-uniform-4bit", "rounding-uniform-2bit", "mid-rise-4bit", "mid-rise-2bit")) {
                want.add("prune-oneshot-layer-" + ratio + "-" + q);
            }
        }
        assertEquals(want, rowDirs(out));
        // Layer scope removes round(ratio * 512) of each hidden layer's 16*32 weights; the 16*3 output weights stay.
        List<JsonNode> rows = prunedRows(r.lastJson(), 0.4);
        assertEquals(8, rows.size(), r.out());
        for (int i = 0; i < 8; i++) {
            double ratio = i < 4 ? 0.5 : 0.7;
            assertEquals(2 * Math.round(ratio * 512) / (double) (2 * 512 + 16 * 3), rows.get(i).get("sparsity").asDouble(), 1e-12, "quantizing kept the removed weights at zero: " + rows.get(i));
        }
    }

    @Test
    void seedScopeRefusesIncludeOutputBecauseItsRuleAlreadyPrunesTheOutputWeight() throws Exception {
        assertRefused(run("prune", "--model", model.toString(), "--scope", "seed", "--include-output"), "prune", "--include-output");
        assertFalse(Files.exists(csv));
    }

    @Test
    void aPrunedExportNamesEveryParameterItsScopePruned() throws Exception {
        Path out = dir.resolve("p");
        assertEquals(0, run("prune", "--model", model.toString(), "--ratio", "0.5", "--scope", "seed", "--out", out.toString()).code());
        assertEquals(0, run("prune", "--model", model.toString(), "--ratio", "0.5", "--out", out.toString()).code());
        assertEquals("net.0.weight,net.0.bias,net.2.weight,net.2.bias,net.4.weight",
                metadata(out.resolve("prune-oneshot-seed-0.5")).get(PruningMasks.METADATA_KEY));
        assertEquals("net.0.weight,net.2.weight", metadata(out.resolve("prune-oneshot-layer-0.5")).get(PruningMasks.METADATA_KEY));
    }

    private static Map<String, String> metadata(Path rowDir) throws IOException {
        return CompressedModelFile.read(rowDir.resolve(CompressedModelFile.FILE_NAME)).metadata();
    }

    private static Map<String, float[]> tensors(Path rowDir) throws IOException {
        return CompressedModelFile.read(rowDir.resolve(CompressedModelFile.FILE_NAME)).decodeAll();
    }

    /** Every element that is zero in {@code source} is zero in {@code derived}, for each named parameter. */
    private static void assertZerosKept(Path source, Path derived) throws IOException {
        List<String> pruned = PruningMasks.parseMetadata(metadata(source).get(PruningMasks.METADATA_KEY));
        assertFalse(pruned.isEmpty());
        Map<String, float[]> before = tensors(source), after = tensors(derived);
        for (String name : pruned) {
            float[] b = before.get(name), a = after.get(name);
            long zeros = 0;
            for (int i = 0; i < b.length; i++) {
                if (b[i] == 0f) {
                    zeros++;
                    assertEquals(0f, a[i], 0f, derived.getFileName() + " " + name + "[" + i + "] was pruned");
                }
            }
            assertTrue(zeros > 0, name);
        }
        assertEquals(String.join(",", pruned), metadata(derived).get(PruningMasks.METADATA_KEY), "the derived export names them too");
    }

    @Test
    void qatFromAPrunedExportHoldsItsMasksForTheAffineAndTheSeedsPaths() throws Exception {
        Path pruned = dir.resolve("p");
        CliTest.Run p = run("prune", "--model", model.toString(), "--ratio", "0.7", "--scope", "seed", "--out", pruned.toString(), "--json");
        assertEquals(0, p.code(), p.err());
        double sparsity = prunedRows(p.lastJson(), 0.5).getFirst().get("sparsity").asDouble();
        Path row = pruned.resolve("prune-oneshot-seed-0.7");

        Path qat = dir.resolve("q");
        CliTest.Run affine = run("qat", "--model", row.toString(), "--bits", "8", "--epochs", "2", "--out", qat.toString(), "--json");
        assertEquals(0, affine.code(), affine.err());
        assertZerosKept(row, qat.resolve("qat-w8"));
        assertEquals(sparsity, prunedRows(affine.lastJson(), 0.5).getFirst().get("sparsity").asDouble(), 1e-12);

        CliTest.Run seed = run("qat", "--model", row.toString(), "--method", "rounding", "--bits", "4", "--epochs", "2",
                "--out", qat.toString(), "--json");
        assertEquals(0, seed.code(), seed.err());
        assertZerosKept(row, qat.resolve("qat-rounding-uniform-4bit"));
        assertEquals(sparsity, prunedRows(seed.lastJson(), 0.5).getFirst().get("sparsity").asDouble(), 1e-12);
    }

    @Test
    void quantizeAndPruneFromAPrunedExportKeepItsZeros() throws Exception {
        Path pruned = dir.resolve("p");
        assertEquals(0, run("prune", "--model", model.toString(), "--ratio", "0.8", "--out", pruned.toString()).code());
        Path row = pruned.resolve("prune-oneshot-layer-0.8");

        Path q = dir.resolve("q");
        CliTest.Run quantized = run("quantize", "--model", row.toString(), "--method", "rounding", "--bits", "4", "--out", q.toString(), "--json");
        assertEquals(0, quantized.code(), quantized.err());
        assertZerosKept(row, q.resolve("rounding-uniform-4bit"));

        // Pruning again at a lower ratio does not revive what the source removed, even through fine-tuning.
        Path again = dir.resolve("again");
        CliTest.Run p = run("prune", "--model", row.toString(), "--ratio", "0.3", "--epochs", "1", "--out", again.toString());
        assertEquals(0, p.code(), p.err());
        assertZerosKept(row, again.resolve("prune-oneshot-layer-0.3"));
    }
}
