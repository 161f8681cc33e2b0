package org.edgeq.checkpoint;

import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest {

    @TempDir
    Path dir;

    /** A file built by hand from the safetensors spec: length, JSON header padded with spaces, raw LE data. */
    private static byte[] handBuilt(String json, byte[] data) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(h);
        for (int i = h.length; i < padded; i++) b.put((byte) ' ');
        b.put(data);
        return b.array();
    }

    private static byte[] floatsLE(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    @Test
    void writtenFileMatchesAHandBuiltSpecFileByteForByte() throws Exception {
        try (TensorScope scope = new TensorScope()) {
            Map<String, Tensor> t = new LinkedHashMap<>();
            t.put("net.0.weight", Tensor.of(scope, new float[]{1f, -2.5f, 3f, 0.125f, -0f, 7f}, 2, 3));
            Tensor counts = Tensor.host(scope, DType.I32, 2);
            counts.copyFrom(new int[]{42, -1});
            t.put("net.0.count", counts);
            Path file = dir.resolve("m.safetensors");
            SafetensorsWriter.write(file, t, Map.of("format", "pt"));

            String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                    + "\"net.0.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                    + "\"net.0.count\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[24,32]}}";
            ByteBuffer ints = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(42).putInt(-1);
            byte[] expected = handBuilt(json, concat(floatsLE(1f, -2.5f, 3f, 0.125f, -0f, 7f), ints.array()));
            byte[] actual = Files.readAllBytes(file);
            assertArrayEquals(expected, actual);
            assertEquals(0, (actual.length - 32) % 8, "data section starts 8-byte aligned");
        }
    }

    @Test
    void roundTripIsBitIdenticalIncludingNaNPayloadsAndScalars() throws Exception {
        Random r = new Random(7);
        try (TensorScope scope = new TensorScope()) {
            Map<String, Tensor> saved = new LinkedHashMap<>();
            float[] w = new float[17 * 33];
            for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
            w[3] = Float.intBitsToFloat(0x7fc01234); // a NaN with a payload must survive
            w[4] = Float.MIN_VALUE;
            w[5] = -0f;
            saved.put("z.weight", Tensor.of(scope, w, 17, 33));
            saved.put("a.bias", Tensor.of(scope, new float[]{0.5f}));
            saved.put("empty", Tensor.host(scope, DType.F32, 0, 4));
            Tensor u8 = Tensor.host(scope, DType.U8, 3);
            u8.segment().set(java.lang.foreign.ValueLayout.JAVA_BYTE, 1, (byte) 200);
            saved.put("codes", u8);
            Path file = dir.resolve("rt.safetensors");
            SafetensorsWriter.write(file, saved, Map.of());

            SafetensorsReader reader = SafetensorsReader.open(file);
            assertEquals(List.of("z.weight", "a.bias", "empty", "codes"),
                    reader.entries().stream().map(TensorEntry::name).toList(), "insertion order kept");
            Map<String, Tensor> loaded = reader.readAll(scope);
            for (String name : saved.keySet()) {
                Tensor a = saved.get(name);
                Tensor b = loaded.get(name);
                assertEquals(a.shape(), b.shape(), name);
                assertEquals(a.dtype(), b.dtype(), name);
                assertEquals(-1L, a.segment().asSlice(0, a.byteSize()).mismatch(b.segment().asSlice(0, b.byteSize())), name);
            }
            int[] bits = new int[w.length];
            for (int i = 0; i < w.length; i++) bits[i] = Float.floatToRawIntBits(loaded.get("z.weight").getFloat(i));
            assertEquals(0x7fc01234, bits[3]);
        }
    }

    @Test
    void loadIntoExistingTensorsCopiesExactly() throws Exception {
        try (TensorScope scope = new TensorScope()) {
            Path file = dir.resolve("w.safetensors");
            SafetensorsWriter.write(file, Map.of("w", Tensor.of(scope, new float[]{1, 2, 3, 4}, 2, 2)), null);
            Tensor target = Tensor.host(scope, DType.F32, 2, 2);
            SafetensorsReader.open(file).loadInto(Map.of("w", target));
            assertArrayEquals(new float[]{1, 2, 3, 4}, target.toFloatArray());
        }
    }

    // ---- corruption: every case refused with its reason, naming the file ----

    private CheckpointFormatException refused(byte[] content) throws Exception {
        Path file = dir.resolve("bad.safetensors");
        Files.write(file, content);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafetensorsReader.open(file));
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    private static final String ONE = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    @Test
    void refusesFileShorterThanTheLengthField() throws Exception {
        assertTrue(refused(new byte[5]).reason().contains("too short"));
        assertTrue(refused(new byte[0]).reason().contains("0 bytes"));
    }

    @Test
    void refusesHeaderLengthLargerThanTheFile() throws Exception {
        byte[] good = handBuilt(ONE, floatsLE(1, 2));
        byte[] truncated = Arrays.copyOf(good, 20);
        assertTrue(refused(truncated).reason().contains("exceeds"), "truncated in the header");
    }

    @Test
    void refusesAbsurdHeaderLength() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-5L).putLong(0);
        assertTrue(refused(b.array()).reason().contains("absurd"));
        ByteBuffer c = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).putLong(0);
        assertTrue(refused(c.array()).reason().contains("absurd"));
    }

    @Test
    void refusesInvalidJsonDuplicateKeysAndNonObjects() throws Exception {
        assertTrue(refused(handBuilt("{\"w\":{\"dtype\":", new byte[0])).reason().contains("not valid JSON"));
        assertTrue(refused(handBuilt("[1,2]", new byte[0])).reason().contains("not a JSON object"));
        String dup = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        assertTrue(refused(handBuilt(dup, floatsLE(1, 2))).reason().contains("not valid JSON"));
        assertTrue(refused(handBuilt(ONE + "x", floatsLE(1, 2))).reason().contains("not valid JSON"), "garbage after the header object");
    }

    @Test
    void refusesUnknownDtype() throws Exception {
        String json = "{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}";
        CheckpointFormatException e = refused(handBuilt(json, new byte[8]));
        assertTrue(e.reason().contains("tensor 'w'") && e.reason().contains("F64"), e.reason());
    }

    @Test
    void refusesOffsetsThatDoNotMatchDtypeTimesShape() throws Exception {
        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
        CheckpointFormatException e = refused(handBuilt(json, new byte[8]));
        assertTrue(e.reason().contains("needs 12"), e.reason());
    }

    @Test
    void refusesOffsetsPastTheEndOfTheData() throws Exception {
        byte[] good = handBuilt(ONE, floatsLE(1, 2));
        CheckpointFormatException e = refused(Arrays.copyOf(good, good.length - 3));
        assertTrue(e.reason().contains("run past"), e.reason());
    }

    @Test
    void refusesOverlappingTensors() throws Exception {
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertTrue(refused(handBuilt(json, new byte[12])).reason().contains("overlaps"));
    }

    @Test
    void refusesGapsAndTrailingGarbage() throws Exception {
        String gap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        assertTrue(refused(handBuilt(gap, new byte[8])).reason().contains("gap"));
        byte[] trailing = concat(handBuilt(ONE, floatsLE(1, 2)), new byte[]{1, 2, 3});
        assertTrue(refused(trailing).reason().contains("3 bytes of trailing data"));
    }

    @Test
    void refusesMalformedEntries() throws Exception {
        assertTrue(refused(handBuilt("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}", new byte[0])).reason().contains("shape"));
        assertTrue(refused(handBuilt("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", new byte[4])).reason().contains("needs dtype"));
        assertTrue(refused(handBuilt("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", new byte[4])).reason().contains("unexpected field"));
        assertTrue(refused(handBuilt("{\"__metadata__\":{\"k\":1}}", new byte[0])).reason().contains("not a string"));
    }

    @Test
    void loadIntoRefusesNameShapeAndDtypeMismatchesWithoutTouchingAnyTarget() throws Exception {
        try (TensorScope scope = new TensorScope()) {
            Path file = dir.resolve("m.safetensors");
            Map<String, Tensor> saved = new LinkedHashMap<>();
            saved.put("a", Tensor.of(scope, new float[]{1, 2}, 2));
            saved.put("b", Tensor.of(scope, new float[]{3, 4, 5, 6}, 2, 2));
            SafetensorsWriter.write(file, saved, null);
            SafetensorsReader reader = SafetensorsReader.open(file);

            Tensor a = Tensor.of(scope, new float[]{9, 9}, 2);
            Map<String, Tensor> wrongShape = new LinkedHashMap<>();
            wrongShape.put("a", a);
            wrongShape.put("b", Tensor.host(scope, DType.F32, 4));
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> reader.loadInto(wrongShape));
            assertTrue(e.reason().contains("'b' is F32[2, 2] in the file but the model expects F32[4]"), e.reason());
            assertArrayEquals(new float[]{9, 9}, a.toFloatArray(), "no tensor half-loaded");

            Map<String, Tensor> wrongType = Map.of("a", a, "b", Tensor.host(scope, DType.I32, 2, 2));
            assertTrue(assertThrows(CheckpointFormatException.class, () -> reader.loadInto(wrongType)).reason().contains("I32"));

            Map<String, Tensor> missing = Map.of("a", a);
            assertTrue(assertThrows(CheckpointFormatException.class, () -> reader.loadInto(missing)).reason().contains("does not have"));

            Map<String, Tensor> extra = Map.of("a", a, "b", Tensor.host(scope, DType.F32, 2, 2), "c", Tensor.host(scope, DType.F32, 1));
            assertTrue(assertThrows(CheckpointFormatException.class, () -> reader.loadInto(extra)).reason().contains("lacks"));
            assertArrayEquals(new float[]{9, 9}, a.toFloatArray());
        }
    }

    @Test
    void fileTruncatedAfterOpenIsRefusedBeforeAnyCopy() throws Exception {
        try (TensorScope scope = new TensorScope()) {
            Path file = dir.resolve("m.safetensors");
            SafetensorsWriter.write(file, Map.of("a", Tensor.of(scope, new float[]{1, 2}, 2)), null);
            SafetensorsReader reader = SafetensorsReader.open(file);
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, Arrays.copyOf(bytes, bytes.length - 4));
            Tensor a = Tensor.of(scope, new float[]{9, 9}, 2);
            assertThrows(CheckpointFormatException.class, () -> reader.loadInto(Map.of("a", a)));
            assertArrayEquals(new float[]{9, 9}, a.toFloatArray());
        }
    }
}
