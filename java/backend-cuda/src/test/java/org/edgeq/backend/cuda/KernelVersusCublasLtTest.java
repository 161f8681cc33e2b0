package org.edgeq.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;

import org.edgeq.backend.NaiveGemm;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Our GEMM kernels against cuBLASLt and an exact host reference, on square and ragged shapes: int8 (dp4a and
 * tensor-core paths) must equal cuBLASLt's int32 results exactly; fp16 on small integer-valued inputs (exact in
 * half, sums exact in f32) must too; the f32 GEMM of {@link CudaBackend#gemm} with the KERNEL and the CUBLASLT
 * engine must both match a double-precision host reference for every transpose. Tag {@code gpu}; not yet run on a
 * GPU.
 */
@Tag("gpu")
class KernelVersusCublasLtTest {
    /** {m, n, k}; CUBLASLT's int8 path needs n and k multiples of 4, so the ragged ones are ragged in m and in tiles. */
    private static final int[][] SHAPES = {{64, 64, 64}, {1, 4, 4}, {33, 20, 36}, {130, 68, 260}, {257, 124, 100}, {512, 512, 512}};

    private final Random random = new Random(4);
    private CudaBackend backend;
    private TensorScope scope;

    @BeforeEach
    void open() {
        GpuAssumptions.requireCuda();
        backend = (CudaBackend) new CudaBackendProvider().create(1);
        scope = new TensorScope();
        if (Boolean.getBoolean(GpuAssumptions.REQUIRE_PROPERTY)) {
            assertNotNull(backend.device().cublasLt(), "cuBLASLt must be loaded for the kernel-versus-cuBLASLt checks");
        }
        assumeTrue(backend.device().cublasLt() != null, "cuBLASLt is not loaded");
    }

    @AfterEach
    void close() {
        if (scope != null) scope.close();
        if (backend != null) backend.close();
    }

    private Tensor int8(byte[] values, int rows, int cols) {
        Tensor t = backend.allocate(scope, DType.I8, rows, cols);
        backend.uploadBytes(values, t);
        return t;
    }

    private int[] gemmInt8(Tensor a, Tensor b, int m, int n, Int8GemmPath path) {
        Tensor c = backend.allocate(scope, DType.I32, m, n);
        backend.upload(new int[m * n], c);
        backend.gemmInt8(a, b, c, path);
        int[] out = new int[m * n];
        backend.download(c, out);
        return out;
    }

    @Test
    void int8KernelsEqualCublasLtAndTheExactHostProductOnRaggedShapes() {
        for (int[] s : SHAPES) {
            int m = s[0], n = s[1], k = s[2];
            byte[] a = new byte[m * k], b = new byte[n * k];
            random.nextBytes(a);
            random.nextBytes(b);
            a[0] = -128; // the extremes of int8
            b[0] = -128;
            int[] expected = new int[m * n];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    int acc = 0;
                    for (int p = 0; p < k; p++) acc += a[i * k + p] * b[j * k + p];
                    expected[i * n + j] = acc;
                }
            Tensor ta = int8(a, m, k), tb = int8(b, n, k);
            String what = m + "x" + n + "x" + k;
            int[] lt = gemmInt8(ta, tb, m, n, Int8GemmPath.CUBLASLT);
            assertArrayEquals(expected, lt, "cuBLASLt int8 " + what);
            assertArrayEquals(lt, gemmInt8(ta, tb, m, n, Int8GemmPath.DP4A), "dp4a kernel vs cuBLASLt " + what);
            assertArrayEquals(lt, gemmInt8(ta, tb, m, n, Int8GemmPath.TENSOR_CORE), "tensor-core kernel vs cuBLASLt " + what);
        }
    }

    private Tensor half(float[] values, int rows, int cols) {
        Tensor f = backend.allocate(scope, DType.F32, rows, cols);
        backend.upload(values, f);
        Tensor h = backend.allocate(scope, DType.F16, rows, cols);
        backend.convertToHalf(f, h);
        return h;
    }

    private float[] gemmHalf(Tensor a, Tensor b, int m, int n, HalfGemmPath path) {
        Tensor c = backend.allocate(scope, DType.F32, m, n);
        backend.gemmHalf(a, b, c, path);
        float[] out = new float[m * n];
        backend.download(c, out);
        return out;
    }

    @Test
    void fp16KernelEqualsCublasLtExactlyOnIntegerValuedInputs() {
        for (int[] s : SHAPES) {
            int m = s[0], n = s[1], k = s[2];
            // Integers in [-8, 8]: exact in half, products at most 64, sums at most 64 k < 2^24: exact in f32 in any order.
            float[] a = new float[m * k], b = new float[n * k];
            for (int i = 0; i < a.length; i++) a[i] = random.nextInt(17) - 8;
            for (int i = 0; i < b.length; i++) b[i] = random.nextInt(17) - 8;
            float[] expected = new float[m * n];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int p = 0; p < k; p++) acc += (double) a[i * k + p] * b[j * k + p];
                    expected[i * n + j] = (float) acc;
                }
            Tensor ta = half(a, m, k), tb = half(b, n, k);
            String what = m + "x" + n + "x" + k;
            float[] lt = gemmHalf(ta, tb, m, n, HalfGemmPath.CUBLASLT);
            assertArrayEquals(expected, lt, 0f, "cuBLASLt fp16 " + what);
            assertArrayEquals(lt, gemmHalf(ta, tb, m, n, HalfGemmPath.KERNEL), 0f, "fp16 kernel vs cuBLASLt " + what);
        }
    }

    @Test
    void f32GemmWithTheKernelAndWithCublasLtMatchesADoubleReferenceForEveryTranspose() {
        int[][] shapes = {{1, 1, 1}, {3, 17, 33}, {33, 33, 17}, {130, 67, 129}, {256, 256, 256}};
        for (GemmEngine engine : new GemmEngine[] {GemmEngine.KERNEL, GemmEngine.CUBLASLT}) {
            try (CudaBackend b = new CudaBackend(0, engine); TensorScope s = new TensorScope()) {
                for (int[] shape : shapes) {
                    int m = shape[0], n = shape[1], k = shape[2];
                    for (int t = 0; t < 4; t++) {
                        boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                        float[] a = gaussians(m * k), bv = gaussians(k * n), c = gaussians(m * n);
                        Tensor xa = b.allocate(s, DType.F32, ta ? k : m, ta ? m : k);
                        Tensor xb = b.allocate(s, DType.F32, tb ? n : k, tb ? k : n);
                        Tensor xc = b.allocate(s, DType.F32, m, n);
                        b.upload(a, xa);
                        b.upload(bv, xb);
                        b.upload(c, xc);
                        b.gemm(ta, tb, 1.5f, xa, xb, 0.5f, xc);
                        float[] got = new float[m * n];
                        b.download(xc, got);
                        double[] ref = NaiveGemm.reference(ta, tb, m, n, k, 1.5, a, bv, 0.5, c);
                        for (int i = 0; i < m * n; i++) {
                            double want = ref[i];
                            assertEquals(want, got[i], 1e-4 * Math.max(1, Math.sqrt(k)) * Math.max(1, Math.abs(want)),
                                    engine + " gemm " + m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb + " at " + i / n + "," + i % n);
                        }
                    }
                }
            }
        }
    }

    private float[] gaussians(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) random.nextGaussian();
        return v;
    }
}
