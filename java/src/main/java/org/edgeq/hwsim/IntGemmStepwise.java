package org.edgeq.hwsim;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The exact saturating GEMM for outputs that may saturate a 24- or 16-bit accumulator: each output's running sum is
 * clamped after every multiply-accumulate in k order, as {@link NaiveIntGemm} does, but for a tile of outputs at a
 * time in int lanes (the k order is sequential per output; the lanes are different outputs). A clamp event is a lane
 * whose sum before clamping lies outside the range; each lane counts its own.
 *
 * <p>int lanes hold every intermediate value exactly: |sum| <= 2^23 and |product| <= 2^14, so acc + product never
 * wraps. A 32-bit accumulator is not handled here (its sums do wrap in int lanes).
 */
final class IntGemmStepwise {
    private static final VectorSpecies<Integer> SPECIES = IntVector.SPECIES_PREFERRED;
    private static final int V = SPECIES.length();
    /** Columns of a tile: two vectors. */
    static final int TC = 2 * V;
    /** Rows of a tile. */
    static final int TR = 4;

    private IntGemmStepwise() {
    }

    /** Packs B's rows (C's columns) [j0, j0 + TC) over all k steps as TC ints per k step; missing columns are 0. */
    static void packPanel(byte[] b, int n, int k, int j0, int[] dst) {
        int cols = Math.min(TC, n - j0);
        for (int j = 0; j < TC; j++) {
            if (j < cols) {
                int src = (j0 + j) * k;
                for (int p = 0, o = j; p < k; p++, o += TC) dst[o] = b[src + p];
            } else {
                for (int p = 0, o = j; p < k; p++, o += TC) dst[o] = 0;
            }
        }
    }

    /**
     * C's rows [i, i + rows) x columns [j0, j0 + TC) ∩ [0, n) stepwise against the packed panel; returns the clamp
     * events. rows is at most TR.
     */
    static long tile(byte[] a, int k, int i, int rows, int[] panel, int[] c, int n, int j0, int min, int max) {
        long events = 0;
        int r = 0;
        for (; r + TR <= rows; r += TR) events += rows4(a, k, i + r, panel, c, n, j0, min, max);
        for (; r < rows; r++) events += row1(a, k, i + r, panel, c, n, j0, min, max);
        return events;
    }

    private static long rows4(byte[] a, int k, int i, int[] panel, int[] c, int n, int j0, int min, int max) {
        IntVector lo = IntVector.broadcast(SPECIES, min);
        IntVector hi = IntVector.broadcast(SPECIES, max);
        IntVector one = IntVector.broadcast(SPECIES, 1);
        IntVector s00 = IntVector.zero(SPECIES), s01 = s00, s10 = s00, s11 = s00;
        IntVector s20 = s00, s21 = s00, s30 = s00, s31 = s00;
        IntVector e00 = s00, e01 = s00, e10 = s00, e11 = s00, e20 = s00, e21 = s00, e30 = s00, e31 = s00;
        int a0 = i * k;
        int a1 = a0 + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        for (int p = 0, bp = 0; p < k; p++, bp += TC) {
            IntVector b0 = IntVector.fromArray(SPECIES, panel, bp);
            IntVector b1 = IntVector.fromArray(SPECIES, panel, bp + V);
            int x0 = a[a0 + p];
            int x1 = a[a1 + p];
            int x2 = a[a2 + p];
            int x3 = a[a3 + p];
            IntVector t;
            IntVector u;
            t = b0.mul(x0).add(s00);
            u = t.max(lo).min(hi);
            e00 = e00.add(one, t.compare(VectorOperators.NE, u));
            s00 = u;
            t = b1.mul(x0).add(s01);
            u = t.max(lo).min(hi);
            e01 = e01.add(one, t.compare(VectorOperators.NE, u));
            s01 = u;
            t = b0.mul(x1).add(s10);
            u = t.max(lo).min(hi);
            e10 = e10.add(one, t.compare(VectorOperators.NE, u));
            s10 = u;
            t = b1.mul(x1).add(s11);
            u = t.max(lo).min(hi);
            e11 = e11.add(one, t.compare(VectorOperators.NE, u));
            s11 = u;
            t = b0.mul(x2).add(s20);
            u = t.max(lo).min(hi);
            e20 = e20.add(one, t.compare(VectorOperators.NE, u));
            s20 = u;
            t = b1.mul(x2).add(s21);
            u = t.max(lo).min(hi);
            e21 = e21.add(one, t.compare(VectorOperators.NE, u));
            s21 = u;
            t = b0.mul(x3).add(s30);
            u = t.max(lo).min(hi);
            e30 = e30.add(one, t.compare(VectorOperators.NE, u));
            s30 = u;
            t = b1.mul(x3).add(s31);
            u = t.max(lo).min(hi);
            e31 = e31.add(one, t.compare(VectorOperators.NE, u));
            s31 = u;
        }
        store(s00, s01, c, i * n + j0, n - j0);
        store(s10, s11, c, (i + 1) * n + j0, n - j0);
        store(s20, s21, c, (i + 2) * n + j0, n - j0);
        store(s30, s31, c, (i + 3) * n + j0, n - j0);
        // Lanes of missing columns multiplied zeros: they never clamp, so every lane's count is a real output's.
        return e00.add(e01).add(e10).add(e11).reduceLanesToLong(VectorOperators.ADD)
                + e20.add(e21).add(e30).add(e31).reduceLanesToLong(VectorOperators.ADD);
    }

    private static long row1(byte[] a, int k, int i, int[] panel, int[] c, int n, int j0, int min, int max) {
        IntVector lo = IntVector.broadcast(SPECIES, min);
        IntVector hi = IntVector.broadcast(SPECIES, max);
        IntVector one = IntVector.broadcast(SPECIES, 1);
        IntVector s0 = IntVector.zero(SPECIES), s1 = s0, e0 = s0, e1 = s0;
        int a0 = i * k;
        for (int p = 0, bp = 0; p < k; p++, bp += TC) {
            int x = a[a0 + p];
            IntVector t = IntVector.fromArray(SPECIES, panel, bp).mul(x).add(s0);
            IntVector u = t.max(lo).min(hi);
            e0 = e0.add(one, t.compare(VectorOperators.NE, u));
            s0 = u;
            t = IntVector.fromArray(SPECIES, panel, bp + V).mul(x).add(s1);
            u = t.max(lo).min(hi);
            e1 = e1.add(one, t.compare(VectorOperators.NE, u));
            s1 = u;
        }
        store(s0, s1, c, i * n + j0, n - j0);
        return e0.add(e1).reduceLanesToLong(VectorOperators.ADD);
    }

    /** Writes the first min(TC, cols) lanes of (v0, v1) to c from index at. */
    private static void store(IntVector v0, IntVector v1, int[] c, int at, int cols) {
        if (cols >= TC) {
            v0.intoArray(c, at);
            v1.intoArray(c, at + V);
        } else {
            VectorMask<Integer> m0 = SPECIES.indexInRange(0, cols);
            VectorMask<Integer> m1 = SPECIES.indexInRange(V, cols);
            v0.intoArray(c, at, m0);
            v1.intoArray(c, at + V, m1);
        }
    }
}
