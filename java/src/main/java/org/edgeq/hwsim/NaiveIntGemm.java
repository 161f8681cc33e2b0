package org.edgeq.hwsim;

/**
 * The integer GEMM exactly as {@link IntGemm} defines it, one multiply-accumulate at a time in k order with the
 * accumulator clamped after each: the oracle the fast implementations are tested against, not for real work.
 */
public final class NaiveIntGemm implements IntGemm {
    @Override
    public long gemm(byte[] a, byte[] b, int[] c, int m, int n, int k, int accBits) {
        IntGemmArguments.check(a, b, c, m, n, k, accBits);
        long max = IntGemmArguments.accumulatorMax(accBits);
        long min = -max - 1;
        long saturated = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                long acc = 0;
                for (int p = 0; p < k; p++) {
                    acc += a[i * k + p] * b[j * k + p];
                    if (acc > max) {
                        acc = max;
                        saturated++;
                    } else if (acc < min) {
                        acc = min;
                        saturated++;
                    }
                }
                c[i * n + j] = (int) acc;
            }
        }
        return saturated;
    }
}
