package org.edgeq.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.edgeq.backend.Backend;
import org.edgeq.checkpoint.CheckpointFormatException;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.ModelPresets;
import org.edgeq.nn.TestBackends;
import org.edgeq.quant.LandmarkSetKind;
import org.edgeq.quant.ModelQuantizer;
import org.edgeq.quant.QuantizedTensor;
import org.edgeq.quant.RoundingQuantizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.edgeq.export.CompressedModelFileTest.header;
import static org.edgeq.export.CompressedModelFileTest.withChecksum;
import static org.edgeq.export.CompressedModelFileTest.withHeader;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 11 defects 2, 11 and 13 for model.eqz: edited headers, version-1 files, tensors the model lacks, non-finite values. */
class CompressedModelHostileFilesTest {
    private static Backend backend;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        backend = TestBackends.cpu(2);
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    private Path exported() throws Exception {
        Path file = dir.resolve("model.eqz");
        try (Model m = ModelFactory.create(ModelPresets.denseSimple(10, 2), backend, 5)) {
            Map<String, QuantizedTensor> q = ModelQuantizer.apply(m, new RoundingQuantizer(LandmarkSetKind.UNIFORM), 4);
            ModelExporter.write(file, m, q, Map.of("precision", "4"));
        }
        return file;
    }

    private static String refusal(Path file) {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> CompressedModelFile.read(file).decodeAll());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void editingPrecisionFourToFiveInTheHeaderIsRefusedByTheChecksum() throws Exception {
        Path file = exported();
        byte[] bytes = Files.readAllBytes(file);
        String edited = header(bytes).replace("\"precision\":\"4\"", "\"precision\":\"5\"");
        assertTrue(!edited.equals(header(bytes)));
        Files.write(file, withHeader(bytes, edited, false));
        assertTrue(refusal(file).contains("checksum"), refusal(file));
    }

    @Test
    void versionOneFileIsRefusedWithALineSayingToExportAgain() throws Exception {
        Path file = exported();
        byte[] bytes = Files.readAllBytes(file);
        System.arraycopy("EDGEQZ01".getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, 8);
        Files.write(file, bytes);
        String m = refusal(file);
        assertTrue(m.contains("version-1") && m.contains("export it again"), m);
    }

    @Test
    void extraHugeTensorIsRefusedFromTheHeaderBeforeAnythingIsDecoded() throws Exception {
        Path file = exported();
        byte[] bytes = Files.readAllBytes(file);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(header(bytes));
        ArrayNode tensors = (ArrayNode) root.get("tensors");
        ObjectNode extra = tensors.insertObject(0); // first, so it is met before any real tensor's data
        extra.put("name", "extra").putArray("shape").add(20_000).add(20_000);
        extra.put("encoding", "codebook").put("layout", "dense").put("bits", 1).put("groups", 1).put("codebook_size", 2)
                .put("nonzeros", 400_000_000L).putArray("offsets").add(0).add(50_000_008);
        Files.write(file, withHeader(bytes, json.writeValueAsString(root), true));
        long before = System.nanoTime();
        String m = refusal(file);
        assertTrue(m.contains("'extra'") && m.contains("does not have"), m);
        assertTrue(System.nanoTime() - before < 2_000_000_000L, "refused from the header, nothing decoded");
    }

    @Test
    void tensorOfAnotherShapeIsRefusedFromTheHeader() throws Exception {
        Path file = exported();
        byte[] bytes = Files.readAllBytes(file);
        String edited = header(bytes).replace("\"architecture\":\"dense\",\"input_shape\":[10]", "\"architecture\":\"dense\",\"input_shape\":[11]");
        assertTrue(!edited.equals(header(bytes)), header(bytes));
        Files.write(file, withHeader(bytes, edited, true));
        String m = refusal(file);
        assertTrue(m.contains("net.0.weight") && m.contains("expects"), m);
    }

    @Test
    void nanCodebookEntryIsRefusedAtLoad() throws Exception {
        Path file = exported();
        byte[] bytes = Files.readAllBytes(file);
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(header(bytes));
        int dataStart = 16 + header(bytes).getBytes(StandardCharsets.UTF_8).length;
        long begin = -1;
        for (var t : root.get("tensors")) {
            if (t.get("encoding").asText().equals("codebook")) {
                begin = t.get("offsets").get(0).asLong();
                break;
            }
        }
        assertTrue(begin >= 0, "a codebook tensor: " + root);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putFloat(dataStart + (int) begin, Float.NaN);
        Files.write(file, withChecksum(bytes));
        String m = refusal(file);
        assertTrue(m.contains("codebook entry 0 is NaN"), m);
    }

    @Test
    void nanAffineScaleIsRefusedAtLoad() throws Exception {
        Path file = dir.resolve("model.eqz");
        try (Model m = ModelFactory.create(new org.edgeq.nn.ModelConfig("dense", new int[]{12}, 3, java.util.List.of(256, 128), 0f, false), backend, 3)) {
            Map<String, QuantizedTensor> q = ModelQuantizer.apply(m, new org.edgeq.quant.AffineQuantizer(false,
                    org.edgeq.quant.core.Granularity.PER_CHANNEL, org.edgeq.quant.observe.ObserverKind.MIN_MAX), 8);
            ModelExporter.write(file, m, q, Map.of());
        }
        byte[] bytes = Files.readAllBytes(file);
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(header(bytes));
        int dataStart = 16 + header(bytes).getBytes(StandardCharsets.UTF_8).length;
        long begin = -1;
        for (var t : root.get("tensors")) {
            if (t.get("encoding").asText().equals("affine")) {
                begin = t.get("offsets").get(0).asLong();
                break;
            }
        }
        assertTrue(begin >= 0, "an affine tensor: " + root);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putFloat(dataStart + (int) begin, Float.POSITIVE_INFINITY);
        Files.write(file, withChecksum(bytes));
        String m = refusal(file);
        assertTrue(m.contains("scale of group 0 is Infinity"), m);
    }

    @Test
    void configTooLargeToBuildIsRefusedWithTheParameterCount() throws Exception {
        Path file = exported();
        byte[] bytes = Files.readAllBytes(file);
        String edited = header(bytes).replace("\"hidden\":[10]", "\"hidden\":[1000000,1000000]");
        assertTrue(!edited.equals(header(bytes)), header(bytes));
        Files.write(file, withHeader(bytes, edited, true));
        String m = refusal(file);
        assertTrue(m.contains("needs 1,000,0") && m.contains("parameters; at most 2,147,483,647 supported"), m);
    }
}
