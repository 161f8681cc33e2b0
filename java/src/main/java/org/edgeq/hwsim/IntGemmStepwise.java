package org.edgeq.hwsim;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The exact saturating GEMM for outputs that may saturate a 24- or 16-bit accumulator: each output's running sum is
 * clamped after every multiply-accumulate in k order, as {@link NaiveIntGemm} does, for a tile of outputs at a time
 * (k runs in order per output; the vector lanes are different outputs of a row). A clamp event is a lane whose sum
 * before clamping lies outside the range; each lane counts its own.
 *
 * <ul>
 *   <li>24 bits, int lanes: |sum| <= 2^23 and |product| <= 2^14, so acc + product never wraps; it is clamped with
 *       max/min and counted where the clamp changed it.</li>
 *   <li>16 bits, short lanes (twice as many per vector): a product of two codes fits a short (|p| <= 2^14), and
 *       the saturating add {@code SADD} is exactly the clamp to [-2^15, 2^15 - 1]; a clamp happened where it differs
 *       from the wrapping add. Counts are kept in short lanes and emptied into a long every 32767 steps.</li>
 * </ul>
 * A 32-bit accumulator is not handled here (its sums wrap in int lanes). Tiles are {@value #TR} rows by two vectors:
 * four rows made the kernel too large for C2 to inline every vector operation, and it ran several times slower.
 */
final class IntGemmStepwise {
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_PREFERRED;
    private static final int VI = INTS.length();
    private static final int VS = SHORTS.length();
    /** Rows of a tile. */
    static final int TR = 2;
    /** Steps after which short lane counts are emptied, before one could wrap. */
    private static final int SHORT_COUNT_STEPS = Short.MAX_VALUE;

    private IntGemmStepwise() {
    }

    /** Columns of a tile for this accumulator: two vectors of int lanes (24 bits) or of short lanes (16 bits). */
    static int columns(int accBits) {
        return accBits == 16 ? 2 * VS : 2 * VI;
    }

    /**
     * Packs B's rows (C's columns) [j0, j0 + columns(accBits)) over all k steps, one k step after another, as ints
     * (24 bits) or shorts (16 bits) into {@code dst} (k * columns elements); missing columns are 0.
     */
    static void packPanel(byte[] b, int n, int k, int j0, int accBits, int[] ints, short[] shorts) {
        int tc = columns(accBits);
        int cols = Math.min(tc, n - j0);
        for (int j = 0; j < tc; j++) {
            int src = (j0 + j) * k;
            if (accBits == 16) {
                for (int p = 0, o = j; p < k; p++, o += tc) shorts[o] = j < cols ? b[src + p] : 0;
            } else {
                for (int p = 0, o = j; p < k; p++, o += tc) ints[o] = j < cols ? b[src + p] : 0;
            }
        }
    }

    /**
     * C's rows [i, i + rows) x columns [j0, j0 + columns(accBits)) ∩ [0, n) stepwise against the packed panel;
     * returns the clamp events. rows is at most TR. Lanes of missing columns multiply zeros and never clamp.
     */
    static long tile(byte[] a, int k, int i, int rows, int[] ints, short[] shorts, int[] c, int n, int j0,
                     int accBits, int max) {
        long events = 0;
        int r = 0;
        if (accBits == 16) {
            for (; r + 2 <= rows; r += 2) events += rows2Short(a, k, i + r, shorts, c, n, j0);
            if (r < rows) events += row1Short(a, k, i + r, shorts, c, n, j0);
        } else {
            for (; r + 2 <= rows; r += 2) events += rows2Int(a, k, i + r, ints, c, n, j0, -max - 1, max);
            if (r < rows) events += row1Int(a, k, i + r, ints, c, n, j0, -max - 1, max);
        }
        return events;
    }

    private static long rows2Int(byte[] a, int k, int i, int[] panel, int[] c, int n, int j0, int min, int max) {
        IntVector lo = IntVector.broadcast(INTS, min);
        IntVector hi = IntVector.broadcast(INTS, max);
        IntVector one = IntVector.broadcast(INTS, 1);
        IntVector s00 = IntVector.zero(INTS), s01 = s00, s10 = s00, s11 = s00;
        IntVector e00 = s00, e01 = s00, e10 = s00, e11 = s00;
        int a0 = i * k;
        int a1 = a0 + k;
        for (int p = 0, bp = 0; p < k; p++, bp += 2 * VI) {
            IntVector b0 = IntVector.fromArray(INTS, panel, bp);
            IntVector b1 = IntVector.fromArray(INTS, panel, bp + VI);
            int x0 = a[a0 + p];
            int x1 = a[a1 + p];
            IntVector t = b0.mul(x0).add(s00);
            s00 = t.max(lo).min(hi);
            e00 = e00.add(one, t.compare(VectorOperators.NE, s00));
            t = b1.mul(x0).add(s01);
            s01 = t.max(lo).min(hi);
            e01 = e01.add(one, t.compare(VectorOperators.NE, s01));
            t = b0.mul(x1).add(s10);
            s10 = t.max(lo).min(hi);
            e10 = e10.add(one, t.compare(VectorOperators.NE, s10));
            t = b1.mul(x1).add(s11);
            s11 = t.max(lo).min(hi);
            e11 = e11.add(one, t.compare(VectorOperators.NE, s11));
        }
        store(s00, s01, c, i * n + j0, n - j0);
        store(s10, s11, c, (i + 1) * n + j0, n - j0);
        return sum(e00) + sum(e01) + sum(e10) + sum(e11);
    }

    private static long row1Int(byte[] a, int k, int i, int[] panel, int[] c, int n, int j0, int min, int max) {
        IntVector lo = IntVector.broadcast(INTS, min);
        IntVector hi = IntVector.broadcast(INTS, max);
        IntVector one = IntVector.broadcast(INTS, 1);
        IntVector s0 = IntVector.zero(INTS), s1 = s0, e0 = s0, e1 = s0;
        int a0 = i * k;
        for (int p = 0, bp = 0; p < k; p++, bp += 2 * VI) {
            int x = a[a0 + p];
            IntVector t = IntVector.fromArray(INTS, panel, bp).mul(x).add(s0);
            s0 = t.max(lo).min(hi);
            e0 = e0.add(one, t.compare(VectorOperators.NE, s0));
            t = IntVector.fromArray(INTS, panel, bp + VI).mul(x).add(s1);
            s1 = t.max(lo).min(hi);
            e1 = e1.add(one, t.compare(VectorOperators.NE, s1));
        }
        store(s0, s1, c, i * n + j0, n - j0);
        return sum(e0) + sum(e1);
    }

    private static long rows2Short(byte[] a, int k, int i, short[] panel, int[] c, int n, int j0) {
        ShortVector one = ShortVector.broadcast(SHORTS, (short) 1);
        ShortVector s00 = ShortVector.zero(SHORTS), s01 = s00, s10 = s00, s11 = s00;
        long events = 0;
        int a0 = i * k;
        int a1 = a0 + k;
        for (int p0 = 0; p0 < k; p0 += SHORT_COUNT_STEPS) {
            int p1 = Math.min(k, p0 + SHORT_COUNT_STEPS);
            ShortVector e00 = ShortVector.zero(SHORTS), e01 = e00, e10 = e00, e11 = e00;
            for (int p = p0, bp = p0 * 2 * VS; p < p1; p++, bp += 2 * VS) {
                ShortVector b0 = ShortVector.fromArray(SHORTS, panel, bp);
                ShortVector b1 = ShortVector.fromArray(SHORTS, panel, bp + VS);
                short x0 = a[a0 + p];
                short x1 = a[a1 + p];
                ShortVector q = b0.mul(x0);
                ShortVector t = s00.lanewise(VectorOperators.SADD, q);
                e00 = e00.add(one, t.compare(VectorOperators.NE, s00.add(q)));
                s00 = t;
                q = b1.mul(x0);
                t = s01.lanewise(VectorOperators.SADD, q);
                e01 = e01.add(one, t.compare(VectorOperators.NE, s01.add(q)));
                s01 = t;
                q = b0.mul(x1);
                t = s10.lanewise(VectorOperators.SADD, q);
                e10 = e10.add(one, t.compare(VectorOperators.NE, s10.add(q)));
                s10 = t;
                q = b1.mul(x1);
                t = s11.lanewise(VectorOperators.SADD, q);
                e11 = e11.add(one, t.compare(VectorOperators.NE, s11.add(q)));
                s11 = t;
            }
            events += sum(e00) + sum(e01) + sum(e10) + sum(e11);
        }
        store(s00, s01, c, i * n + j0, n - j0);
        store(s10, s11, c, (i + 1) * n + j0, n - j0);
        return events;
    }

    private static long row1Short(byte[] a, int k, int i, short[] panel, int[] c, int n, int j0) {
        ShortVector one = ShortVector.broadcast(SHORTS, (short) 1);
        ShortVector s0 = ShortVector.zero(SHORTS), s1 = s0;
        long events = 0;
        int a0 = i * k;
        for (int p0 = 0; p0 < k; p0 += SHORT_COUNT_STEPS) {
            int p1 = Math.min(k, p0 + SHORT_COUNT_STEPS);
            ShortVector e0 = ShortVector.zero(SHORTS), e1 = e0;
            for (int p = p0, bp = p0 * 2 * VS; p < p1; p++, bp += 2 * VS) {
                short x = a[a0 + p];
                ShortVector q = ShortVector.fromArray(SHORTS, panel, bp).mul(x);
                ShortVector t = s0.lanewise(VectorOperators.SADD, q);
                e0 = e0.add(one, t.compare(VectorOperators.NE, s0.add(q)));
                s0 = t;
                q = ShortVector.fromArray(SHORTS, panel, bp + VS).mul(x);
                t = s1.lanewise(VectorOperators.SADD, q);
                e1 = e1.add(one, t.compare(VectorOperators.NE, s1.add(q)));
                s1 = t;
            }
            events += sum(e0) + sum(e1);
        }
        store(s0, s1, c, i * n + j0, n - j0);
        return events;
    }

    /** The lanes' total as a long (reduceLanes would add in the lane type, which can wrap). */
    private static long sum(IntVector v) {
        long total = 0;
        for (int x : v.toArray()) total += x;
        return total;
    }

    private static long sum(ShortVector v) {
        long total = 0;
        for (short x : v.toArray()) total += x;
        return total;
    }

    /** Writes the first min(2 * V, cols) lanes of (v0, v1) to c from index at. */
    private static void store(IntVector v0, IntVector v1, int[] c, int at, int cols) {
        if (cols >= 2 * VI) {
            v0.intoArray(c, at);
            v1.intoArray(c, at + VI);
        } else {
            VectorMask<Integer> m0 = INTS.indexInRange(0, cols);
            VectorMask<Integer> m1 = INTS.indexInRange(VI, cols);
            v0.intoArray(c, at, m0);
            v1.intoArray(c, at + VI, m1);
        }
    }

    private static void store(ShortVector v0, ShortVector v1, int[] c, int at, int cols) {
        short[] x0 = v0.toArray();
        short[] x1 = v1.toArray();
        int lanes = Math.min(2 * VS, cols);
        for (int j = 0; j < lanes; j++) c[at + j] = j < VS ? x0[j] : x1[j - VS];
    }
}
