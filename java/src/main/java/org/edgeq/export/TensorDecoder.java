package org.edgeq.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes one {@link EncodedTensor} back to its FP32 values, refusing data that cannot have come from the encoder:
 * a bitmap whose count disagrees with the header, set padding bits, codes beyond the codebook.
 */
public final class TensorDecoder {
    private TensorDecoder() {
    }

    /** The tensor's values; throws IllegalArgumentException naming the tensor and the problem. */
    public static float[] decode(EncodedTensor t) {
        String where = "tensor '" + t.name() + "': ";
        long numelLong = t.numel();
        if (numelLong > Integer.MAX_VALUE) throw new IllegalArgumentException(where + "too many elements (" + numelLong + ")");
        int n = (int) numelLong;
        if (t.data().length != t.expectedBytes()) {
            throw new IllegalArgumentException(where + "holds " + t.data().length + " bytes but its header implies " + t.expectedBytes());
        }
        ByteBuffer in = ByteBuffer.wrap(t.data()).order(ByteOrder.LITTLE_ENDIAN);
        int groups = t.groups();
        int per = n / groups;
        float[] book = null;
        float[] scales = null;
        int[] zeros = null;
        switch (t.encoding()) {
            case F32 -> {
            }
            case CODEBOOK -> {
                book = new float[groups * t.codebookSize()];
                for (int i = 0; i < book.length; i++) {
                    book[i] = in.getFloat();
                    if (!Float.isFinite(book[i])) throw new IllegalArgumentException(where + "codebook entry " + i + " is " + book[i] + " (must be finite)");
                }
            }
            case AFFINE -> {
                scales = new float[groups];
                zeros = new int[groups];
                for (int g = 0; g < groups; g++) {
                    scales[g] = in.getFloat();
                    if (!Float.isFinite(scales[g])) throw new IllegalArgumentException(where + "scale of group " + g + " is " + scales[g] + " (must be finite)");
                }
                for (int g = 0; g < groups; g++) zeros[g] = in.getInt();
            }
        }
        boolean[] present = null;
        if (t.layout() == TensorLayout.BITMAP) {
            present = new boolean[n];
            int bytes = Math.ceilDiv(n, 8);
            long count = 0;
            for (int b = 0; b < bytes; b++) {
                int v = in.get() & 0xFF;
                for (int bit = 0; bit < 8; bit++) {
                    if ((v >>> bit & 1) == 0) continue;
                    int i = b * 8 + bit;
                    if (i >= n) throw new IllegalArgumentException(where + "bitmap padding bit " + i + " is set (corrupt)");
                    present[i] = true;
                    count++;
                }
            }
            if (count != t.nonzeros()) {
                throw new IllegalArgumentException(where + "bitmap marks " + count + " non-zeros but the header says " + t.nonzeros());
            }
        }
        float[] out = new float[n];
        int stored = (int) t.nonzeros();
        if (t.encoding() == TensorEncoding.F32) {
            for (int i = 0; i < n; i++) {
                if (present != null && !present[i]) continue;
                out[i] = in.getFloat();
                if (!Float.isFinite(out[i])) throw new IllegalArgumentException(where + "element " + i + " is " + out[i] + " (weights must be finite)");
            }
            return out;
        }
        int[] codes = BitPacker.unpack(t.data(), in.position(), stored, t.bits());
        checkPadding(where, t.data(), stored, t.bits());
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (present != null && !present[i]) continue;
            int g = i / per;
            int c = codes[k++];
            if (book != null) {
                if (c >= t.codebookSize()) {
                    throw new IllegalArgumentException(where + "code " + c + " at element " + i + " is beyond its " + t.codebookSize() + "-entry codebook");
                }
                out[i] = book[g * t.codebookSize() + c];
            } else {
                out[i] = AffineCodes.value(scales[g], zeros[g], c);
            }
        }
        return out;
    }

    private static void checkPadding(String where, byte[] data, long codes, int bits) {
        int used = (int) (codes * bits % 8);
        if (used == 0 || data.length == 0) return;
        int last = data[data.length - 1] & 0xFF;
        if (last >>> used != 0) throw new IllegalArgumentException(where + "padding bits after the last code are set (corrupt)");
    }
}
