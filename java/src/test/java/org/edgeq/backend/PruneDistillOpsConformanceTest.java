package org.edgeq.backend;

import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pruning and distillation ops every {@link Backend} must implement (mask apply, soft-target KL divergence),
 * checked against double-precision reference loops and central finite differences; subclasses supply the backend.
 */
public abstract class PruneDistillOpsConformanceTest {

    protected abstract Backend createBackend();

    protected Backend backend;
    protected TensorScope scope;
    private final Random random = new Random(99);

    @BeforeEach
    void open() {
        backend = createBackend();
        scope = new TensorScope();
    }

    @AfterEach
    void close() {
        // Null when createBackend aborted the test (a device suite skipping where there is no device).
        if (scope != null) scope.close();
        if (backend != null) backend.close();
    }

    private Tensor tensor(float[] values, int... dims) {
        Tensor t = backend.allocate(scope, DType.F32, dims);
        backend.upload(values, t);
        return t;
    }

    private float[] read(Tensor t) {
        float[] a = new float[(int) t.numel()];
        backend.download(t, a);
        return a;
    }

    private float[] randoms(int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (scale * random.nextGaussian());
        return a;
    }

    @Test
    void applyMaskZeroesExactlyTheMaskedElementsAndKeepsTheOthersBitForBit() {
        int n = 1000; // not a multiple of any vector width
        float[] x = randoms(n, 3);
        float[] mask = new float[n];
        for (int i = 0; i < n; i++) mask[i] = random.nextBoolean() ? 1f : 0f;
        Tensor tx = tensor(x, 10, 100);
        backend.applyMask(tx, tensor(mask, 10, 100));
        float[] got = read(tx);
        for (int i = 0; i < n; i++) {
            if (mask[i] == 0f) assertEquals(0f, got[i], 0f, "masked element " + i);
            else assertEquals(Float.floatToIntBits(x[i]), Float.floatToIntBits(got[i]), "kept element " + i);
        }
    }

    @Test
    void applyMaskRejectsAMaskOfAnotherShape() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> backend.applyMask(tensor(new float[6], 2, 3), tensor(new float[6], 3, 2)));
        assertTrue(e.getMessage().startsWith("applyMask"), e.getMessage());
    }

    private static double referenceKl(double[] s, double[] t, int n, int k, double temp) {
        double total = 0;
        for (int r = 0; r < n; r++) {
            double[] p = softmax(t, r, k, temp), q = softmax(s, r, k, temp);
            for (int j = 0; j < k; j++) if (p[j] > 0) total += p[j] * (Math.log(p[j]) - Math.log(q[j]));
        }
        return total / n;
    }

    private static double[] softmax(double[] z, int r, int k, double temp) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) max = Math.max(max, z[r * k + j] / temp);
        double sum = 0;
        double[] e = new double[k];
        for (int j = 0; j < k; j++) sum += e[j] = Math.exp(z[r * k + j] / temp - max);
        for (int j = 0; j < k; j++) e[j] /= sum;
        return e;
    }

    @Test
    void softTargetKlDivergenceMatchesReferenceAndFiniteDifferences() {
        int[][] shapes = {{1, 2}, {3, 10}, {17, 3}};
        float[] temps = {1f, 2.5f, 8f};
        for (int[] sh : shapes) {
            for (float temp : temps) {
                int n = sh[0], k = sh[1];
                float[] s = randoms(n * k, 2), t = randoms(n * k, 2);
                double[] sd = new double[n * k], td = new double[n * k];
                for (int i = 0; i < n * k; i++) {
                    sd[i] = s[i];
                    td[i] = t[i];
                }
                Tensor d = backend.allocate(scope, DType.F32, n, k);
                double loss = backend.softTargetKlDivergence(tensor(s, n, k), tensor(t, n, k), temp, d);
                String what = n + "x" + k + " T=" + temp;
                assertEquals(referenceKl(sd, td, n, k, temp), loss, 1e-6, "loss " + what);
                float[] g = read(d);
                double h = 1e-4;
                for (int i = 0; i < n * k; i++) {
                    double keep = sd[i];
                    sd[i] = keep + h;
                    double up = referenceKl(sd, td, n, k, temp);
                    sd[i] = keep - h;
                    double down = referenceKl(sd, td, n, k, temp);
                    sd[i] = keep;
                    assertEquals((up - down) / (2 * h), g[i], 1e-5, "gradient " + i + " " + what);
                }
            }
        }
    }

    @Test
    void softTargetKlDivergenceIsZeroWhenStudentEqualsTeacherAndStableForHugeLogits() {
        float[] z = randoms(12, 1);
        z[0] = 1e4f;
        z[7] = -1e4f;
        Tensor d = backend.allocate(scope, DType.F32, 3, 4);
        assertEquals(0, backend.softTargetKlDivergence(tensor(z, 3, 4), tensor(z, 3, 4), 1f, d), 1e-9);
        for (float g : read(d)) assertEquals(0f, g, 1e-9f);
        float[] shifted = z.clone();
        for (int i = 0; i < 4; i++) shifted[i] += 100f; // softmax is shift-invariant per row
        assertEquals(0, backend.softTargetKlDivergence(tensor(shifted, 3, 4), tensor(z, 3, 4), 1f, null), 1e-6);
    }

    @Test
    void softTargetKlDivergenceRejectsBadTemperatureAndShapes() {
        Tensor a = tensor(new float[6], 2, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> backend.softTargetKlDivergence(a, a, 0f, null));
        assertTrue(e.getMessage().startsWith("softTargetKlDivergence") && e.getMessage().contains("temperature"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> backend.softTargetKlDivergence(a, a, Float.NaN, null));
        assertThrows(IllegalArgumentException.class, () -> backend.softTargetKlDivergence(a, tensor(new float[6], 3, 2), 1f, null));
    }
}
