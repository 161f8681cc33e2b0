package org.edgeq.hwsim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The stepwise reference GEMM's saturation semantics, and any faster {@link IntGemm} in use equal to it bit for bit. */
class IntGemmTest {

    @Test
    void sixteenBitAccumulatorClampsEveryStepPastItsRangeAndCountsEach() {
        // One output, k = 5, all products 127 * 127 = 16,129: sums 16,129, 32,258, then 48,387 > 32,767 (clamp) and
        // the next two clamp again: 3 saturations, result 32,767. In 32 bits: 80,645 and none.
        byte[] a = {127, 127, 127, 127, 127};
        byte[] b = {127, 127, 127, 127, 127};
        int[] c = new int[1];
        assertEquals(3, new NaiveIntGemm().gemm(a, b, c, 1, 1, 5, 16));
        assertEquals(32767, c[0]);
        assertEquals(0, new NaiveIntGemm().gemm(a, b, c, 1, 1, 5, 32));
        assertEquals(5 * 16129, c[0]);
        assertEquals(0, new NaiveIntGemm().gemm(a, b, c, 1, 1, 5, 24), "80,645 fits 24 bits (max 8,388,607)");
    }

    @Test
    void saturationIsStickyInKOrderNotAClampOfTheFinalSum() {
        // Three products of +16,129 pass 32,767 once (clamped there), then three of -16,129 bring the sum down from the
        // clamp: 32,767 - 48,387 = -15,620, where the exact sum would be 0.
        byte[] a = {127, 127, 127, 127, 127, 127};
        byte[] b = {127, 127, 127, -127, -127, -127};
        int[] c = new int[1];
        assertEquals(1, new NaiveIntGemm().gemm(a, b, c, 1, 1, 6, 16));
        assertEquals(32767 - 3 * 16129, c[0]);
        assertEquals(0, new NaiveIntGemm().gemm(a, b, c, 1, 1, 6, 32));
        assertEquals(0, c[0]);
        byte[] neg = {-128, -128, -128};
        byte[] pos = {127, 127, 127};
        assertEquals(1, new NaiveIntGemm().gemm(neg, pos, c, 1, 1, 3, 16), "-16,256 x 3 passes -32,768 once");
        assertEquals(-32768, c[0]);
    }

    @Test
    void rowMajorLayoutMatchesADotProductPerOutput() {
        SplittableRandom r = new SplittableRandom(7);
        int m = 5, n = 4, k = 9;
        byte[] a = randomCodes(r, m * k, 8), b = randomCodes(r, n * k, 8);
        int[] c = new int[m * n];
        new NaiveIntGemm().gemm(a, b, c, m, n, k, 32);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int dot = 0;
                for (int p = 0; p < k; p++) dot += a[i * k + p] * b[j * k + p];
                assertEquals(dot, c[i * n + j], "C[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void argumentsOutsideTheArraysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new NaiveIntGemm().gemm(new byte[3], new byte[4], new int[1], 1, 1, 4, 32));
        assertThrows(IllegalArgumentException.class, () -> new NaiveIntGemm().gemm(new byte[4], new byte[4], new int[1], 1, 1, 4, 33));
    }

    private static byte[] randomCodes(SplittableRandom r, int n, int bits) {
        int hi = bits == 8 ? 127 : (1 << (bits - 1)) - 1;
        int lo = bits == 8 ? -128 : -hi - 1;
        byte[] v = new byte[n];
        for (int i = 0; i < n; i++) v[i] = (byte) r.nextInt(lo, hi + 1);
        return v;
    }

    @Test
    void theGemmTheSimulatorPicksEqualsTheReferenceBitForBitResultsAndCounts() {
        try (org.edgeq.backend.cpu.WorkerPool pool = new org.edgeq.backend.cpu.WorkerPool(2)) {
            theChosenGemmEqualsTheReference(IntGemms.best(pool));
        }
    }

    private static void theChosenGemmEqualsTheReference(IntGemms.Choice best) {
        IntGemm ref = new NaiveIntGemm();
        SplittableRandom r = new SplittableRandom(8);
        for (int t = 0; t < 200; t++) {
            int m = r.nextInt(1, 40), n = r.nextInt(1, 40), k = r.nextInt(1, 700);
            int bits = new int[] {8, 4, 2}[r.nextInt(3)];
            int acc = new int[] {32, 24, 16}[r.nextInt(3)];
            byte[] a = randomCodes(r, m * k, bits), b = randomCodes(r, n * k, 8);
            if (r.nextInt(4) == 0) java.util.Arrays.fill(a, (byte) 127); // force long saturating runs
            int[] expected = new int[m * n], got = new int[m * n];
            long expectedCount = ref.gemm(a, b, expected, m, n, k, acc);
            long gotCount = best.gemm().gemm(a, b, got, m, n, k, acc);
            assertArrayEquals(expected, got, best.name() + " m=" + m + " n=" + n + " k=" + k + " acc=" + acc);
            assertEquals(expectedCount, gotCount, best.name() + " saturation count, m=" + m + " n=" + n + " k=" + k + " acc=" + acc);
        }
    }
}
