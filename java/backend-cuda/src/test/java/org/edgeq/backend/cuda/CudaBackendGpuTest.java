package org.edgeq.backend.cuda;

import org.edgeq.backend.NaiveGemm;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CudaBackend's own machinery on a real device (skipped where CUDA cannot run, which is everywhere it has been run
 * so far): memory round trips, every GEMM engine and path against exact host loops, half conversions, the
 * out-of-memory path, event timing. The Backend operations themselves are the conformance suite's job.
 */
@Tag("gpu")
class CudaBackendGpuTest {
    private static boolean cublasLt;

    // Per test, not @BeforeAll: a skipped container reports no tests at all, and each test should say it was skipped.
    @BeforeEach
    void requireDevice() {
        GpuAssumptions.requireCuda(); // skips here with the provider's reason; fails under -P gpu instead
        CudaEnvironment env = CudaEnvironment.probe();
        cublasLt = env.cublasLt() instanceof CudaLibraries.Status.Loaded;
    }

    private static List<GemmEngine> engines() {
        List<GemmEngine> engines = new ArrayList<>(List.of(GemmEngine.KERNEL, GemmEngine.AUTO));
        if (cublasLt) engines.add(GemmEngine.CUBLASLT);
        return engines;
    }

    /** Small integers, so every engine's f32 result is exact whatever its summation order. */
    private static float[] integers(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = random.nextInt(9) - 4;
        return a;
    }

    @Test
    void memoryRoundTripsAndHostTensorsAreRefused() {
        try (CudaBackend backend = new CudaBackend(0); TensorScope scope = new TensorScope()) {
            assertTrue(backend.description().contains("compute capability"), backend.description());
            Tensor t = backend.allocate(scope, DType.F32, 3, 5);
            float[] zeros = new float[15];
            backend.download(t, zeros);
            assertArrayEquals(new float[15], zeros, "allocate zeroes");
            float[] values = integers(new Random(1), 15);
            backend.upload(values, t);
            float[] back = new float[15];
            backend.download(t, back);
            assertArrayEquals(values, back);
            Tensor host = Tensor.of(scope, values, 3, 5);
            assertThrows(IllegalArgumentException.class, () -> backend.copy(host, t));
        }
    }

    @Test
    void everyGemmEngineMatchesExactHostLoopsForEveryTranspose() {
        Random random = new Random(2);
        int m = 67, n = 45, k = 131;
        for (GemmEngine engine : engines()) {
            try (CudaBackend backend = new CudaBackend(0, engine); TensorScope scope = new TensorScope()) {
                for (boolean ta : new boolean[]{false, true}) {
                    for (boolean tb : new boolean[]{false, true}) {
                        float[] a = integers(random, m * k), b = integers(random, k * n), c0 = integers(random, m * n);
                        Tensor ta2 = backend.allocate(scope, DType.F32, ta ? k : m, ta ? m : k);
                        Tensor tb2 = backend.allocate(scope, DType.F32, tb ? n : k, tb ? k : n);
                        Tensor tc = backend.allocate(scope, DType.F32, m, n);
                        backend.upload(a, ta2);
                        backend.upload(b, tb2);
                        backend.upload(c0, tc);
                        backend.gemm(ta, tb, 0.5f, ta2, tb2, 0.25f, tc);
                        float[] got = new float[m * n];
                        backend.download(tc, got);
                        double[] want = NaiveGemm.reference(ta, tb, m, n, k, 0.5, a, b, 0.25, c0);
                        for (int i = 0; i < m * n; i++) {
                            assertEquals(want[i], got[i], 1e-3, engine + " transA=" + ta + " transB=" + tb + " at (" + i / n + ", " + i % n + ")");
                        }
                    }
                }
            }
        }
    }

    @Test
    void int8AndHalfPathsMatchExactHostLoops() {
        Random random = new Random(3);
        int m = 67, n = 48, k = 132;
        byte[] a = new byte[m * k], b = new byte[n * k];
        for (int i = 0; i < a.length; i++) a[i] = (byte) (random.nextInt(256) - 128);
        for (int i = 0; i < b.length; i++) b[i] = (byte) (random.nextInt(256) - 128);
        int[] expected = new int[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
            int acc = 0;
            for (int p = 0; p < k; p++) acc += a[i * k + p] * b[j * k + p];
            expected[i * n + j] = acc;
        }
        try (CudaBackend backend = new CudaBackend(0); TensorScope scope = new TensorScope()) {
            Tensor ta = backend.allocate(scope, DType.I8, m, k), tb = backend.allocate(scope, DType.I8, n, k);
            backend.uploadBytes(a, ta);
            backend.uploadBytes(b, tb);
            for (Int8GemmPath path : Int8GemmPath.values()) {
                if (path == Int8GemmPath.CUBLASLT && !cublasLt) continue;
                Tensor c = backend.allocate(scope, DType.I32, m, n);
                backend.gemmInt8(ta, tb, c, path);
                int[] got = new int[m * n];
                backend.download(c, got);
                assertArrayEquals(expected, got, path.toString());
            }
            // Half: small integers are exact in f16 and in the f32 sums.
            float[] af = integers(random, m * k), bf = integers(random, n * k);
            Tensor fa = backend.allocate(scope, DType.F32, m, k), fb = backend.allocate(scope, DType.F32, n, k);
            backend.upload(af, fa);
            backend.upload(bf, fb);
            Tensor ha = backend.allocate(scope, DType.F16, m, k), hb = backend.allocate(scope, DType.F16, n, k);
            backend.convertToHalf(fa, ha);
            backend.convertToHalf(fb, hb);
            Tensor widened = backend.allocate(scope, DType.F32, m, k);
            backend.convertFromHalf(ha, widened);
            float[] round = new float[m * k];
            backend.download(widened, round);
            assertArrayEquals(af, round, "f32 -> f16 -> f32 of small integers");
            for (HalfGemmPath path : HalfGemmPath.values()) {
                if (path == HalfGemmPath.CUBLASLT && !cublasLt) continue;
                Tensor c = backend.allocate(scope, DType.F32, m, n);
                backend.gemmHalf(ha, hb, c, path);
                float[] got = new float[m * n];
                backend.download(c, got);
                for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int p = 0; p < k; p++) acc += af[i * k + p] * (double) bf[j * k + p];
                    assertEquals(acc, got[i * n + j], 0.0, path + " at (" + i + ", " + j + ")");
                }
            }
        }
    }

    @Test
    void outOfMemoryIsAnExceptionAndTheBackendStaysUsable() {
        try (CudaBackend backend = new CudaBackend(0); TensorScope scope = new TensorScope()) {
            CudaOutOfMemoryException e = assertThrows(CudaOutOfMemoryException.class,
                    () -> backend.allocate(scope, DType.F32, 1 << 30, 1 << 8));
            assertTrue(e.getMessage().contains("free of"), e.getMessage());
            Tensor t = backend.allocate(scope, DType.F32, 4);
            backend.fill(t, 2f);
            assertEquals(8.0, backend.sum(t));
        }
    }

    @Test
    void cudaTimerMeasuresPositiveTime() {
        try (CudaBackend backend = new CudaBackend(0); TensorScope scope = new TensorScope()) {
            Tensor t = backend.allocate(scope, DType.F32, 1 << 20);
            double ms = new CudaTimer(backend).meanMillis(() -> backend.scale(t, 1.0001f), 2, 5);
            assertTrue(ms > 0 && ms < 1000, "ms = " + ms);
        }
    }
}
