package org.edgeq.export;

/**
 * Integer codes with per-group scale and zero point, as an affine quantizer produced them, offered to the encoder so
 * that it can store 8 bytes per group instead of a codebook. Used only when it reproduces the tensor bit for bit.
 *
 * @param bits   code width, 1..16
 * @param groups 1 (per tensor) or the number of rows (per output channel)
 * @param codes  one unsigned code per element, in [0, 2^bits)
 */
public record AffineCodes(int bits, int groups, float[] scales, int[] zeros, int[] codes) {
    public AffineCodes {
        if (bits < BitPacker.MIN_WIDTH || bits > BitPacker.MAX_WIDTH) throw new IllegalArgumentException("bits must be 1..16, got " + bits);
        if (groups < 1 || scales.length != groups || zeros.length != groups) {
            throw new IllegalArgumentException(groups + " groups need as many scales and zeros, got " + scales.length + " and " + zeros.length);
        }
    }

    /** The value the file format defines for a code of group g. */
    public static float value(float scale, int zero, int code) {
        return scale * (float) (code - zero);
    }
}
