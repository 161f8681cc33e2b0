package org.edgeq.export;

import java.util.Arrays;

/**
 * One tensor as a compressed model file stores it: its header fields and its data bytes. The data holds, in this
 * order: the parameters (codebook: groups x codebookSize FP32 values; affine: groups FP32 scales then groups int32
 * zero points; nothing for f32), the bitmap of non-zero elements (bitmap layout only, ceil(numel/8) bytes), then
 * the stored values (f32: 4 bytes each; otherwise codes packed at {@code bits} by {@link BitPacker}). All numbers
 * are little-endian. Element i belongs to group i / (numel / groups), so per-channel groups are the weight's rows.
 *
 * @param bits         code width (0 for f32)
 * @param codebookSize entries per group's codebook (codebook only, else 0)
 * @param nonzeros     how many values are stored (numel for dense)
 */
public record EncodedTensor(String name, int[] shape, TensorEncoding encoding, TensorLayout layout, int bits, int groups,
                            int codebookSize, long nonzeros, byte[] data) {

    public long numel() {
        long n = 1;
        for (int d : shape) n = Math.multiplyExact(n, (long) d);
        return n;
    }

    /** The data size these header fields imply; a file whose byte range differs is corrupt. */
    public static long expectedBytes(long numel, TensorEncoding encoding, TensorLayout layout, int bits, int groups,
                                     int codebookSize, long nonzeros) {
        long params = switch (encoding) {
            case F32 -> 0;
            case CODEBOOK -> 4L * groups * codebookSize;
            case AFFINE -> 8L * groups;
        };
        long positions = layout == TensorLayout.BITMAP ? Math.ceilDiv(numel, 8L) : 0;
        long values = encoding == TensorEncoding.F32 ? 4L * nonzeros : BitPacker.packedBytes(nonzeros, bits);
        return params + positions + values;
    }

    public long expectedBytes() {
        return expectedBytes(numel(), encoding, layout, bits, groups, codebookSize, nonzeros);
    }

    /** "codebook/bitmap 4-bit x1", the short form used in reports. */
    public String describe() {
        String s = encoding.wireName() + "/" + layout.wireName();
        if (encoding != TensorEncoding.F32) s += " " + bits + "-bit";
        if (groups > 1) s += " x" + groups + " groups";
        return s;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + " " + describe() + " " + data.length + " bytes";
    }
}
