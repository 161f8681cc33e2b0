package org.edgeq.export;

/**
 * Packs unsigned integer codes of one width (1..16 bits) into bytes with no padding between codes, and back. Code i
 * occupies stream bits [i*width, (i+1)*width), least significant bit first; stream bit k is bit (k mod 8) of byte
 * k/8. The last byte's unused high bits are zero.
 */
public final class BitPacker {
    public static final int MIN_WIDTH = 1;
    public static final int MAX_WIDTH = 16;

    private BitPacker() {
    }

    /** Bytes needed for {@code count} codes of {@code width} bits. */
    public static long packedBytes(long count, int width) {
        checkWidth(width);
        if (count < 0) throw new IllegalArgumentException("code count must be >= 0, got " + count);
        return Math.ceilDiv(Math.multiplyExact(count, (long) width), 8L);
    }

    /** The smallest width that can hold the codes 0..(distinct - 1); at least 1. */
    public static int widthFor(long distinct) {
        if (distinct <= 2) return 1;
        return 64 - Long.numberOfLeadingZeros(distinct - 1);
    }

    /** Packs {@code codes[from .. from+count)}; every code must be in [0, 2^width). */
    public static byte[] pack(int[] codes, int from, int count, int width) {
        byte[] out = new byte[Math.toIntExact(packedBytes(count, width))];
        pack(codes, from, count, width, out, 0);
        return out;
    }

    public static byte[] pack(int[] codes, int width) {
        return pack(codes, 0, codes.length, width);
    }

    /** Packs into {@code out} starting at byte {@code outOffset}; returns the byte offset after the last code. */
    public static int pack(int[] codes, int from, int count, int width, byte[] out, int outOffset) {
        checkWidth(width);
        int limit = 1 << width;
        long acc = 0;
        int held = 0;
        int pos = outOffset;
        for (int i = from, end = from + count; i < end; i++) {
            int c = codes[i];
            if (c < 0 || c >= limit) {
                throw new IllegalArgumentException("code " + c + " at index " + i + " does not fit in " + width + " bits (0.." + (limit - 1) + ")");
            }
            acc |= (long) c << held;
            held += width;
            while (held >= 8) {
                out[pos++] = (byte) acc;
                acc >>>= 8;
                held -= 8;
            }
        }
        if (held > 0) out[pos++] = (byte) acc;
        return pos;
    }

    /** Unpacks {@code count} codes of {@code width} bits from {@code in} starting at byte {@code inOffset}. */
    public static int[] unpack(byte[] in, int inOffset, int count, int width) {
        int[] out = new int[count];
        unpack(in, inOffset, count, width, out, 0);
        return out;
    }

    public static void unpack(byte[] in, int inOffset, int count, int width, int[] out, int outOffset) {
        checkWidth(width);
        long need = packedBytes(count, width);
        if (inOffset < 0 || inOffset + need > in.length) {
            throw new IllegalArgumentException(count + " codes of " + width + " bits need " + need + " bytes at offset "
                    + inOffset + ", only " + (in.length - inOffset) + " there");
        }
        int mask = (1 << width) - 1;
        long acc = 0;
        int held = 0;
        int pos = inOffset;
        for (int i = 0; i < count; i++) {
            while (held < width) {
                acc |= (long) (in[pos++] & 0xFF) << held;
                held += 8;
            }
            out[outOffset + i] = (int) (acc & mask);
            acc >>>= width;
            held -= width;
        }
    }

    private static void checkWidth(int width) {
        if (width < MIN_WIDTH || width > MAX_WIDTH) {
            throw new IllegalArgumentException("bit width must be " + MIN_WIDTH + ".." + MAX_WIDTH + ", got " + width);
        }
    }
}
