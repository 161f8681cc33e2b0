package org.edgeq.hwsim;

/**
 * The argument checks every {@link IntGemm} implementation runs first, so that all of them refuse the same input
 * with the same one-line message naming the argument, and the accumulator range an {@code accBits} stands for.
 */
final class IntGemmArguments {
    private IntGemmArguments() {
    }

    /**
     * Throws NullPointerException for a null array and IllegalArgumentException for a negative size, an
     * accumulator width other than 32, 24 or 16, or an array shorter than its matrix (longer arrays are allowed:
     * only the first m*k, n*k and m*n elements are used).
     */
    static void check(byte[] a, byte[] b, int[] c, int m, int n, int k, int accBits) {
        if (a == null) throw new NullPointerException("IntGemm: a (A [m, k]) is null");
        if (b == null) throw new NullPointerException("IntGemm: b (B [n, k]) is null");
        if (c == null) throw new NullPointerException("IntGemm: c (C [m, n]) is null");
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("IntGemm: m, n, k must be >= 0, got m=" + m + " n=" + n + " k=" + k);
        }
        if (accBits != 32 && accBits != 24 && accBits != 16) {
            throw new IllegalArgumentException("IntGemm: accBits must be 32, 24 or 16, got " + accBits);
        }
        requireLength("a", "A [m=" + m + ", k=" + k + "]", a.length, (long) m * k, "codes");
        requireLength("b", "B [n=" + n + ", k=" + k + "]", b.length, (long) n * k, "codes");
        requireLength("c", "C [m=" + m + ", n=" + n + "]", c.length, (long) m * n, "ints");
    }

    private static void requireLength(String name, String shape, int length, long needed, String unit) {
        if (length < needed) {
            throw new IllegalArgumentException("IntGemm: " + name + " holds " + length + " " + unit + ", " + shape
                    + " needs " + needed);
        }
    }

    /** The largest value an accumulator of accBits holds: 2^(accBits-1) - 1; the smallest is -max - 1. */
    static long accumulatorMax(int accBits) {
        return (1L << (accBits - 1)) - 1;
    }
}
