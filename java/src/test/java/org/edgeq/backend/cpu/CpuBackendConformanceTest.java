package org.edgeq.backend.cpu;

import org.edgeq.backend.Backend;
import org.edgeq.backend.BackendConformanceTest;
import org.edgeq.backend.Backends;
import org.edgeq.backend.ConvGeometry;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the conformance suite on the CPU backend, plus the CPU's promise that thread count never changes a bit. */
class CpuBackendConformanceTest extends BackendConformanceTest {

    @Override
    protected Backend createBackend() {
        return new CpuBackend(3);
    }

    private static float[] randoms(long seed, int n) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    /** conv2dBackward outputs and reductions computed with the given thread count. */
    private static float[][] runWithThreads(int threads) {
        // Several weight-gradient tiles and sample blocks, and a batch that does not divide among the threads.
        ConvGeometry g = new ConvGeometry(19, 9, 10, 9, 70, 3, 1, 1);
        try (TensorScope scope = new TensorScope(); CpuBackend b = new CpuBackend(threads)) {
            Tensor x = Tensor.of(scope, randoms(1, 19 * 9 * 10 * 9), 19, 9, 10, 9);
            Tensor w = Tensor.of(scope, randoms(2, 70 * 9 * 9), 70, 9, 3, 3);
            Tensor dy = Tensor.of(scope, randoms(3, 19 * 70 * 10 * 9), 19, 70, 10, 9);
            Tensor dx = b.allocate(scope, DType.F32, 19, 9, 10, 9), dw = b.allocate(scope, DType.F32, 70, 9, 3, 3);
            Tensor db = b.allocate(scope, DType.F32, 70);
            Tensor ws = b.allocate(scope, DType.F32, (int) b.conv2dWorkspaceFloats(g));
            b.conv2dBackward(x, w, dy, dx, dw, db, g, ws);
            Tensor big = Tensor.of(scope, randoms(4, 100_003), 100_003);
            Tensor grads = Tensor.of(scope, randoms(6, 100_003), 100_003);
            Tensor step = Tensor.of(scope, new float[]{0.05f}, 1), lsq = b.allocate(scope, DType.F32, 1);
            Tensor zero = b.allocate(scope, DType.I32, 1);
            b.fakeQuantizeLsqBackward(big, grads, null, step, zero, -7, 7, 1f, lsq);
            float[] sums = {(float) b.sum(big), (float) (b.sum(big) * 1e6 % 1), (float) b.sumOfSquares(big), lsq.getFloat(0)};
            Tensor bn = Tensor.of(scope, randoms(5, 64 * 8 * 5 * 5), 64, 8, 5, 5), y = b.allocate(scope, DType.F32, 64, 8, 5, 5);
            Tensor ones = Tensor.of(scope, new float[]{1, 1, 1, 1, 1, 1, 1, 1}, 8);
            Tensor z = b.allocate(scope, DType.F32, 8), rm = b.allocate(scope, DType.F32, 8), rv = b.allocate(scope, DType.F32, 8);
            Tensor sm = b.allocate(scope, DType.F32, 8), si = b.allocate(scope, DType.F32, 8);
            b.batchNorm(bn, y, ones, z, rm, rv, sm, si, true, 0.1f, 1e-5f);
            // A 3x3 "same" convolution with 16+ channels (the Winograd path): forward, input and weight gradients.
            ConvGeometry wg = new ConvGeometry(19, 16, 6, 4, 20, 3, 1, 1);
            Tensor wx = Tensor.of(scope, randoms(7, 19 * 16 * 6 * 4), 19, 16, 6, 4);
            Tensor ww = Tensor.of(scope, randoms(8, 20 * 16 * 9), 20, 16, 3, 3);
            Tensor wdy = Tensor.of(scope, randoms(9, 19 * 20 * 6 * 4), 19, 20, 6, 4);
            Tensor wy = b.allocate(scope, DType.F32, 19, 20, 6, 4), wdx = b.allocate(scope, DType.F32, 19, 16, 6, 4);
            Tensor wws = b.allocate(scope, DType.F32, (int) b.conv2dWorkspaceFloats(wg));
            b.conv2d(wx, ww, null, wy, wg, wws);
            Tensor wdw = b.allocate(scope, DType.F32, 20, 16, 3, 3);
            b.conv2dBackward(wx, ww, wdy, wdx, wdw, null, wg, wws);
            return new float[][]{dx.toFloatArray(), dw.toFloatArray(), db.toFloatArray(), sums, y.toFloatArray(), rv.toFloatArray(),
                    wy.toFloatArray(), wdx.toFloatArray(), wdw.toFloatArray()};
        }
    }

    @Test
    void oneAndTwoThreadsGiveBitIdenticalGradientsAndReductions() {
        float[][] one = runWithThreads(1), two = runWithThreads(2), three = runWithThreads(3);
        for (int i = 0; i < one.length; i++) {
            assertArrayEquals(one[i], two[i], "output " + i + " with 1 vs 2 threads");
            assertArrayEquals(one[i], three[i], "output " + i + " with 1 vs 3 threads");
        }
    }

    @Test
    void providerIsFoundByNameAndUsesAllCoresForNonPositiveThreads() {
        Backends.Choice choice = Backends.choose("cpu");
        assertEquals("cpu", choice.provider().name());
        assertEquals(0, choice.provider().rank());
        assertTrue(choice.provider().unavailableReason().isEmpty());
        try (Backend b = choice.provider().create(0)) {
            assertEquals("cpu", b.name());
            assertTrue(b.description().contains(Runtime.getRuntime().availableProcessors() + " thread"), b.description());
        }
    }
}
