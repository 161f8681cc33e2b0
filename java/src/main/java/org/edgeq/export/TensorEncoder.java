package org.edgeq.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Chooses the smallest exact encoding of one tensor: raw FP32, a codebook of its distinct values (per tensor or per
 * row, codes at the smallest width that indexes it), or affine codes when given and exact, each dense or as a bitmap
 * of non-zeros plus only the non-zero values. Exact means every element decodes to the same float bits; positive
 * zero (bits 0) is what a bitmap leaves out.
 */
public final class TensorEncoder {
    /** Codebooks with more entries than 16-bit codes can index are not considered. */
    static final int MAX_CODEBOOK = 1 << BitPacker.MAX_WIDTH;

    private TensorEncoder() {
    }

    public static EncodedTensor encode(String name, int[] shape, float[] values) {
        return encode(name, shape, values, null);
    }

    public static EncodedTensor encode(String name, int[] shape, float[] values, AffineCodes affine) {
        long numel = 1;
        for (int d : shape) numel *= d;
        if (numel != values.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " holds " + numel + " values, got " + values.length);
        }
        int n = values.length;
        int nonzeros = 0;
        for (float v : values) if (Float.floatToRawIntBits(v) != 0) nonzeros++;

        Candidate best = new Candidate(TensorEncoding.F32, TensorLayout.DENSE, 0, 1, 0, 4L * n);
        best = smaller(best, new Candidate(TensorEncoding.F32, TensorLayout.BITMAP, 0, 1, 0,
                EncodedTensor.expectedBytes(n, TensorEncoding.F32, TensorLayout.BITMAP, 0, 1, 0, nonzeros)));
        int rows = shape.length >= 2 ? shape[0] : 1;
        for (int groups : rows > 1 ? new int[]{1, rows} : new int[]{1}) {
            for (TensorLayout layout : TensorLayout.values()) {
                int k = maxDistinct(values, groups, layout == TensorLayout.BITMAP);
                if (k > MAX_CODEBOOK) continue;
                int bits = BitPacker.widthFor(k);
                long stored = layout == TensorLayout.BITMAP ? nonzeros : n;
                best = smaller(best, new Candidate(TensorEncoding.CODEBOOK, layout, bits, groups, k,
                        EncodedTensor.expectedBytes(n, TensorEncoding.CODEBOOK, layout, bits, groups, k, stored)));
            }
        }
        int fit = affine != null && affine.codes().length == n && n % affine.groups() == 0 ? reproduces(affine, values) : NONE;
        if (fit != NONE) {
            for (TensorLayout layout : TensorLayout.values()) {
                if (layout == TensorLayout.DENSE && fit != EVERYWHERE) continue;
                long stored = layout == TensorLayout.BITMAP ? nonzeros : n;
                best = smaller(best, new Candidate(TensorEncoding.AFFINE, layout, affine.bits(), affine.groups(), 0,
                        EncodedTensor.expectedBytes(n, TensorEncoding.AFFINE, layout, affine.bits(), affine.groups(), 0, stored)));
            }
        }
        byte[] data = build(best, values, nonzeros, affine);
        if (data.length != best.bytes) throw new IllegalStateException(name + ": built " + data.length + " bytes, expected " + best.bytes);
        long stored = best.layout == TensorLayout.BITMAP ? nonzeros : n;
        return new EncodedTensor(name, shape.clone(), best.encoding, best.layout, best.bits, best.groups, best.codebookSize, stored, data);
    }

    private record Candidate(TensorEncoding encoding, TensorLayout layout, int bits, int groups, int codebookSize, long bytes) {
    }

    private static Candidate smaller(Candidate a, Candidate b) {
        return b.bytes < a.bytes ? b : a;
    }

    private static final int NONE = 0;
    private static final int AT_NON_ZEROS = 1;
    private static final int EVERYWHERE = 2;

    /**
     * Where the codes reproduce the tensor: everywhere, only at its non-zero elements (a pruned tensor whose
     * removed weights were zeroed after quantizing: the bitmap layout stores exactly those), or not at all.
     */
    private static int reproduces(AffineCodes a, float[] values) {
        int per = values.length / a.groups();
        int limit = 1 << a.bits();
        int fit = EVERYWHERE;
        for (int i = 0; i < values.length; i++) {
            int g = i / per;
            int c = a.codes()[i];
            int bits = Float.floatToRawIntBits(values[i]);
            boolean ok = c >= 0 && c < limit && Float.floatToRawIntBits(AffineCodes.value(a.scales()[g], a.zeros()[g], c)) == bits;
            if (ok) continue;
            if (bits != 0) return NONE;
            fit = AT_NON_ZEROS;
        }
        return fit;
    }

    /** The largest number of distinct stored values in any group, or MAX_CODEBOOK + 1 once it is clearly too many. */
    private static int maxDistinct(float[] values, int groups, boolean skipZeros) {
        int per = values.length / groups;
        int max = 0;
        Map<Integer, Boolean> seen = new HashMap<>();
        for (int g = 0; g < groups; g++) {
            seen.clear();
            for (int i = g * per, end = i + per; i < end; i++) {
                int bits = Float.floatToRawIntBits(values[i]);
                if (skipZeros && bits == 0) continue;
                seen.put(bits, Boolean.TRUE);
                if (seen.size() > MAX_CODEBOOK) return MAX_CODEBOOK + 1;
            }
            max = Math.max(max, seen.size());
        }
        return max;
    }

    private static byte[] build(Candidate c, float[] values, int nonzeros, AffineCodes affine) {
        int n = values.length;
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(c.bytes)).order(ByteOrder.LITTLE_ENDIAN);
        boolean sparse = c.layout == TensorLayout.BITMAP;
        int[] codes = new int[sparse ? nonzeros : n];
        int per = n / c.groups;
        switch (c.encoding) {
            case F32 -> {
            }
            case CODEBOOK -> {
                for (int g = 0; g < c.groups; g++) {
                    float[] book = codebook(values, g * per, per, sparse, c.codebookSize);
                    for (float v : book) out.putFloat(v);
                }
            }
            case AFFINE -> {
                for (float s : affine.scales()) out.putFloat(s);
                for (int z : affine.zeros()) out.putInt(z);
            }
        }
        if (sparse) {
            byte[] bitmap = new byte[Math.toIntExact(Math.ceilDiv(n, 8))];
            for (int i = 0; i < n; i++) if (Float.floatToRawIntBits(values[i]) != 0) bitmap[i >>> 3] |= (byte) (1 << (i & 7));
            out.put(bitmap);
        }
        if (c.encoding == TensorEncoding.F32) {
            for (float v : values) if (!sparse || Float.floatToRawIntBits(v) != 0) out.putFloat(v);
            return out.array();
        }
        int k = 0;
        Map<Integer, Integer> index = new HashMap<>();
        for (int g = 0; g < c.groups; g++) {
            if (c.encoding == TensorEncoding.CODEBOOK) {
                index.clear();
                float[] book = codebook(values, g * per, per, sparse, c.codebookSize);
                for (int j = 0; j < book.length; j++) index.putIfAbsent(Float.floatToRawIntBits(book[j]), j);
            }
            for (int i = g * per, end = i + per; i < end; i++) {
                if (sparse && Float.floatToRawIntBits(values[i]) == 0) continue;
                codes[k++] = c.encoding == TensorEncoding.CODEBOOK ? index.get(Float.floatToRawIntBits(values[i])) : affine.codes()[i];
            }
        }
        out.put(BitPacker.pack(codes, c.bits));
        return out.array();
    }

    /** A group's distinct values in ascending order, padded with its last value to {@code size} entries. */
    private static float[] codebook(float[] values, int from, int count, boolean skipZeros, int size) {
        Map<Integer, Float> distinct = new HashMap<>();
        for (int i = from; i < from + count; i++) {
            int bits = Float.floatToRawIntBits(values[i]);
            if (skipZeros && bits == 0) continue;
            distinct.putIfAbsent(bits, values[i]);
        }
        float[] book = new float[distinct.size()];
        int j = 0;
        for (float v : distinct.values()) book[j++] = v;
        Arrays.sort(book);
        float[] padded = Arrays.copyOf(book, size);
        for (int i = book.length; i < size; i++) padded[i] = book.length == 0 ? 0f : book[book.length - 1];
        return padded;
    }
}
