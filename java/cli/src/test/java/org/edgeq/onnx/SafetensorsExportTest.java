package org.edgeq.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.edgeq.backend.cpu.CpuBackend;
import org.edgeq.cli.ExitCodes;
import org.edgeq.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code edgeq export --format safetensors / safetensors-packed} of quantized models, read back by a reader written
 * from the safetensors specification and docs/interop.md alone (the steps the documented Python takes): the FP32
 * file holds exactly the values the model computes with, and the packed codes decode to those same values.
 */
class SafetensorsExportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A safetensors file as the specification defines it: header JSON, then raw little-endian data. */
    record Read(JsonNode header, ByteBuffer data) {
        static Read of(Path file) throws Exception {
            ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            int n = Math.toIntExact(all.getLong());
            JsonNode header = JSON.readTree(new String(all.array(), 8, n, StandardCharsets.UTF_8));
            return new Read(header, all.slice(8 + n, all.capacity() - 8 - n).order(ByteOrder.LITTLE_ENDIAN));
        }

        String dtype(String name) {
            return header.get(name).get("dtype").asText();
        }

        /** The tensor's elements as doubles (F32, U8 or I32). */
        double[] values(String name) {
            JsonNode e = header.get(name);
            int begin = e.get("data_offsets").get(0).asInt();
            int end = e.get("data_offsets").get(1).asInt();
            String dtype = e.get("dtype").asText();
            int size = dtype.equals("U8") ? 1 : 4;
            double[] out = new double[(end - begin) / size];
            for (int i = 0; i < out.length; i++) {
                int at = begin + i * size;
                out[i] = switch (dtype) {
                    case "F32" -> data.getFloat(at);
                    case "U8" -> data.get(at) & 0xFF;
                    case "I32" -> data.getInt(at);
                    default -> throw new AssertionError(dtype);
                };
            }
            return out;
        }

        JsonNode description(String name) throws Exception {
            JsonNode m = header.get("__metadata__").get(name);
            return m == null ? null : JSON.readTree(m.asText());
        }
    }

    /** docs/interop.md's decoding: affine scale[g] * (code - zero_point[g]); codebook codebook[g][code]; g = row for axis 0. */
    static float[] decode(JsonNode d, double[] codes, int rows) {
        int groups = d.get("axis").isNull() ? 1 : rows;
        int per = codes.length / groups;
        float[] out = new float[codes.length];
        for (int i = 0; i < codes.length; i++) {
            int g = i / per;
            int c = (int) codes[i];
            out[i] = d.get("encoding").asText().equals("affine")
                    ? (float) d.get("scale").get(g).asDouble() * (float) (c - d.get("zero_point").get(g).asInt())
                    : (float) d.get("codebook").get(g).get(c).asDouble();
        }
        return out;
    }

    @Test
    void packedCodesDecodeToTheDequantizedWeightsBitForBit() throws Exception {
        Path base = CliRuns.train(dir.resolve("dense"), "synthetic-blobs", "dense");
        Path rows = dir.resolve("dense-quantized");
        var q = CliRuns.edgeq("quantize", "--model", base.toString(), "--method", "affine,rounding", "--set", "int-asym",
                "--bits", "8,4", "--per-channel", "--backend", "cpu", "--out", rows.toString());
        assertEquals(ExitCodes.OK, q.code(), q.err());
        List<Path> exports;
        try (var s = Files.list(rows)) {
            exports = s.filter(p -> Files.exists(p.resolve("model.eqz"))).sorted().toList();
        }
        assertTrue(exports.size() >= 2, "quantize rows " + exports);
        Set<String> encodings = new TreeSet<>();
        for (Path row : exports) {
            Path fp32 = dir.resolve(row.getFileName() + ".safetensors");
            Path packed = dir.resolve(row.getFileName() + "-packed.safetensors");
            for (String[] format : new String[][] {{"safetensors", fp32.toString()}, {"safetensors-packed", packed.toString()}}) {
                var r = CliRuns.edgeq("export", "--model", row.toString(), "--format", format[0], "--out", format[1]);
                assertEquals(ExitCodes.OK, r.code(), r.err());
            }
            Read f = Read.of(fp32);
            Read p = Read.of(packed);
            try (CpuBackend backend = new CpuBackend(1); ExportableModel m = ExportableModel.open(row, backend)) {
                for (Map.Entry<String, Tensor> e : m.model().stateDict().entrySet()) {
                    String name = e.getKey();
                    float[] expected = e.getValue().toFloatArray();
                    assertEquals("F32", f.dtype(name));
                    assertArrayEquals(expected, toFloats(f.values(name)), name);
                    JsonNode d = p.description(name);
                    if (d == null) {
                        assertArrayEquals(expected, toFloats(p.values(name)), name);
                        continue;
                    }
                    encodings.add(d.get("encoding").asText());
                    assertEquals(d.get("bits").asInt() <= 8 ? "U8" : "I32", p.dtype(name));
                    assertArrayEquals(expected, decode(d, p.values(name), e.getValue().shape().dim(0)), row + " " + name);
                }
            }
        }
        assertEquals(Set.of("affine", "codebook"), encodings, "both kinds of stored codes were exercised");
    }

    private static float[] toFloats(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (float) v[i];
        return out;
    }
}
