package org.edgeq.hwsim;

/**
 * The reference {@link IntGemm}: every output accumulated one multiply-accumulate at a time in k order, the running
 * sum clamped to the accumulator's range after each step and every clamp counted, exactly as DECISIONS-9 defines
 * the semantics. It is the oracle any faster implementation must equal bit for bit, results and counts alike.
 */
public final class NaiveIntGemm implements IntGemm {

    @Override
    public long gemm(byte[] a, byte[] b, int[] c, int m, int n, int k, int accBits) {
        checkArguments(a, b, c, m, n, k, accBits);
        long min = -(1L << (accBits - 1));
        long max = (1L << (accBits - 1)) - 1;
        long saturated = 0;
        for (int i = 0; i < m; i++) {
            int aRow = i * k;
            for (int j = 0; j < n; j++) {
                int bRow = j * k;
                long sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += a[aRow + p] * b[bRow + p];
                    if (sum > max) {
                        sum = max;
                        saturated++;
                    } else if (sum < min) {
                        sum = min;
                        saturated++;
                    }
                }
                c[i * n + j] = (int) sum;
            }
        }
        return saturated;
    }

    /** The argument checks every implementation makes: sizes that fit the arrays and an accumulator of 2..32 bits. */
    static void checkArguments(byte[] a, byte[] b, int[] c, int m, int n, int k, int accBits) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("gemm sizes must be >= 0, got m=" + m + " n=" + n + " k=" + k);
        if (accBits < 2 || accBits > 32) throw new IllegalArgumentException("accBits must be 2..32, got " + accBits);
        if ((long) m * k > a.length) throw new IllegalArgumentException("A holds " + a.length + " codes, m*k = " + (long) m * k);
        if ((long) n * k > b.length) throw new IllegalArgumentException("B holds " + b.length + " codes, n*k = " + (long) n * k);
        if ((long) m * n > c.length) throw new IllegalArgumentException("C holds " + c.length + " sums, m*n = " + (long) m * n);
    }
}
