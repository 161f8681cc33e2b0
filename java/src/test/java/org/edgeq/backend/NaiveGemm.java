package org.edgeq.backend;

/** The textbook triple loop in double precision: the independent reference every GEMM test compares against. */
public final class NaiveGemm {
    private NaiveGemm() {
    }

    /**
     * alpha * op(A) op(B) + beta * C for row-major A ([k, m] when ta, else [m, k]), B ([n, k] when tb, else
     * [k, n]) and C [m, n]; with beta == 0, C is not read (it may be null).
     */
    public static double[] reference(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a, double[] b,
                                     double beta, double[] c) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    double av = ta ? a[p * m + i] : a[i * k + p];
                    double bv = tb ? b[j * k + p] : b[p * n + j];
                    acc += av * bv;
                }
                out[i * n + j] = alpha * acc + (beta == 0 ? 0 : beta * c[i * n + j]);
            }
        }
        return out;
    }

    /** {@link #reference(boolean, boolean, int, int, int, double, double[], double[], double, double[])} on floats. */
    public static double[] reference(boolean ta, boolean tb, int m, int n, int k, double alpha, float[] a, float[] b,
                                     double beta, float[] c) {
        return reference(ta, tb, m, n, k, alpha, widen(a), widen(b), beta, c == null ? null : widen(c));
    }

    private static double[] widen(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }
}
