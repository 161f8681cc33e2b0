package org.edgeq.export;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorEncoderTest {

    private static void assertBitIdentical(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), "element " + i);
        }
    }

    private static float[] onGrid(int n, int levels, long seed) {
        Random r = new Random(seed);
        float[] grid = new float[levels];
        for (int i = 0; i < levels; i++) grid[i] = (float) r.nextGaussian();
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = grid[r.nextInt(levels)];
        return v;
    }

    @Test
    void fullPrecisionWeightsStayRawFloat32() {
        float[] v = new float[64];
        Random r = new Random(1);
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        EncodedTensor t = TensorEncoder.encode("w", new int[]{8, 8}, v);
        assertEquals(TensorEncoding.F32, t.encoding());
        assertEquals(TensorLayout.DENSE, t.layout());
        assertEquals(256, t.data().length);
        assertBitIdentical(v, TensorDecoder.decode(t));
    }

    @Test
    void sixteenLevelWeightsBecomeFourBitCodesIntoASixteenEntryCodebook() {
        float[] v = onGrid(4096, 16, 2);
        EncodedTensor t = TensorEncoder.encode("w", new int[]{64, 64}, v);
        assertEquals(TensorEncoding.CODEBOOK, t.encoding());
        assertEquals(4, t.bits());
        assertEquals(16 * 4 + 4096 / 2, t.data().length, "codebook plus half a byte per weight");
        assertBitIdentical(v, TensorDecoder.decode(t));
    }

    @Test
    void everyCodeWidthFromOneToSixteenRoundTripsExactly() {
        for (int bits = 1; bits <= 16; bits++) {
            int levels = 1 << bits;
            float[] v = new float[Math.max(levels * 2, 64)];
            for (int i = 0; i < v.length; i++) v[i] = (i % levels) * 0.37f - 3f;
            EncodedTensor t = TensorEncoder.encode("w", new int[]{v.length}, v);
            assertBitIdentical(v, TensorDecoder.decode(t));
            if (t.encoding() == TensorEncoding.CODEBOOK) assertEquals(bits, t.bits(), "levels " + levels);
        }
    }

    @Test
    void prunedTensorIsStoredAsBitmapPlusNonZeroCodesWhenThatIsSmaller() {
        float[] v = onGrid(1000, 16, 3);
        for (int i = 0; i < v.length; i++) if (i % 10 != 0) v[i] = 0f;
        EncodedTensor t = TensorEncoder.encode("w", new int[]{10, 100}, v);
        assertEquals(TensorLayout.BITMAP, t.layout());
        assertEquals(100, t.nonzeros());
        long dense = EncodedTensor.expectedBytes(1000, TensorEncoding.CODEBOOK, TensorLayout.DENSE, 4, 1, 16, 1000);
        assertTrue(t.data().length < dense, t + " vs dense " + dense);
        assertBitIdentical(v, TensorDecoder.decode(t));
    }

    @Test
    void prunedFullPrecisionTensorUsesTheBitmapToo() {
        Random r = new Random(4);
        float[] v = new float[800];
        for (int i = 0; i < v.length; i += 5) v[i] = (float) r.nextGaussian();
        EncodedTensor t = TensorEncoder.encode("w", new int[]{800}, v);
        assertEquals(TensorLayout.BITMAP, t.layout());
        assertEquals(100 + 160 * 4, t.data().length);
        assertBitIdentical(v, TensorDecoder.decode(t));
    }

    @Test
    void halfFilledTensorStaysDenseBecauseTheBitmapWouldCostMore() {
        // 15 levels plus zero: 4 bits dense (512 bytes) against a 128-byte bitmap plus 896 codes of 4 bits.
        float[] v = onGrid(1024, 15, 5);
        for (int i = 0; i < v.length; i += 8) v[i] = 0f;
        EncodedTensor t = TensorEncoder.encode("w", new int[]{1024}, v);
        assertEquals(TensorLayout.DENSE, t.layout());
        assertBitIdentical(v, TensorDecoder.decode(t));
    }

    @Test
    void negativeZeroIsKeptApartFromPositiveZero() {
        float[] v = {0f, -0f, 1f, 0f, -0f, 1f, 0f, 0f};
        EncodedTensor t = TensorEncoder.encode("w", new int[]{8}, v);
        assertBitIdentical(v, TensorDecoder.decode(t));
    }

    @Test
    void perChannelLevelsUsePerRowCodebooks() {
        // Each row has its own 4 levels; pooled they are 4 * 32 = 128 levels (7 bits), per row 2 bits.
        int rows = 32;
        int cols = 256;
        float[] v = new float[rows * cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) v[r * cols + c] = (r + 1) * 0.01f * (c % 4 - 1.5f);
        EncodedTensor t = TensorEncoder.encode("w", new int[]{rows, cols}, v);
        assertEquals(TensorEncoding.CODEBOOK, t.encoding());
        assertEquals(rows, t.groups());
        assertEquals(2, t.bits());
        assertBitIdentical(v, TensorDecoder.decode(t));
    }

    @Test
    void exactAffineCodesAreStoredAsScaleAndZeroPointPerRow() {
        int rows = 64;
        int cols = 64;
        float[] scales = new float[rows];
        int[] zeros = new int[rows];
        int[] codes = new int[rows * cols];
        float[] v = new float[rows * cols];
        Random r = new Random(6);
        for (int g = 0; g < rows; g++) {
            scales[g] = 0.001f * (g + 1) + 0.0003f;
            zeros[g] = 100 + g;
            for (int c = 0; c < cols; c++) {
                int i = g * cols + c;
                codes[i] = r.nextInt(256);
                v[i] = AffineCodes.value(scales[g], zeros[g], codes[i]);
            }
        }
        EncodedTensor t = TensorEncoder.encode("w", new int[]{rows, cols}, v, new AffineCodes(8, rows, scales, zeros, codes));
        assertEquals(TensorEncoding.AFFINE, t.encoding());
        assertEquals(8, t.bits());
        assertEquals(rows * 8 + rows * cols, t.data().length);
        assertBitIdentical(v, TensorDecoder.decode(t));
    }

    @Test
    void affineCodesThatDoNotReproduceTheTensorAreIgnored() {
        float[] v = onGrid(256, 16, 8);
        int[] codes = new int[256];
        EncodedTensor t = TensorEncoder.encode("w", new int[]{256}, v, new AffineCodes(4, 1, new float[]{1f}, new int[]{0}, codes));
        assertEquals(TensorEncoding.CODEBOOK, t.encoding());
        assertBitIdentical(v, TensorDecoder.decode(t));
    }

    @Test
    void affineCodesOfAPrunedTensorAreUsedWithTheBitmapWhenOnlyRemovedWeightsDisagree() {
        int n = 4096;
        float[] scales = {0.01f};
        int[] zeros = {8};
        int[] codes = new int[n];
        float[] v = new float[n];
        Random r = new Random(9);
        for (int i = 0; i < n; i++) {
            codes[i] = r.nextInt(16);
            v[i] = i % 10 == 0 ? AffineCodes.value(scales[0], zeros[0], codes[i]) : 0f; // pruned after quantizing
        }
        EncodedTensor t = TensorEncoder.encode("w", new int[]{n}, v, new AffineCodes(4, 1, scales, zeros, codes));
        assertEquals(TensorLayout.BITMAP, t.layout());
        assertBitIdentical(v, TensorDecoder.decode(t));
    }

    @Test
    void decoderRefusesCodesBeyondTheCodebook() {
        byte[] data = new byte[3 * 4 + 1];
        java.nio.ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(1f).putFloat(2f).putFloat(3f).put((byte) 0b1111_0000);
        EncodedTensor bad = new EncodedTensor("w", new int[]{4}, TensorEncoding.CODEBOOK, TensorLayout.DENSE, 2, 1, 3, 4, data);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TensorDecoder.decode(bad));
        assertTrue(e.getMessage().contains("beyond its 3-entry codebook"), e.getMessage());
    }
}
