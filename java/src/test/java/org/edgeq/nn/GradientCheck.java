package org.edgeq.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.edgeq.backend.Backend;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

/**
 * Central finite-difference check of a layer's backward pass: L = sum(r * forward(x)) for a fixed random r, and the
 * analytic directional derivatives dot(dL/dx, v) and dot(dL/dθ, v) are compared with
 * (L(· + εv) - L(· - εv)) / 2ε along random directions v. Projections on random directions keep float32 rounding
 * small relative to the quantity checked while still exposing a wrong element (it shifts the dot product).
 */
final class GradientCheck {
    static final double EPS = 1e-2;
    private double eps = EPS;

    /** A smaller step for compositions with many max-pool windows, where ±ε must not flip any argmax. */
    GradientCheck withStep(double step) {
        this.eps = step;
        return this;
    }
    static final double REL_TOL = 1e-2;

    private final Backend backend;
    private final Layer layer;
    private final Runnable beforeForward;
    private final Random random = new Random(1234);

    GradientCheck(Backend backend, Layer layer, Runnable beforeForward) {
        this.backend = backend;
        this.layer = layer;
        this.beforeForward = beforeForward;
    }

    GradientCheck(Backend backend, Layer layer) {
        this(backend, layer, () -> { });
    }

    /** Runs the check on input x (F32, batch-first), restoring x and the parameters afterwards. */
    void check(TensorScope scope, Tensor x) {
        this.input = x;
        beforeForward.run();
        Tensor y = layer.forward(x, true);
        float[] r = gaussian((int) y.numel());
        Tensor dy = backend.allocate(scope, DType.F32, y.shape());
        backend.upload(r, dy);
        Tensor dx = layer.backward(dy, true);
        assertNotNull(dx, layer.type() + " returned no input gradient");
        assertEquals(x.shape(), dx.shape(), layer.type() + " input gradient shape");
        float[] dxv = download(dx);
        float[] x0 = download(x);
        for (int trial = 0; trial < 3; trial++) {
            float[] v = gaussian(x0.length);
            double analytic = dot(dxv, v);
            double numeric = directional(x, x0, v, r);
            assertClose(analytic, numeric, layer.type() + " input gradient, direction " + trial);
        }
        backend.upload(x0, x);
        for (Parameter p : layer.parameters()) {
            float[] g = download(p.grad());
            float[] p0 = download(p.value());
            for (int trial = 0; trial < 2; trial++) {
                float[] v = gaussian(p0.length);
                double analytic = dot(g, v);
                double numeric = directional(p.value(), p0, v, r);
                assertClose(analytic, numeric, layer.type() + " gradient of " + p.name() + ", direction " + trial);
            }
            backend.upload(p0, p.value());
        }
    }

    private double directional(Tensor target, float[] base, float[] v, float[] r) {
        return (objective(target, base, v, eps, r) - objective(target, base, v, -eps, r)) / (2 * eps);
    }

    private double objective(Tensor target, float[] base, float[] v, double step, float[] r) {
        float[] moved = new float[base.length];
        for (int i = 0; i < base.length; i++) moved[i] = (float) (base[i] + step * v[i]);
        backend.upload(moved, target);
        beforeForward.run();
        Tensor y = layer.forward(input, true);
        float[] yv = download(y);
        return dot(yv, r);
    }

    private Tensor input;

    static void assertClose(double analytic, double numeric, String what) {
        double scale = Math.max(Math.max(Math.abs(analytic), Math.abs(numeric)), 1e-2);
        assertTrue(Math.abs(analytic - numeric) <= REL_TOL * scale,
                what + ": analytic " + analytic + " vs finite difference " + numeric);
    }

    float[] gaussian(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) random.nextGaussian();
        return v;
    }

    float[] download(Tensor t) {
        float[] a = new float[(int) t.numel()];
        backend.download(t, a);
        return a;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }
}
