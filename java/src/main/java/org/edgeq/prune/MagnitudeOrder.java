package org.edgeq.prune;

import java.util.Arrays;

/** Orders weights by magnitude with ties broken by position, so exact-count pruning is deterministic. */
final class MagnitudeOrder {
    private MagnitudeOrder() {
    }

    /**
     * Sort key of weight {@code index} with value {@code w}: |w|'s bits (a non-negative float's bits order like the
     * float) above the index, so keys sort by magnitude, then by index.
     */
    static long key(float w, int index) {
        return ((long) Float.floatToRawIntBits(Math.abs(w)) << 32) | (index & 0xFFFF_FFFFL);
    }

    static int index(long key) {
        return (int) key;
    }

    /** Keep mask removing the {@code count} smallest-magnitude weights of {@code w} (earlier index first on ties). */
    static float[] keepAllButSmallest(float[] w, int count) {
        float[] keep = new float[w.length];
        Arrays.fill(keep, 1f);
        if (count <= 0) return keep;
        long[] keys = new long[w.length];
        for (int i = 0; i < w.length; i++) keys[i] = key(w[i], i);
        Arrays.sort(keys);
        for (int i = 0; i < count; i++) keep[index(keys[i])] = 0f;
        return keep;
    }

    /** The number of weights to remove out of {@code total} at {@code ratio}: the nearest whole count. */
    static long countAt(double ratio, long total) {
        return Math.round(ratio * total);
    }
}
