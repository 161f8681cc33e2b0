package org.edgeq.export;

import org.edgeq.backend.Backend;
import org.edgeq.checkpoint.CheckpointFormatException;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.ModelPresets;
import org.edgeq.nn.TestBackends;
import org.edgeq.quant.AffineQuantizer;
import org.edgeq.quant.core.Granularity;
import org.edgeq.quant.LandmarkSetKind;
import org.edgeq.quant.ModelQuantizer;
import org.edgeq.quant.QuantizedTensor;
import org.edgeq.quant.RoundingQuantizer;
import org.edgeq.quant.observe.ObserverKind;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Export then import gives the same bits and the same outputs; the file is the model's size; bad files are refused. */
class CompressedModelFileTest {
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

    private static ModelConfig denseWithBatchNorm() {
        return new ModelConfig("dense", new int[]{12}, 3, List.of(64, 32), 0f, true);
    }

    private static float[] outputs(Model m, float[] input, int rows) {
        try (TensorScope scope = new TensorScope()) {
            Tensor x = Tensor.of(scope, input, rows, 12);
            return m.forward(x, false).toFloatArray();
        }
    }

    private static float[] input(int rows) {
        Random r = new Random(11);
        float[] x = new float[rows * 12];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    private static void assertSameBits(Model expected, Model actual) {
        for (var e : expected.stateDict().entrySet()) {
            float[] a = e.getValue().toFloatArray();
            float[] b = actual.stateDict().get(e.getKey()).toFloatArray();
            assertEquals(a.length, b.length, e.getKey());
            for (int i = 0; i < a.length; i++) {
                assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), e.getKey() + "[" + i + "]");
            }
        }
    }

    private void assertRoundTrip(Model m, Map<String, QuantizedTensor> q) throws Exception {
        Path file = dir.resolve("model.eqz");
        long size = ModelExporter.write(file, m, q, Map.of("quant_method", "test"));
        assertEquals(Files.size(file), size, "the reported size is the size on disk");
        try (Model back = ModelExporter.load(file, backend, 99)) {
            assertSameBits(m, back);
            float[] x = input(20);
            float[] a = outputs(m, x, 20);
            float[] b = outputs(back, x, 20);
            for (int i = 0; i < a.length; i++) assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), "output " + i);
        }
        assertEquals("test", CompressedModelFile.read(file).metadata().get("quant_method"));
    }

    @Test
    void fullPrecisionModelWithBatchNormRoundTripsExactly() throws Exception {
        try (Model m = ModelFactory.create(denseWithBatchNorm(), backend, 1)) {
            m.stateDict().get("net.1.running_mean").copyFrom(new float[]{0.5f, -1f, 2f, 3f, 0f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f,
                    1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f,
                    1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f});
            assertRoundTrip(m, Map.of());
        }
    }

    @Test
    void fourBitRoundingModelRoundTripsExactlyAndShrinks() throws Exception {
        try (Model m = ModelFactory.create(new ModelConfig("dense", new int[]{12}, 3, List.of(256, 128), 0f, false), backend, 2)) {
            long fp32 = 4 * m.parameterCount();
            Map<String, QuantizedTensor> q = ModelQuantizer.apply(m, new RoundingQuantizer(LandmarkSetKind.UNIFORM), 4);
            assertRoundTrip(m, q);
            long size = Files.size(dir.resolve("model.eqz"));
            assertTrue(size < 0.15 * fp32, size + " bytes vs " + fp32 + " bytes of FP32 weights");
            CompressedModelFile.Contents c = CompressedModelFile.read(dir.resolve("model.eqz"));
            EncodedTensor w = c.tensors().stream().filter(t -> t.name().equals("net.2.weight")).findFirst().orElseThrow();
            assertEquals(TensorEncoding.CODEBOOK, w.encoding());
            assertEquals(4, w.bits());
        }
    }

    @Test
    void perChannelAffineModelIsStoredAsScalesZeroPointsAndCodes() throws Exception {
        try (Model m = ModelFactory.create(new ModelConfig("dense", new int[]{12}, 3, List.of(256, 128), 0f, false), backend, 3)) {
            Map<String, QuantizedTensor> q = ModelQuantizer.apply(m,
                    new AffineQuantizer(false, Granularity.PER_CHANNEL, ObserverKind.MIN_MAX), 8);
            assertRoundTrip(m, q);
            EncodedTensor w = CompressedModelFile.read(dir.resolve("model.eqz")).tensors().stream()
                    .filter(t -> t.name().equals("net.2.weight")).findFirst().orElseThrow();
            assertEquals(TensorEncoding.AFFINE, w.encoding());
            assertEquals(128, w.groups());
            assertEquals(128 * 8 + 128 * 256, w.data().length);
        }
    }

    @Test
    void prunedQuantizedLayerIsStoredSparse() throws Exception {
        try (Model m = ModelFactory.create(new ModelConfig("dense", new int[]{12}, 3, List.of(256, 128), 0f, false), backend, 4)) {
            // Prune-then-quantize keeps the mask: zeros are re-applied after rounding to the landmark set.
            Map<String, QuantizedTensor> q = ModelQuantizer.apply(m, new RoundingQuantizer(LandmarkSetKind.UNIFORM), 4);
            Tensor w = m.stateDict().get("net.2.weight");
            float[] v = w.toFloatArray();
            for (int i = 0; i < v.length; i++) if (i % 10 != 3) v[i] = 0f;
            w.copyFrom(v);
            assertRoundTrip(m, q);
            EncodedTensor e = CompressedModelFile.read(dir.resolve("model.eqz")).tensors().stream()
                    .filter(t -> t.name().equals("net.2.weight")).findFirst().orElseThrow();
            assertEquals(TensorLayout.BITMAP, e.layout(), e.toString());
            long dense = EncodedTensor.expectedBytes(v.length, TensorEncoding.CODEBOOK, TensorLayout.DENSE, 4, 1, 16, v.length);
            assertTrue(e.data().length < dense * 0.6, e + " vs dense " + dense);
        }
    }

    private Path exported() throws Exception {
        Path file = dir.resolve("model.eqz");
        try (Model m = ModelFactory.create(ModelPresets.denseSimple(10, 2), backend, 5)) {
            Map<String, QuantizedTensor> q = ModelQuantizer.apply(m, new RoundingQuantizer(LandmarkSetKind.UNIFORM), 3);
            ModelExporter.write(file, m, q, Map.of());
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
    void truncatedFileIsRefused() throws Exception {
        Path file = exported();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 3));
        assertTrue(refusal(file).contains("checksum"));
        Files.write(file, Arrays.copyOf(bytes, 40));
        assertTrue(refusal(file).contains("truncated"));
        Files.write(file, Arrays.copyOf(bytes, 5));
        assertTrue(refusal(file).contains("too short"));
    }

    @Test
    void flippedDataByteIsRefusedByTheChecksum() throws Exception {
        Path file = exported();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 2] ^= 0x10;
        Files.write(file, bytes);
        assertTrue(refusal(file).contains("checksum"));
    }

    /** The bytes with the trailing CRC-32 recomputed, as a deliberate forger would: what the structural checks meet. */
    static byte[] withChecksum(byte[] bytes) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        java.nio.ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
        return bytes;
    }

    static String header(byte[] bytes) {
        return new String(bytes, 16, (int) java.nio.ByteBuffer.wrap(bytes, 8, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The file with its header replaced (same or other length), the trailing checksum left as it was unless asked. */
    static byte[] withHeader(byte[] bytes, String header, boolean fixChecksum) {
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int oldLength = header(bytes).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        byte[] out = new byte[bytes.length - oldLength + h.length];
        System.arraycopy(bytes, 0, out, 0, 8);
        java.nio.ByteBuffer.wrap(out, 8, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(h.length);
        System.arraycopy(h, 0, out, 16, h.length);
        System.arraycopy(bytes, 16 + oldLength, out, 16 + h.length, bytes.length - 16 - oldLength);
        return fixChecksum ? withChecksum(out) : out;
    }

    @Test
    void foreignOrGarbledHeaderIsRefused() throws Exception {
        Path file = exported();
        byte[] bytes = Files.readAllBytes(file);
        byte[] magic = bytes.clone();
        magic[0] = 'X';
        Files.write(file, magic);
        assertTrue(refusal(file).contains("EDGEQZ02"));
        byte[] garbled = bytes.clone();
        garbled[17] = '#';
        Files.write(file, garbled);
        assertTrue(refusal(file).contains("checksum"), "an edited header no longer matches the checksum");
        Files.write(file, withChecksum(garbled));
        assertTrue(refusal(file).contains("not valid JSON"));
        String header = header(bytes);
        String lied = header.replaceFirst("\"bits\":3", "\"bits\":4");
        assertTrue(!lied.equals(header));
        Files.write(file, withHeader(bytes, lied, false));
        assertTrue(refusal(file).contains("checksum"));
        Files.write(file, withHeader(bytes, lied, true));
        assertTrue(refusal(file).contains("needs"), "the byte range no longer fits the header's encoding");
    }

    @Test
    void fileForAnotherArchitectureIsRefusedBeforeLoading() throws Exception {
        Path file = exported();
        try (Model other = ModelFactory.create(ModelPresets.denseSimple(11, 2), backend, 1)) {
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                    () -> CompressedModelFile.read(file).loadInto(other.stateDict()));
            assertTrue(e.getMessage().contains("net.0.weight"), e.getMessage());
        }
    }
}
