package org.edgeq.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.edgeq.export.BitPacker;
import org.edgeq.export.EncodedTensor;
import org.edgeq.export.TensorDecoder;
import org.edgeq.export.TensorEncoding;
import org.edgeq.export.TensorLayout;

/**
 * The integer codes of one quantized tensor of a compressed export (model.eqz), unpacked to one code per element
 * with their groups' parameters: what the QDQ weights of an ONNX export and the packed safetensors export store.
 *
 * @param encoding affine ({@code value = scales[g] * (code - zeros[g])}) or codebook ({@code value = codebook[g][code]})
 * @param bits     code width
 * @param groups   1 (per tensor) or the tensor's first dimension (per output channel, axis 0)
 * @param scales   affine: one scale per group; codebook: groups x codebookSize entries, group by group
 * @param zeros    affine: one zero point per group (in code units); codebook: empty
 * @param codes    one unsigned code per element, in [0, 2^bits); an element the file left out of its bitmap (a zero)
 *                 holds its group's zero point (affine) or the code of 0 (codebook; where a codebook has no 0, one
 *                 is appended to every group's and {@code bits} widened if need be), so decoding gives exactly the
 *                 tensor's values
 */
public record StoredCodes(String name, int[] shape, TensorEncoding encoding, int bits, int groups, float[] scales,
                          int[] zeros, int[] codes) {

    /** The codes of {@code t}; null for an FP32 tensor. The tensor is validated by decoding it first. */
    public static StoredCodes of(EncodedTensor t) {
        if (t.encoding() == TensorEncoding.F32) return null;
        float[] values = TensorDecoder.decode(t); // refuses a corrupt tensor before its bytes are read here
        int n = values.length;
        ByteBuffer in = ByteBuffer.wrap(t.data()).order(ByteOrder.LITTLE_ENDIAN);
        int groups = t.groups();
        boolean affine = t.encoding() == TensorEncoding.AFFINE;
        float[] params = new float[affine ? groups : groups * t.codebookSize()];
        for (int i = 0; i < params.length; i++) params[i] = in.getFloat();
        int[] zeros = new int[affine ? groups : 0];
        for (int g = 0; g < zeros.length; g++) zeros[g] = in.getInt();
        boolean[] present = null;
        if (t.layout() == TensorLayout.BITMAP) {
            present = new boolean[n];
            byte[] bitmap = new byte[Math.ceilDiv(n, 8)];
            in.get(bitmap);
            for (int i = 0; i < n; i++) present[i] = (bitmap[i >>> 3] >>> (i & 7) & 1) != 0;
        }
        int[] stored = BitPacker.unpack(t.data(), in.position(), (int) t.nonzeros(), t.bits());
        int per = n / groups;
        int size = t.codebookSize();
        int bits = t.bits();
        if (!affine && present != null && !everyGroupHasZero(params, groups, size)) {
            // Elements left out of the bitmap decode to 0, which this codebook does not hold: a dense code needs an
            // entry for it, so every group's codebook gets 0 appended (code = the old size).
            float[] wider = new float[groups * (size + 1)];
            for (int g = 0; g < groups; g++) System.arraycopy(params, g * size, wider, g * (size + 1), size);
            params = wider;
            size++;
            bits = Math.max(bits, BitPacker.widthFor(size));
        }
        int[] codes = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (present == null || present[i]) {
                codes[i] = stored[k++];
            } else {
                codes[i] = affine ? zeros[i / per] : codeOfZero(params, i / per, size);
            }
        }
        return new StoredCodes(t.name(), t.shape().clone(), t.encoding(), bits, groups, params, zeros, codes);
    }

    private static boolean everyGroupHasZero(float[] book, int groups, int size) {
        for (int g = 0; g < groups; g++) {
            if (codeOfZero(book, g, size) < 0) return false;
        }
        return true;
    }

    private static int codeOfZero(float[] book, int group, int size) {
        for (int c = 0; c < size; c++) if (book[group * size + c] == 0f) return c;
        return -1;
    }
}
