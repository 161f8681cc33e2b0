package org.edgeq.backend;

/**
 * The Philox4x32-10 counter-based random generator (Salmon, Moraes, Dror and Shaw, SC 2011; the generator behind
 * cuRAND's and PyTorch's dropout), so that every backend draws identical random numbers from (seed, index) alone.
 *
 * <p>Element {@code index} of a stream with key {@code seed} uses Philox block {@code index / 4} (as a 64-bit
 * counter in words 0 and 1, words 2 and 3 zero) and takes output word {@code index % 4}; the uniform float is the
 * top 24 bits of that word times 2^-24, in [0, 1). The CUDA kernels must implement exactly this mapping.
 */
public final class Philox {
    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final float TWO_POW_MINUS_24 = 0x1.0p-24f;

    private Philox() {
    }

    /**
     * Philox4x32 with 10 rounds: encrypts the 128-bit {@code counter} (4 words) under the 64-bit {@code key}
     * (2 words) into {@code out} (4 words). All words are unsigned 32-bit values held in ints.
     */
    public static void block(int[] counter, int[] key, int[] out) {
        int c0 = counter[0], c1 = counter[1], c2 = counter[2], c3 = counter[3];
        int k0 = key[0], k1 = key[1];
        for (int round = 0; round < 10; round++) {
            if (round > 0) {
                k0 += W0;
                k1 += W1;
            }
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n1 = (int) p1;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            int n3 = (int) p0;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

    /** The raw 32-bit word for element {@code index} of the stream keyed by {@code seed}. */
    public static int word(long seed, long index) {
        int[] out = new int[4];
        block(new int[]{(int) (index >>> 2), (int) (index >>> 34), 0, 0}, new int[]{(int) seed, (int) (seed >>> 32)}, out);
        return out[(int) (index & 3)];
    }

    /** A uniform float in [0, 1) for element {@code index} of the stream keyed by {@code seed}. */
    public static float uniform(long seed, long index) {
        return toUniform(word(seed, index));
    }

    /** Maps a raw word to [0, 1) with 24 bits of resolution (exactly representable in float). */
    public static float toUniform(int word) {
        return (word >>> 8) * TWO_POW_MINUS_24;
    }

    /**
     * Fills {@code dst[0..count)} with uniforms for elements {@code first .. first + count} of the stream keyed by
     * {@code seed}, computing each Philox block once for its four elements.
     */
    public static void uniforms(long seed, long first, float[] dst, int count) {
        int[] ctr = new int[4];
        int[] key = {(int) seed, (int) (seed >>> 32)};
        int[] out = new int[4];
        int i = 0;
        while (i < count) {
            long index = first + i;
            long blockIndex = index >>> 2;
            ctr[0] = (int) blockIndex;
            ctr[1] = (int) (blockIndex >>> 32);
            ctr[2] = 0;
            ctr[3] = 0;
            block(ctr, key, out);
            for (int lane = (int) (index & 3); lane < 4 && i < count; lane++, i++) {
                dst[i] = toUniform(out[lane]);
            }
        }
    }
}
