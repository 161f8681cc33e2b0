package org.edgeq.distill;

import org.edgeq.backend.Backend;
import org.edgeq.nn.TestBackends;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The distillation objective against a double-precision reference: value, gradient, α = 0, and the T² scaling. */
class DistillationLossTest {
    private static final int N = 5, K = 4;
    private Backend backend;
    private TensorScope scope;
    private final Random random = new Random(7);
    private double[] student, teacher;
    private int[] labels;

    @BeforeEach
    void open() {
        backend = TestBackends.cpu(2);
        scope = new TensorScope();
        student = new double[N * K];
        teacher = new double[N * K];
        for (int i = 0; i < N * K; i++) {
            student[i] = 2 * random.nextGaussian();
            teacher[i] = 3 * random.nextGaussian();
        }
        labels = new int[N];
        for (int i = 0; i < N; i++) labels[i] = random.nextInt(K);
    }

    @AfterEach
    void close() {
        scope.close();
        backend.close();
    }

    private Tensor f32(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        Tensor t = backend.allocate(scope, DType.F32, N, K);
        backend.upload(f, t);
        return t;
    }

    private Tensor labelTensor() {
        Tensor t = backend.allocate(scope, DType.I32, N);
        backend.upload(labels, t);
        return t;
    }

    private float[] read(Tensor t) {
        float[] a = new float[(int) t.numel()];
        backend.download(t, a);
        return a;
    }

    private static double[] logSoftmax(double[] z, int r, double temp) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < K; j++) max = Math.max(max, z[r * K + j] / temp);
        double sum = 0;
        for (int j = 0; j < K; j++) sum += Math.exp(z[r * K + j] / temp - max);
        double[] out = new double[K];
        for (int j = 0; j < K; j++) out[j] = z[r * K + j] / temp - max - Math.log(sum);
        return out;
    }

    /** α T² KL(p_T || q_T) + (1 − α) CE, means over rows, written straight from the definition. */
    private double reference(double[] s, double alpha, double temp) {
        double kl = 0, ce = 0;
        for (int r = 0; r < N; r++) {
            double[] logP = logSoftmax(teacher, r, temp), logQ = logSoftmax(s, r, temp), logQ1 = logSoftmax(s, r, 1);
            for (int j = 0; j < K; j++) kl += Math.exp(logP[j]) * (logP[j] - logQ[j]);
            ce -= logQ1[labels[r]];
        }
        return alpha * temp * temp * kl / N + (1 - alpha) * ce / N;
    }

    private DistillationLoss loss(double alpha, double temp) {
        Tensor t = f32(teacher);
        return new DistillationLoss(() -> t, (float) alpha, (float) temp);
    }

    @Test
    void valueAndGradientMatchTheDefinitionAndFiniteDifferences() {
        for (double alpha : new double[]{0.3, 0.9, 1.0}) {
            for (double temp : new double[]{1, 4}) {
                try (DistillationLoss loss = loss(alpha, temp)) {
                    Tensor d = backend.allocate(scope, DType.F32, N, K);
                    double value = loss.compute(backend, f32(student), labelTensor(), d);
                    String what = "alpha " + alpha + " T " + temp;
                    assertEquals(reference(student, alpha, temp), value, 1e-5, what);
                    float[] g = read(d);
                    double h = 1e-4;
                    for (int i = 0; i < N * K; i++) {
                        double keep = student[i];
                        student[i] = keep + h;
                        double up = reference(student, alpha, temp);
                        student[i] = keep - h;
                        double down = reference(student, alpha, temp);
                        student[i] = keep;
                        assertEquals((up - down) / (2 * h), g[i], 2e-5, what + " gradient " + i);
                    }
                }
            }
        }
    }

    @Test
    void alphaZeroIsPlainCrossEntropyBitForBit() {
        try (DistillationLoss loss = loss(0, 4)) {
            Tensor d = backend.allocate(scope, DType.F32, N, K), dCe = backend.allocate(scope, DType.F32, N, K);
            double value = loss.compute(backend, f32(student), labelTensor(), d);
            double ce = backend.softmaxCrossEntropy(f32(student), labelTensor(), dCe);
            assertEquals(ce, value, 0);
            assertArrayEquals(read(dCe), read(d), 0f);
        }
    }

    @Test
    void softTermIsScaledByTemperatureSquaredSoItsGradientKeepsItsSizeAtHighTemperature() {
        for (double temp : new double[]{2, 5}) {
            try (DistillationLoss loss = loss(1, temp)) {
                double kl = backend.softTargetKlDivergence(f32(student), f32(teacher), (float) temp, null);
                assertEquals(temp * temp * kl, loss.compute(backend, f32(student), labelTensor(), null), 1e-6 * temp * temp);
            }
        }
        // As T grows, T² · dKL/dz tends to (z_s − z_t − row mean of the difference) / (K N) (Hinton et al. §2.1).
        double temp = 1000;
        try (DistillationLoss loss = loss(1, temp)) {
            Tensor d = backend.allocate(scope, DType.F32, N, K);
            loss.compute(backend, f32(student), labelTensor(), d);
            float[] g = read(d);
            for (int r = 0; r < N; r++) {
                double mean = 0;
                for (int j = 0; j < K; j++) mean += (student[r * K + j] - teacher[r * K + j]) / K;
                for (int j = 0; j < K; j++) {
                    double limit = (student[r * K + j] - teacher[r * K + j] - mean) / ((double) K * N);
                    // The next term of the expansion is of order z² / (T K N), about 1e-3 here for logits of a few units.
                    assertEquals(limit, g[r * K + j], 1e-3, "row " + r + " class " + j);
                }
            }
        }
    }

    @Test
    void rejectsAlphaAndTemperatureOutsideTheirRangesAndMismatchedTeacherLogits() {
        assertThrows(IllegalArgumentException.class, () -> new DistillationLoss(() -> null, 1.5f, 2f));
        assertThrows(IllegalArgumentException.class, () -> new DistillationLoss(() -> null, 0.5f, 0f));
        Tensor wrong = backend.allocate(scope, DType.F32, N, K + 1);
        try (DistillationLoss loss = new DistillationLoss(() -> wrong, 0.5f, 2f)) {
            assertThrows(IllegalArgumentException.class, () -> loss.compute(backend, f32(student), labelTensor(), null));
        }
    }
}
