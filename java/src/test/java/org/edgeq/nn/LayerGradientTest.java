package org.edgeq.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.edgeq.backend.Backend;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every layer's backward pass agrees with central finite differences of its forward pass. */
class LayerGradientTest {
    private static Backend backend;
    private LayerContext ctx;
    private TensorScope scope;
    private final Random random = new Random(42);

    @BeforeAll
    static void startBackend() {
        backend = TestBackends.cpu(2);
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    @BeforeEach
    void open() {
        ctx = new LayerContext(backend, 7);
        scope = new TensorScope();
    }

    @AfterEach
    void close() {
        ctx.close();
        scope.close();
    }

    private Tensor randomInput(int... dims) {
        Tensor t = backend.allocate(scope, DType.F32, dims);
        float[] v = new float[(int) t.numel()];
        for (int i = 0; i < v.length; i++) v[i] = (float) random.nextGaussian();
        backend.upload(v, t);
        return t;
    }

    /** Values at least 0.05 away from zero, so ±ε steps never cross ReLU's kink. */
    private Tensor awayFromZero(int... dims) {
        Tensor t = backend.allocate(scope, DType.F32, dims);
        float[] v = new float[(int) t.numel()];
        for (int i = 0; i < v.length; i++) {
            double g = random.nextGaussian();
            v[i] = (float) (Math.signum(g) * (0.05 + Math.abs(g)));
        }
        backend.upload(v, t);
        return t;
    }

    /** Distinct values spaced 0.05 apart in random order, so no max-pool window has a near tie. */
    private Tensor spacedPermutation(int... dims) {
        Tensor t = backend.allocate(scope, DType.F32, dims);
        int n = (int) t.numel();
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (i - n / 2) * 0.05f;
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            float s = v[i];
            v[i] = v[j];
            v[j] = s;
        }
        backend.upload(v, t);
        return t;
    }

    @Test
    void linearGradientsMatchFiniteDifferences() {
        Linear l = new Linear(ctx, 7, 5, true);
        new GradientCheck(backend, l).check(scope, randomInput(4, 7));
    }

    @Test
    void linearWithoutBiasGradientsMatchFiniteDifferences() {
        Linear l = new Linear(ctx, 3, 6, false);
        assertEquals(1, l.parameters().size());
        new GradientCheck(backend, l).check(scope, randomInput(5, 3));
    }

    @Test
    void linearForwardComputesXTimesWeightTransposePlusBias() {
        Linear l = new Linear(ctx, 3, 2, true);
        Tensor x = randomInput(4, 3);
        float[] w = download(l.parameters().get(0).value());
        float[] b = download(l.parameters().get(1).value());
        float[] xv = download(x);
        float[] y = download(l.forward(x, false));
        for (int i = 0; i < 4; i++) {
            for (int o = 0; o < 2; o++) {
                double s = b[o];
                for (int k = 0; k < 3; k++) s += xv[i * 3 + k] * w[o * 3 + k];
                assertEquals(s, y[i * 2 + o], 1e-5, "y[" + i + "," + o + "]");
            }
        }
    }

    @Test
    void conv2dGradientsMatchFiniteDifferences() {
        Conv2d c = new Conv2d(ctx, Shape.of(2, 5, 5), 3, 3, 1, 1, true);
        new GradientCheck(backend, c).check(scope, randomInput(2, 2, 5, 5));
    }

    @Test
    void conv2dWithStrideAndPaddingGradientsMatchFiniteDifferences() {
        Conv2d c = new Conv2d(ctx, Shape.of(3, 7, 6), 4, 3, 2, 2, true);
        assertEquals(Shape.of(4, 5, 4), c.outputShape());
        new GradientCheck(backend, c).check(scope, randomInput(2, 3, 7, 6));
    }

    @Test
    void conv2dWithoutBiasAndUnpaddedGradientsMatchFiniteDifferences() {
        Conv2d c = new Conv2d(ctx, Shape.of(2, 6, 6), 2, 2, 2, 0, false);
        new GradientCheck(backend, c).check(scope, randomInput(3, 2, 6, 6));
    }

    @Test
    void batchNorm1dTrainingGradientsMatchFiniteDifferences() {
        BatchNorm bn = new BatchNorm(ctx, Shape.of(4));
        perturbAffine(bn);
        new GradientCheck(backend, bn).check(scope, randomInput(6, 4));
    }

    @Test
    void batchNorm2dTrainingGradientsMatchFiniteDifferences() {
        BatchNorm bn = new BatchNorm(ctx, Shape.of(3, 4, 4));
        perturbAffine(bn);
        new GradientCheck(backend, bn).check(scope, randomInput(2, 3, 4, 4));
    }

    /** Non-trivial gamma and beta so their gradients are checked away from the identity initialisation. */
    private void perturbAffine(BatchNorm bn) {
        for (Parameter p : bn.parameters()) {
            float[] v = download(p.value());
            for (int i = 0; i < v.length; i++) v[i] += (float) (0.5 * random.nextGaussian());
            backend.upload(v, p.value());
        }
    }

    @Test
    void batchNormKeepsPyTorchStateNamesAndUpdatesRunningStatisticsOnlyInTraining() {
        BatchNorm bn = new BatchNorm(ctx, Shape.of(2));
        assertEquals(List.of("running_mean", "running_var"), List.copyOf(bn.buffers().keySet()));
        assertEquals(List.of("weight", "bias"), bn.parameters().stream().map(Parameter::name).toList());
        Tensor x = backend.allocate(scope, DType.F32, 2, 2);
        backend.upload(new float[] {1, 10, 3, 20}, x);
        bn.forward(x, false);
        assertArrayEquals(new float[] {0, 0}, download(bn.buffers().get("running_mean")));
        bn.forward(x, true);
        // PyTorch: running = 0.9 * running + 0.1 * batch, with the unbiased variance.
        assertArrayEquals(new float[] {0.2f, 1.5f}, download(bn.buffers().get("running_mean")), 1e-6f);
        assertArrayEquals(new float[] {0.9f + 0.1f * 2f, 0.9f + 0.1f * 50f}, download(bn.buffers().get("running_var")), 1e-5f);
    }

    @Test
    void reluGradientsMatchFiniteDifferences() {
        ReLU r = new ReLU(ctx, Shape.of(3, 2, 2));
        new GradientCheck(backend, r).check(scope, awayFromZero(3, 3, 2, 2));
    }

    @Test
    void maxPool2dGradientsMatchFiniteDifferences() {
        MaxPool2d p = new MaxPool2d(ctx, Shape.of(2, 5, 5), 2, 2);
        assertEquals(Shape.of(2, 2, 2), p.outputShape());
        new GradientCheck(backend, p).check(scope, spacedPermutation(2, 2, 5, 5));
    }

    @Test
    void dropoutWithFixedMaskGradientsMatchFiniteDifferences() {
        Dropout d = new Dropout(ctx, Shape.of(10), 0.4f);
        new GradientCheck(backend, d, () -> d.setOffset(0)).check(scope, randomInput(5, 10));
    }

    @Test
    void dropoutIsIdentityInInferenceAndAdvancesItsStreamInTraining() {
        Dropout d = new Dropout(ctx, Shape.of(100), 0.5f);
        Tensor x = randomInput(4, 100);
        assertArrayEquals(download(x), download(d.forward(x, false)));
        float[] first = download(d.forward(x, true));
        assertEquals(400, d.offset());
        float[] second = download(d.forward(x, true));
        assertTrue(!java.util.Arrays.equals(first, second), "a second training call draws a new mask");
        d.setOffset(0);
        assertArrayEquals(first, download(d.forward(x, true)), "replaying offset 0 gives the same mask");
        int zeros = 0;
        for (float v : first) if (v == 0f) zeros++;
        assertTrue(zeros > 120 && zeros < 280, "about half dropped, got " + zeros);
    }

    @Test
    void flattenGradientsMatchFiniteDifferences() {
        Flatten f = new Flatten(Shape.of(2, 3, 2));
        new GradientCheck(backend, f).check(scope, randomInput(3, 2, 3, 2));
    }

    @Test
    void sequentialGradientsMatchFiniteDifferences() {
        NetworkBuilder b = new NetworkBuilder(ctx, Shape.of(2, 6, 6));
        b.conv3x3(3, true).batchNorm().maxPool(2).flatten().linear(5).dropout(0.3f).linear(3);
        Sequential s = b.build();
        Runnable replay = () -> collectDropouts(s).forEach(d -> d.setOffset(0));
        new GradientCheck(backend, s, replay).check(scope, spacedPermutation(3, 2, 6, 6));
    }

    @Test
    void conv2dGradientsMatchFiniteDifferencesAtFashionMnistSize() {
        new GradientCheck(backend, new Conv2d(ctx, Shape.of(1, 28, 28), 16, 3, 1, 1, true)).check(scope, randomInput(64, 1, 28, 28));
    }

    @Test
    void wideConv2dGradientsMatchFiniteDifferencesAtFashionMnistSize() {
        new GradientCheck(backend, new Conv2d(ctx, Shape.of(16, 14, 14), 32, 3, 1, 1, true)).check(scope, randomInput(64, 16, 14, 14));
    }

    @Test
    void batchNorm2dGradientsMatchFiniteDifferencesAtFashionMnistSize() {
        new GradientCheck(backend, new BatchNorm(ctx, Shape.of(16, 28, 28))).check(scope, randomInput(64, 16, 28, 28));
    }

    @Test
    void maxPool2dGradientsMatchFiniteDifferencesAtFashionMnistSize() {
        new GradientCheck(backend, new MaxPool2d(ctx, Shape.of(16, 28, 28), 2, 2)).check(scope, spacedPermutation(4, 16, 28, 28));
    }

    @Test
    void convBatchNormPoolStackGradientsMatchFiniteDifferencesAtFashionMnistSize() {
        NetworkBuilder b = new NetworkBuilder(ctx, Shape.of(1, 28, 28));
        b.conv3x3(16, true).batchNorm().maxPool(2).conv3x3(32, true).batchNorm().maxPool(2).flatten().linear(10);
        Sequential s = b.build();
        new GradientCheck(backend, s).withStep(1e-4).check(scope, randomInput(4, 1, 28, 28));
    }

    @Test
    void residualBlockGradientsMatchFiniteDifferences() {
        NetworkBuilder b = new NetworkBuilder(ctx, Shape.of(2, 4, 4));
        b.residual(r -> r.block(x -> x.conv3x3(2, false).batchNorm()).block(x -> x.conv3x3(2, false).batchNorm()));
        Layer res = b.build().children().getFirst();
        assertEquals("Residual", res.type());
        new GradientCheck(backend, res).check(scope, randomInput(3, 2, 4, 4));
    }

    private static List<Dropout> collectDropouts(Layer l) {
        java.util.ArrayList<Dropout> out = new java.util.ArrayList<>();
        if (l instanceof Dropout d) out.add(d);
        for (Layer c : l.children()) out.addAll(collectDropouts(c));
        return out;
    }

    @Test
    void crossEntropyGradientMatchesFiniteDifferences() {
        Tensor logits = randomInput(5, 4);
        Tensor labels = backend.allocate(scope, DType.I32, 5);
        backend.upload(new int[] {0, 3, 1, 2, 3}, labels);
        Tensor grad = backend.allocate(scope, DType.F32, 5, 4);
        Loss loss = new Loss.CrossEntropy();
        checkLoss(loss, logits, labels, grad);
    }

    @Test
    void meanSquaredErrorGradientMatchesFiniteDifferences() {
        Tensor pred = randomInput(6, 1);
        Tensor target = randomInput(6, 1);
        Tensor grad = backend.allocate(scope, DType.F32, 6, 1);
        checkLoss(new Loss.MeanSquaredError(), pred, target, grad);
    }

    private void checkLoss(Loss loss, Tensor output, Tensor target, Tensor grad) {
        loss.compute(backend, output, target, grad);
        float[] g = download(grad);
        float[] o = download(output);
        for (int trial = 0; trial < 3; trial++) {
            float[] v = new float[o.length];
            for (int i = 0; i < v.length; i++) v[i] = (float) random.nextGaussian();
            double eps = 1e-2;
            double plus = lossAt(loss, output, target, o, v, eps);
            double minus = lossAt(loss, output, target, o, v, -eps);
            GradientCheck.assertClose(GradientCheck.dot(g, v), (plus - minus) / (2 * eps), loss + " direction " + trial);
        }
    }

    private double lossAt(Loss loss, Tensor output, Tensor target, float[] base, float[] v, double step) {
        float[] m = new float[base.length];
        for (int i = 0; i < m.length; i++) m[i] = (float) (base[i] + step * v[i]);
        backend.upload(m, output);
        return loss.compute(backend, output, target, null);
    }

    private float[] download(Tensor t) {
        float[] a = new float[(int) t.numel()];
        backend.download(t, a);
        return a;
    }
}
