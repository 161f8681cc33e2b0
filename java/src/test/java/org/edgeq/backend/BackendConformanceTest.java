package org.edgeq.backend;

import org.edgeq.quant.core.AffineParams;
import org.edgeq.quant.core.IntegerGrid;
import org.edgeq.quant.core.RangeFold;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every {@link Backend} must show, checked against naive double-precision reference loops written
 * here (independent of any backend) and against central finite differences of those references. Subclasses supply
 * the backend; tensors are moved with upload/download only, so device backends run the same suite.
 */
public abstract class BackendConformanceTest {

    protected abstract Backend createBackend();

    protected Backend backend;
    protected TensorScope scope;
    private final Random random = new Random(1234);

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

    // ---- helpers ----

    protected float[] randoms(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (random.nextGaussian());
        return a;
    }

    protected Tensor tensor(float[] values, int... dims) {
        Tensor t = backend.allocate(scope, DType.F32, dims);
        backend.upload(values, t);
        return t;
    }

    protected Tensor ints(int[] values, int... dims) {
        Tensor t = backend.allocate(scope, DType.I32, dims);
        backend.upload(values, t);
        return t;
    }

    protected Tensor zeros(int... dims) {
        return backend.allocate(scope, DType.F32, dims);
    }

    protected float[] read(Tensor t) {
        float[] a = new float[(int) t.numel()];
        backend.download(t, a);
        return a;
    }

    /**
     * Relative tolerance for a double result that the CPU gives bit for bit again when the same reduction runs with
     * other optional outputs (a gradient requested or not). The CPU sums in a fixed order, so 0; a device backend
     * may sum in another order (atomics, other block sizes) and override this with a few ulps. Only such repeated
     * reductions use it: every check against a reference keeps its own tolerance.
     */
    protected double repeatedReductionTolerance() {
        return 0;
    }

    private void assertSameReduction(double first, double again, String what) {
        assertEquals(first, again, repeatedReductionTolerance() * Math.max(1, Math.abs(first)), what);
    }

    /**
     * Whether the backend refuses invalid quantization parameters held in tensors (a non-positive scale, a zero
     * point off the grid). The CPU can read them for free; a device backend would have to wait for the device, so
     * QuantOps leaves them unchecked there.
     */
    protected boolean checksParameterValues() {
        return true;
    }

    // Per-tensor fake quantization with its scale and zero point in one-element tensors, as QuantOps takes them.

    private void fakeQuantize(Tensor x, Tensor y, float s, int z, int qmin, int qmax) {
        backend.fakeQuantize(x, y, tensor(new float[]{s}, 1), ints(new int[]{z}, 1), qmin, qmax);
    }

    private void fakeQuantizeBackward(Tensor x, Tensor dy, Tensor dx, float s, int z, int qmin, int qmax) {
        backend.fakeQuantizeBackward(x, dy, dx, tensor(new float[]{s}, 1), ints(new int[]{z}, 1), qmin, qmax);
    }

    /** The step-size gradient the backend writes, read back. */
    private double fakeQuantizeLsqBackward(Tensor x, Tensor dy, Tensor dx, float s, int z, int qmin, int qmax, float g) {
        Tensor ds = zeros(1);
        backend.fakeQuantizeLsqBackward(x, dy, dx, tensor(new float[]{s}, 1), ints(new int[]{z}, 1), qmin, qmax, g, ds);
        return read(ds)[0];
    }

    /** Reads an I32 tensor back through the SPI, as every backend's own tensors allow. */
    protected int[] readInts(Tensor t) {
        int[] a = new int[(int) t.numel()];
        backend.download(t, a);
        return a;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    private static void assertClose(double[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 0;
        for (double e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(expected[i] - actual[i]);
            if (err > tol * Math.max(1.0, Math.abs(expected[i])) + tol * 0.1 * scale) {
                throw new AssertionError(what + ": element " + i + " expected " + expected[i] + " got " + actual[i]);
            }
        }
    }

    /** Central differences of f at x in double; x is restored afterwards. */
    private static double[] numericGradient(double[] x, ToDoubleFunction<double[]> f) {
        double[] grad = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double old = x[i];
            double h = 1e-6 * Math.max(1.0, Math.abs(old));
            x[i] = old + h;
            double up = f.applyAsDouble(x);
            x[i] = old - h;
            double down = f.applyAsDouble(x);
            x[i] = old;
            grad[i] = (up - down) / (2 * h);
        }
        return grad;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    // ---- naive references ----

    private static double[] refConv(double[] x, double[] w, double[] b, ConvGeometry g) {
        int oh = g.outHeight(), ow = g.outWidth(), k = g.kernel();
        double[] y = new double[g.batch() * g.outChannels() * oh * ow];
        for (int n = 0; n < g.batch(); n++)
            for (int o = 0; o < g.outChannels(); o++)
                for (int yy = 0; yy < oh; yy++)
                    for (int xx = 0; xx < ow; xx++) {
                        double acc = b == null ? 0 : b[o];
                        for (int c = 0; c < g.inChannels(); c++)
                            for (int ki = 0; ki < k; ki++)
                                for (int kj = 0; kj < k; kj++) {
                                    int iy = yy * g.stride() - g.padding() + ki, ix = xx * g.stride() - g.padding() + kj;
                                    if (iy < 0 || iy >= g.height() || ix < 0 || ix >= g.width()) continue;
                                    acc += x[((n * g.inChannels() + c) * g.height() + iy) * g.width() + ix]
                                            * w[((o * g.inChannels() + c) * k + ki) * k + kj];
                                }
                        y[((n * g.outChannels() + o) * oh + yy) * ow + xx] = acc;
                    }
        return y;
    }

    private static double[] refMaxPool(double[] x, PoolGeometry g) {
        int oh = g.outHeight(), ow = g.outWidth();
        double[] y = new double[g.batch() * g.channels() * oh * ow];
        int i = 0;
        for (int p = 0; p < g.batch() * g.channels(); p++)
            for (int yy = 0; yy < oh; yy++)
                for (int xx = 0; xx < ow; xx++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int ky = 0; ky < g.window(); ky++)
                        for (int kx = 0; kx < g.window(); kx++)
                            max = Math.max(max, x[(p * g.height() + yy * g.stride() + ky) * g.width() + xx * g.stride() + kx]);
                    y[i++] = max;
                }
        return y;
    }

    /** Training-mode batch norm over [n, c, s]; returns y and fills mean and biased var. */
    private static double[] refBatchNorm(double[] x, double[] gamma, double[] beta, int n, int c, int s, double eps,
                                         double[] mean, double[] var) {
        double[] y = new double[x.length];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int i = 0; i < n; i++) for (int j = 0; j < s; j++) sum += x[(i * c + ch) * s + j];
            double m = sum / (n * s);
            double sq = 0;
            for (int i = 0; i < n; i++) for (int j = 0; j < s; j++) sq += Math.pow(x[(i * c + ch) * s + j] - m, 2);
            double v = sq / (n * s);
            if (mean != null) {
                mean[ch] = m;
                var[ch] = v;
            }
            for (int i = 0; i < n; i++)
                for (int j = 0; j < s; j++) {
                    int idx = (i * c + ch) * s + j;
                    y[idx] = gamma[ch] * (x[idx] - m) / Math.sqrt(v + eps) + beta[ch];
                }
        }
        return y;
    }

    private static double refCrossEntropy(double[] logits, int[] labels, int k) {
        int n = labels.length;
        double total = 0;
        for (int r = 0; r < n; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) max = Math.max(max, logits[r * k + j]);
            double s = 0;
            for (int j = 0; j < k; j++) s += Math.exp(logits[r * k + j] - max);
            total += Math.log(s) + max - logits[r * k + labels[r]];
        }
        return total / n;
    }

    // ---- GEMM ----

    @Test
    void gemmMatchesNaiveLoopsOnAwkwardShapesForAllTransposes() {
        int[][] shapes = {{1, 1, 1}, {3, 17, 33}, {17, 3, 1}, {33, 33, 17}, {1, 33, 3}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                float[] a = randoms(m * k), b = randoms(k * n), c = randoms(m * n);
                Tensor ta2 = ta ? tensor(a, k, m) : tensor(a, m, k);
                Tensor tb2 = tb ? tensor(b, n, k) : tensor(b, k, n);
                Tensor tc = tensor(c, m, n);
                backend.gemm(ta, tb, 1.5f, ta2, tb2, 0.5f, tc);
                assertClose(NaiveGemm.reference(ta, tb, m, n, k, 1.5, toDouble(a), toDouble(b), 0.5, toDouble(c)), read(tc), 1e-4,
                        "gemm " + m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb);
                float[] nan = new float[m * n];
                java.util.Arrays.fill(nan, Float.NaN);
                backend.upload(nan, tc);
                backend.gemm(ta, tb, 1f, ta2, tb2, 0f, tc);
                assertClose(NaiveGemm.reference(ta, tb, m, n, k, 1, toDouble(a), toDouble(b), 0, null), read(tc), 1e-4, "gemm beta 0 ignores NaN");
            }
        }
    }

    // ---- elementwise and reductions ----

    @Test
    void elementwiseOpsMatchScalarFormulasAcrossSizes() {
        for (int n : new int[]{1, 3, 17, 33, 40_000}) {
            float[] x = randoms(n), y = randoms(n);
            Tensor tx = tensor(x, n), ty = tensor(y, n);
            backend.axpy(0.75f, tx, ty);
            float[] got = read(ty);
            for (int i = 0; i < n; i++) assertEquals(y[i] + 0.75f * x[i], got[i], 1e-5f, "axpy " + i);
            backend.scale(tx, -2f);
            got = read(tx);
            for (int i = 0; i < n; i++) assertEquals(-2f * x[i], got[i], 0f, "scale " + i);
            backend.fill(tx, 3.5f);
            for (float v : read(tx)) assertEquals(3.5f, v);
            backend.upload(x, tx);
            Tensor tz = zeros(n);
            backend.copy(tx, tz);
            assertArrayEquals(x, read(tz));
            backend.relu(tx, tz);
            got = read(tz);
            for (int i = 0; i < n; i++) assertEquals(Math.max(x[i], 0f), got[i]);
            backend.relu(tx, tx);
            assertArrayEquals(got, read(tx), "relu in place");
            Tensor dy = tensor(y, n), dx = zeros(n);
            backend.reluBackward(tz, dy, dx);
            float[] gd = read(dx);
            for (int i = 0; i < n; i++) assertEquals(got[i] > 0 ? y[i] : 0f, gd[i]);
        }
    }

    @Test
    void reductionsAccumulateInDoubleAndDetectNonFiniteValues() {
        for (int n : new int[]{1, 17, 40_000}) {
            float[] x = randoms(n);
            double s = 0, sq = 0;
            for (float v : x) {
                s += v;
                sq += (double) v * v;
            }
            Tensor t = tensor(x, n);
            assertEquals(s, backend.sum(t), 1e-9 * n);
            assertEquals(sq, backend.sumOfSquares(t), 1e-9 * n);
            assertTrue(backend.allFinite(t));
            x[n - 1] = Float.NaN;
            backend.upload(x, t);
            assertFalse(backend.allFinite(t));
            x[n - 1] = Float.NEGATIVE_INFINITY;
            backend.upload(x, t);
            assertFalse(backend.allFinite(t));
        }
        float[] big = new float[1 << 20];
        java.util.Arrays.fill(big, 0.1f);
        assertEquals(0.1f * (double) (1 << 20), backend.sum(tensor(big, big.length)), 1e-6, "sum keeps double precision");
    }

    @Test
    void rowVectorOpsWorkOnNonSquareMatrices() {
        int rows = 17, cols = 33;
        float[] x = randoms(rows * cols), b = randoms(cols), out = randoms(cols);
        Tensor tx = tensor(x, rows, cols), tb = tensor(b, cols), to = tensor(out, cols);
        backend.sumRows(tx, to, 0.5f);
        float[] got = read(to);
        for (int j = 0; j < cols; j++) {
            double s = 0.5 * out[j];
            for (int i = 0; i < rows; i++) s += x[i * cols + j];
            assertEquals(s, got[j], 1e-4);
        }
        backend.sumRows(tx, to, 0f);
        got = read(to);
        for (int j = 0; j < cols; j++) {
            double s = 0;
            for (int i = 0; i < rows; i++) s += x[i * cols + j];
            assertEquals(s, got[j], 1e-4);
        }
        backend.addRowVector(tx, tb);
        got = read(tx);
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) assertEquals(x[i * cols + j] + b[j], got[i * cols + j], 1e-6f);
    }

    // ---- convolution ----

    private static final ConvGeometry[] CONV_CASES = {
            new ConvGeometry(2, 3, 5, 7, 4, 3, 1, 1),
            new ConvGeometry(3, 2, 6, 5, 3, 3, 2, 1),
            new ConvGeometry(2, 3, 4, 4, 5, 1, 1, 0),
            new ConvGeometry(1, 1, 1, 1, 1, 1, 1, 0),
            new ConvGeometry(1, 17, 5, 5, 33, 3, 1, 0),
            new ConvGeometry(3, 1, 7, 6, 2, 5, 2, 2),
            // 3x3 "same" convolutions with 16+ channels (the CPU backend's Winograd path): tiles that do not fill a
            // vector, a single tile, many samples per block, and more channels than one GEMM depth block.
            new ConvGeometry(3, 16, 6, 8, 18, 3, 1, 1),
            new ConvGeometry(5, 20, 4, 4, 16, 3, 1, 1),
            new ConvGeometry(2, 16, 2, 2, 16, 3, 1, 1),
            new ConvGeometry(1, 530, 2, 4, 17, 3, 1, 1),
    };

    @Test
    void conv2dMatchesNaiveLoopsOnAwkwardGeometries() {
        for (ConvGeometry g : CONV_CASES) {
            float[] x = randoms(g.batch() * g.inChannels() * g.height() * g.width());
            float[] w = randoms(g.outChannels() * g.patchSize()), b = randoms(g.outChannels());
            Tensor tx = tensor(x, g.batch(), g.inChannels(), g.height(), g.width());
            Tensor tw = tensor(w, g.outChannels(), g.inChannels(), g.kernel(), g.kernel());
            Tensor ty = zeros(g.batch(), g.outChannels(), g.outHeight(), g.outWidth());
            Tensor ws = zeros((int) backend.conv2dWorkspaceFloats(g));
            backend.conv2d(tx, tw, tensor(b, g.outChannels()), ty, g, ws);
            assertClose(refConv(toDouble(x), toDouble(w), toDouble(b), g), read(ty), 1e-4, "conv2d " + g);
            backend.conv2d(tx, tw, null, ty, g, ws);
            assertClose(refConv(toDouble(x), toDouble(w), null, g), read(ty), 1e-4, "conv2d without bias " + g);
        }
    }

    @Test
    void conv2dBackwardMatchesFiniteDifferences() {
        ConvGeometry[] cases = {
                new ConvGeometry(2, 3, 5, 4, 2, 3, 1, 1),
                new ConvGeometry(2, 2, 6, 5, 3, 3, 2, 1),
                new ConvGeometry(1, 2, 3, 3, 3, 1, 1, 0),
                new ConvGeometry(2, 16, 4, 2, 17, 3, 1, 1),
        };
        for (ConvGeometry g : cases) {
            double[] x = toDouble(randoms(g.batch() * g.inChannels() * g.height() * g.width()));
            double[] w = toDouble(randoms(g.outChannels() * g.patchSize())), b = toDouble(randoms(g.outChannels()));
            double[] r = toDouble(randoms(g.batch() * g.outChannels() * g.outHeight() * g.outWidth()));
            double[] gx = numericGradient(x, v -> dot(refConv(v, w, b, g), r));
            double[] gw = numericGradient(w, v -> dot(refConv(x, v, b, g), r));
            double[] gb = numericGradient(b, v -> dot(refConv(x, w, v, g), r));

            Tensor tx = tensor(toFloat(x), g.batch(), g.inChannels(), g.height(), g.width());
            Tensor tw = tensor(toFloat(w), g.outChannels(), g.inChannels(), g.kernel(), g.kernel());
            Tensor tdy = tensor(toFloat(r), g.batch(), g.outChannels(), g.outHeight(), g.outWidth());
            Tensor dx = tensor(randoms((int) tx.numel()), g.batch(), g.inChannels(), g.height(), g.width());
            Tensor dw = tensor(randoms((int) tw.numel()), g.outChannels(), g.inChannels(), g.kernel(), g.kernel());
            Tensor db = tensor(randoms(g.outChannels()), g.outChannels());
            Tensor ws = zeros((int) backend.conv2dWorkspaceFloats(g));
            backend.conv2dBackward(tx, tw, tdy, dx, dw, db, g, ws);
            assertClose(gx, read(dx), 1e-4, "conv2d dx " + g);
            assertClose(gw, read(dw), 1e-4, "conv2d dWeight " + g);
            assertClose(gb, read(db), 1e-4, "conv2d dBias " + g);
            backend.conv2dBackward(tx, tw, tdy, null, dw, null, g, ws);
            assertClose(gw, read(dw), 1e-4, "conv2d dWeight without dx " + g);
        }
    }

    @Test
    void conv2dWeightGradientSumsEverySampleOfALargeBatch() {
        // Small and large patches (backends may switch kernels on size), several output-channel tiles; 3x3 "same"
        // convolutions with 16+ channels (the CPU's Winograd path) over several sample blocks, with channel counts
        // that are not multiples of 4 and tiles per sample that are not a multiple of the vector length.
        for (ConvGeometry g : new ConvGeometry[]{new ConvGeometry(37, 2, 4, 5, 3, 3, 1, 1), new ConvGeometry(19, 8, 5, 4, 70, 3, 2, 1),
                new ConvGeometry(45, 17, 8, 8, 21, 3, 1, 1), new ConvGeometry(200, 16, 6, 4, 16, 3, 1, 1)}) {
            weightGradientMatchesNaiveSum(g);
        }
    }

    private void weightGradientMatchesNaiveSum(ConvGeometry g) {
        float[] x = randoms(g.batch() * g.inChannels() * g.height() * g.width());
        float[] dy = randoms(g.batch() * g.outChannels() * g.outHeight() * g.outWidth());
        int k = g.kernel(), oh = g.outHeight(), ow = g.outWidth();
        double[] expected = new double[g.outChannels() * g.patchSize()];
        for (int n = 0; n < g.batch(); n++)
            for (int o = 0; o < g.outChannels(); o++)
                for (int c = 0; c < g.inChannels(); c++)
                    for (int ki = 0; ki < k; ki++)
                        for (int kj = 0; kj < k; kj++)
                            for (int yy = 0; yy < oh; yy++)
                                for (int xx = 0; xx < ow; xx++) {
                                    int iy = yy * g.stride() - g.padding() + ki, ix = xx * g.stride() - g.padding() + kj;
                                    if (iy < 0 || iy >= g.height() || ix < 0 || ix >= g.width()) continue;
                                    expected[((o * g.inChannels() + c) * k + ki) * k + kj] +=
                                            (double) dy[((n * g.outChannels() + o) * oh + yy) * ow + xx]
                                                    * x[((n * g.inChannels() + c) * g.height() + iy) * g.width() + ix];
                                }
        Tensor dw = tensor(randoms(g.outChannels() * g.patchSize()), g.outChannels(), g.inChannels(), k, k); // overwritten, not accumulated
        backend.conv2dBackward(tensor(x, g.batch(), g.inChannels(), g.height(), g.width()), zeros(g.outChannels(), g.inChannels(), k, k),
                tensor(dy, g.batch(), g.outChannels(), oh, ow), null, dw, null, g, zeros((int) backend.conv2dWorkspaceFloats(g)));
        assertClose(expected, read(dw), 1e-4, "conv2d dWeight over a large batch " + g);
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }

    // ---- pooling ----

    @Test
    void maxPoolMatchesNaiveLoopsAndRoutesGradientsToTheArgmax() {
        PoolGeometry[] cases = {new PoolGeometry(2, 3, 4, 6, 2, 2), new PoolGeometry(2, 3, 5, 7, 2, 2), new PoolGeometry(1, 2, 7, 5, 3, 2), new PoolGeometry(3, 1, 3, 3, 1, 1)};
        for (PoolGeometry g : cases) {
            int inN = g.batch() * g.channels() * g.height() * g.width();
            int outN = g.batch() * g.channels() * g.outHeight() * g.outWidth();
            double[] x = toDouble(randoms(inN));
            Tensor tx = tensor(toFloat(x), g.batch(), g.channels(), g.height(), g.width());
            Tensor ty = zeros(g.batch(), g.channels(), g.outHeight(), g.outWidth());
            Tensor arg = backend.allocate(scope, DType.I32, outN);
            backend.maxPool2d(tx, ty, arg, g);
            double[] ref = refMaxPool(x, g);
            assertClose(ref, read(ty), 0, "maxPool2d " + g);
            int[] am = readInts(arg);
            for (int i = 0; i < outN; i++) assertEquals(ref[i], x[am[i]], 0, "argmax points at the maximum");

            double[] r = toDouble(randoms(outN));
            double[] gx = numericGradient(x, v -> dot(refMaxPool(v, g), r));
            Tensor dx = tensor(randoms(inN), g.batch(), g.channels(), g.height(), g.width());
            backend.maxPool2dBackward(tensor(toFloat(r), g.batch(), g.channels(), g.outHeight(), g.outWidth()), arg, dx, g);
            assertClose(gx, read(dx), 1e-5, "maxPool2d backward " + g);
        }
    }

    @Test
    void maxPoolPicksTheFirstMaximumAndPropagatesNaN() {
        float nan = Float.NaN;
        // 2x2 stride 2 over a 2x4 plane: windows {1, 5 | 5, 2} and {0, NaN | 3, NaN}.
        PoolGeometry small = new PoolGeometry(1, 1, 2, 4, 2, 2);
        Tensor y = zeros(1, 1, 1, 2), arg = backend.allocate(scope, DType.I32, 2);
        backend.maxPool2d(tensor(new float[]{1, 5, 0, nan, 5, 2, 3, nan}, 1, 1, 2, 4), y, arg, small);
        float[] got = read(y);
        assertEquals(5f, got[0]);
        assertTrue(Float.isNaN(got[1]), "NaN in the window gives NaN");
        assertArrayEquals(new int[]{1, 3}, readInts(arg), "first maximum, first NaN");
        // 3x3 windows over two channels: a tie for the maximum, and NaNs (flat indices count across channels).
        PoolGeometry big = new PoolGeometry(1, 2, 3, 3, 3, 3);
        Tensor y2 = zeros(1, 2, 1, 1), arg2 = backend.allocate(scope, DType.I32, 2);
        backend.maxPool2d(tensor(new float[]{1, 7, 7, 2, 3, 4, 7, 0, 1, 1, 2, nan, 4, nan, 9, 0, 0, 0}, 1, 2, 3, 3), y2, arg2, big);
        got = read(y2);
        assertEquals(7f, got[0]);
        assertTrue(Float.isNaN(got[1]));
        assertArrayEquals(new int[]{1, 11}, readInts(arg2));
    }

    // ---- batch norm ----

    @Test
    void batchNormTrainingMatchesReferenceAndUpdatesRunningStatsLikePyTorch() {
        int[][] shapes = {{5, 3}, {3, 2, 3, 5}, {1, 4, 1, 1}};
        for (int[] shape : shapes) {
            int n = shape[0], c = shape[1], s = shape.length == 4 ? shape[2] * shape[3] : 1;
            if (n * s < 2) continue;
            double[] x = toDouble(randoms(n * c * s));
            double[] gamma = toDouble(randoms(c)), beta = toDouble(randoms(c));
            float[] rm0 = randoms(c), rv0 = new float[c];
            for (int i = 0; i < c; i++) rv0[i] = 0.5f + i;
            Tensor tx = tensor(toFloat(x), shape), ty = zeros(shape);
            Tensor rm = tensor(rm0, c), rv = tensor(rv0, c), sm = zeros(c), si = zeros(c);
            Tensor tg = tensor(toFloat(gamma), c), tb = tensor(toFloat(beta), c);
            float momentum = 0.1f, eps = 1e-5f;
            backend.batchNorm(tx, ty, tg, tb, rm, rv, sm, si, true, momentum, eps);
            double[] mean = new double[c], var = new double[c];
            double[] ref = refBatchNorm(x, gamma, beta, n, c, s, eps, mean, var);
            assertClose(ref, read(ty), 1e-4, "batchNorm training y " + java.util.Arrays.toString(shape));
            double[] expRm = new double[c], expRv = new double[c], expSi = new double[c];
            int count = n * s;
            for (int i = 0; i < c; i++) {
                expRm[i] = (1 - momentum) * rm0[i] + momentum * mean[i];
                expRv[i] = (1 - momentum) * rv0[i] + momentum * var[i] * count / (count - 1);
                expSi[i] = 1 / Math.sqrt(var[i] + eps);
            }
            assertClose(expRm, read(rm), 1e-5, "running mean");
            assertClose(expRv, read(rv), 1e-5, "running var (unbiased)");
            assertClose(mean, read(sm), 1e-5, "saved mean");
            assertClose(expSi, read(si), 1e-4, "saved inverse std");

            // Inference uses the running statistics and leaves the save buffers alone.
            float[] rmNow = read(rm), rvNow = read(rv), smNow = read(sm);
            backend.batchNorm(tx, ty, tg, tb, rm, rv, sm, si, false, momentum, eps);
            double[] inf = new double[x.length];
            for (int i = 0; i < n; i++)
                for (int ch = 0; ch < c; ch++)
                    for (int j = 0; j < s; j++) {
                        int idx = (i * c + ch) * s + j;
                        inf[idx] = gamma[ch] * (x[idx] - rmNow[ch]) / Math.sqrt(rvNow[ch] + eps) + beta[ch];
                    }
            assertClose(inf, read(ty), 1e-4, "batchNorm inference");
            assertArrayEquals(rmNow, read(rm));
            assertArrayEquals(rvNow, read(rv));
            assertArrayEquals(smNow, read(sm));
        }
    }

    @Test
    void batchNormBackwardMatchesFiniteDifferences() {
        int[][] shapes = {{5, 3}, {3, 2, 3, 5}};
        for (int[] shape : shapes) {
            int n = shape[0], c = shape[1], s = shape.length == 4 ? shape[2] * shape[3] : 1;
            double eps = 1e-5;
            double[] x = toDouble(randoms(n * c * s)), gamma = toDouble(randoms(c)), beta = toDouble(randoms(c));
            double[] r = toDouble(randoms(x.length));
            double[] gx = numericGradient(x, v -> dot(refBatchNorm(v, gamma, beta, n, c, s, eps, null, null), r));
            double[] gg = numericGradient(gamma, v -> dot(refBatchNorm(x, v, beta, n, c, s, eps, null, null), r));
            double[] gb = numericGradient(beta, v -> dot(refBatchNorm(x, gamma, v, n, c, s, eps, null, null), r));
            Tensor tx = tensor(toFloat(x), shape), ty = zeros(shape), tg = tensor(toFloat(gamma), c);
            Tensor sm = zeros(c), si = zeros(c), rm = zeros(c), rv = zeros(c);
            backend.batchNorm(tx, ty, tg, tensor(toFloat(beta), c), rm, rv, sm, si, true, 0.1f, (float) eps);
            Tensor dx = zeros(shape), dg = zeros(c), db = zeros(c);
            backend.batchNormBackward(tx, tensor(toFloat(r), shape), tg, sm, si, dx, dg, db);
            assertClose(gx, read(dx), 2e-3, "batchNorm dx " + java.util.Arrays.toString(shape));
            assertClose(gg, read(dg), 1e-4, "batchNorm dGamma");
            assertClose(gb, read(db), 1e-4, "batchNorm dBeta");
        }
    }

    // ---- dropout ----

    @Test
    void dropoutKeepsAboutOneMinusPAndScalesByInverseKeepProbability() {
        int n = 100_000;
        float p = 0.3f;
        Tensor x = tensor(randoms(n), n), y = zeros(n), mask = zeros(n);
        backend.dropout(x, y, mask, p, 42L, 0L);
        float[] m = read(mask), xs = read(x), ys = read(y);
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (m[i] != 0f) {
                kept++;
                assertEquals(1f / (1f - p), m[i], 1e-6f);
            }
            assertEquals(xs[i] * m[i], ys[i], 0f);
        }
        for (int i : new int[]{0, 1, 3, 4, 1023, 1024, 1025, 16383, 16384, 65537, n - 1}) {
            float expectedMask = Philox.uniform(42L, i) < p ? 0f : 1f / (1f - p);
            assertEquals(expectedMask, m[i], "element " + i + " follows Philox.uniform(seed, offset + i) < p");
        }
        double expected = n * (1 - p), sigma = Math.sqrt(n * p * (1 - p));
        assertEquals(expected, kept, 5 * sigma, "kept fraction");
    }

    @Test
    void dropoutMaskDependsOnlyOnSeedAndElementIndex() {
        int n = 1000;
        Tensor x = tensor(randoms(n + 37), n + 37), y = zeros(n + 37), whole = zeros(n + 37);
        backend.dropout(x, y, whole, 0.5f, 7L, 100L);
        float[] wholeMask = read(whole);
        Tensor again = zeros(n + 37);
        backend.dropout(x, y, again, 0.5f, 7L, 100L);
        assertArrayEquals(wholeMask, read(again), "same (seed, offset) gives the same mask");

        Tensor part = tensor(randoms(n), n), py = zeros(n), pm = zeros(n);
        backend.dropout(part, py, pm, 0.5f, 7L, 137L);
        float[] partMask = read(pm);
        for (int i = 0; i < n; i++) assertEquals(wholeMask[i + 37], partMask[i], "element " + i + " shifted by the offset");

        backend.dropout(x, y, again, 0.5f, 8L, 100L);
        assertNotEquals(java.util.Arrays.toString(wholeMask), java.util.Arrays.toString(read(again)), "another seed, another mask");
    }

    @Test
    void dropoutBackwardMultipliesByTheMask() {
        int n = 33;
        float[] xv = randoms(n);
        Tensor x = tensor(xv, n), y = zeros(n), mask = zeros(n);
        backend.dropout(x, y, mask, 0.25f, 3L, 0L);
        float[] m = read(mask);
        // y = x * mask is linear, so d(sum(y * r))/dx = r * mask exactly.
        double[] r = toDouble(randoms(n));
        double[] gx = numericGradient(toDouble(xv), v -> {
            double s = 0;
            for (int i = 0; i < n; i++) s += v[i] * m[i] * r[i];
            return s;
        });
        Tensor dy = tensor(toFloat(r), n), dx = zeros(n);
        backend.dropoutBackward(dy, mask, dx);
        assertClose(gx, read(dx), 1e-6, "dropout backward");
        backend.dropoutBackward(dy, mask, dy);
        assertClose(gx, read(dy), 1e-6, "dropout backward in place");
    }

    @Test
    void reluBackwardMatchesFiniteDifferencesAwayFromZero() {
        int n = 17;
        double[] x = toDouble(randoms(n));
        for (int i = 0; i < n; i++) if (Math.abs(x[i]) < 1e-3) x[i] = 0.5;
        double[] r = toDouble(randoms(n));
        double[] gx = numericGradient(x, v -> {
            double s = 0;
            for (int i = 0; i < n; i++) s += Math.max(v[i], 0) * r[i];
            return s;
        });
        Tensor tx = tensor(toFloat(x), n), ty = zeros(n), dx = zeros(n);
        backend.relu(tx, ty);
        backend.reluBackward(ty, tensor(toFloat(r), n), dx);
        assertClose(gx, read(dx), 1e-6, "relu backward");
    }

    // ---- losses ----

    @Test
    void softmaxCrossEntropyMatchesReferenceAndFiniteDifferences() {
        int[][] shapes = {{1, 1}, {3, 17}, {17, 3}, {4, 10}};
        for (int[] s : shapes) {
            int n = s[0], k = s[1];
            double[] logits = toDouble(randoms(n * k));
            logits[0] += 50; // stability: a large logit must not overflow
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) labels[i] = random.nextInt(k);
            Tensor tl = tensor(toFloat(logits), n, k), lab = ints(labels, n), d = zeros(n, k);
            double loss = backend.softmaxCrossEntropy(tl, lab, d);
            assertEquals(refCrossEntropy(logits, labels, k), loss, 1e-5 * Math.max(1, loss), "loss " + n + "x" + k);
            double[] g = numericGradient(logits, v -> refCrossEntropy(v, labels, k));
            assertClose(g, read(d), 1e-4, "softmax cross-entropy gradient " + n + "x" + k);
            assertSameReduction(loss, backend.softmaxCrossEntropy(tl, lab, null), "no gradient requested");
        }
    }

    @Test
    void softmaxCrossEntropyRejectsLabelsOutsideTheClasses() {
        Tensor logits = tensor(randoms(6), 2, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> backend.softmaxCrossEntropy(logits, ints(new int[]{0, 3}, 2), null));
        assertTrue(e.getMessage().contains("softmaxCrossEntropy"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> backend.softmaxCrossEntropy(logits, ints(new int[]{-1, 0}, 2), null));
    }

    @Test
    void argmaxRowsPicksTheLargestColumnOfEachRow() {
        int n = 17, k = 33;
        float[] x = randoms(n * k);
        Tensor out = backend.allocate(scope, DType.I32, n);
        backend.argmaxRows(tensor(x, n, k), out);
        int[] got = readInts(out);
        for (int r = 0; r < n; r++) {
            int best = 0;
            for (int j = 1; j < k; j++) if (x[r * k + j] > x[r * k + best]) best = j;
            assertEquals(best, got[r], "row " + r);
        }
    }

    @Test
    void meanSquaredErrorMatchesReferenceAndFiniteDifferences() {
        int n = 3, k = 17;
        double[] pred = toDouble(randoms(n * k)), target = toDouble(randoms(n * k));
        ToDoubleFunction<double[]> mse = v -> {
            double s = 0;
            for (int i = 0; i < v.length; i++) s += (v[i] - target[i]) * (v[i] - target[i]);
            return s / v.length;
        };
        Tensor d = zeros(n, k);
        double loss = backend.meanSquaredError(tensor(toFloat(pred), n, k), tensor(toFloat(target), n, k), d);
        assertEquals(mse.applyAsDouble(pred), loss, 1e-6);
        assertClose(numericGradient(pred, mse), read(d), 1e-5, "mse gradient");
    }

    // ---- optimisers ----

    @Test
    void adamMatchesHandComputedTwoStepExample() {
        // w = 1, gradients 0.5 then -0.25, lr 0.1, betas (0.9, 0.999), eps 1e-8; worked by hand:
        // step 1: m = 0.05, v = 0.00025, m^ = 0.5, v^ = 0.25 -> w = 1 - 0.1 * 0.5 / (0.5 + 1e-8) = 0.900000002
        // step 2: m = 0.02, v = 0.00031225, m^ = 0.02 / 0.19, v^ = 0.00031225 / 0.001999 -> w = 0.8733662987
        assertAdamTwoSteps(0f, false, 0.900000002, 0.8733662987);
        // L2 (PyTorch Adam weight_decay 0.1): gradient += 0.1 * w before the moments.
        assertAdamTwoSteps(0.1f, false, 0.9000000017, 0.8544413675);
        // AdamW: w *= 1 - lr * wd first, moments from the raw gradient.
        assertAdamTwoSteps(0.1f, true, 0.890000002, 0.8544662987);
    }

    /** lr 0.1, betas (0.9, 0.999), eps 1e-8. */
    private void assertAdamTwoSteps(float weightDecay, boolean decoupled, double afterOne, double afterTwo) {
        String config = "weightDecay " + weightDecay + " decoupled " + decoupled;
        Tensor w = tensor(new float[]{1f, 1f, 1f}, 3), g = zeros(3), m = zeros(3), v = zeros(3);
        backend.upload(new float[]{0.5f, 0.5f, 0.5f}, g);
        backend.adamStep(w, g, m, v, 0.1f, 0.9f, 0.999f, 1e-8f, weightDecay, decoupled, 1);
        for (float x : read(w)) assertEquals(afterOne, x, 1e-6, "after step 1 " + config);
        backend.upload(new float[]{-0.25f, -0.25f, -0.25f}, g);
        backend.adamStep(w, g, m, v, 0.1f, 0.9f, 0.999f, 1e-8f, weightDecay, decoupled, 2);
        for (float x : read(w)) assertEquals(afterTwo, x, 1e-6, "after step 2 " + config);
    }

    @Test
    void sgdMomentumFollowsPyTorchFormulation() {
        for (boolean nesterov : new boolean[]{false, true}) {
            Tensor w = tensor(new float[]{1f, -2f}, 2), g = tensor(new float[]{0.5f, 0.25f}, 2), vel = zeros(2);
            double[] ew = {1, -2}, ev = {0, 0}, eg = {0.5, 0.25};
            for (int step = 0; step < 2; step++) {
                backend.sgdStep(w, g, vel, 0.1f, 0.9f, 0.01f, nesterov);
                for (int i = 0; i < 2; i++) {
                    double gi = eg[i] + 0.01 * ew[i];
                    ev[i] = 0.9 * ev[i] + gi;
                    ew[i] -= 0.1 * (nesterov ? gi + 0.9 * ev[i] : ev[i]);
                }
            }
            assertClose(ew, read(w), 1e-6, "sgd weights nesterov=" + nesterov);
            assertClose(ev, read(vel), 1e-6, "sgd velocity nesterov=" + nesterov);
        }
    }

    // ---- contract errors ----

    @Test
    void shapeMismatchesThrowNamingTheOperation() {
        Tensor a = zeros(3, 4), b = zeros(5, 6), c = zeros(3, 6), v3 = zeros(3), v4 = zeros(4);
        assertThrowsNaming("gemm", () -> backend.gemm(false, false, 1f, a, b, 0f, c));
        assertThrowsNaming("axpy", () -> backend.axpy(1f, v3, v4));
        assertThrowsNaming("addRowVector", () -> backend.addRowVector(a, v3));
        assertThrowsNaming("relu", () -> backend.relu(v3, v4));
        ConvGeometry g = new ConvGeometry(1, 2, 4, 4, 3, 3, 1, 1);
        Tensor ws = zeros((int) backend.conv2dWorkspaceFloats(g));
        assertThrowsNaming("conv2d", () -> backend.conv2d(zeros(1, 3, 4, 4), zeros(3, 2, 3, 3), null, zeros(1, 3, 4, 4), g, ws));
        assertThrowsNaming("conv2d", () -> backend.conv2d(zeros(1, 2, 4, 4), zeros(3, 2, 3, 3), null, zeros(1, 3, 4, 4), g, zeros(1)));
        assertThrowsNaming("maxPool2d", () -> backend.maxPool2d(zeros(1, 1, 4, 4), zeros(1, 1, 3, 3),
                backend.allocate(scope, DType.I32, 9), new PoolGeometry(1, 1, 4, 4, 2, 2)));
        assertThrowsNaming("batchNorm", () -> backend.batchNorm(zeros(2, 3), zeros(2, 3), v4, v3, v3, v3, v3, v3, true, 0.1f, 1e-5f));
        assertThrowsNaming("meanSquaredError", () -> backend.meanSquaredError(v3, v4, null));
        assertThrowsNaming("adamStep", () -> backend.adamStep(v3, v4, v3, v3, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false, 1));
        assertThrowsNaming("softmaxCrossEntropy", () -> backend.softmaxCrossEntropy(a, backend.allocate(scope, DType.F32, 3), null));
    }

    private static void assertThrowsNaming(String op, org.junit.jupiter.api.function.Executable call) {
        var e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(op), "message should name " + op + ": " + e.getMessage());
    }

    @Test
    void useAfterScopeCloseThrowsIllegalState() {
        TensorScope other = new TensorScope();
        Tensor t = backend.allocate(other, DType.F32, 4);
        other.close();
        assertThrows(IllegalStateException.class, () -> backend.fill(t, 1f));
        assertThrows(IllegalStateException.class, () -> backend.sum(t));
        assertThrows(IllegalStateException.class, () -> backend.allocate(other, DType.F32, 4));
    }

    // ---- quantization ----

    /** Naive fake quantization in the SPI's words: code = clamp(rint(x * (1f / s)) + z), y = (code - z) * s. */
    private static float refFakeQuant(float x, float s, int z, int qmin, int qmax) {
        double r = Math.rint(x * (1f / s));
        double q = Math.min(Math.max(r + z, qmin), qmax);
        return (float) ((q - z) * s);
    }

    private static boolean refInRange(float x, float s, int z, int qmin, int qmax) {
        double r = Math.rint(x * (1f / s)) + z;
        return r >= qmin && r <= qmax;
    }

    /** LSQ's dy/ds for one element. */
    private static double refLsqSlope(float x, float s, int z, int qmin, int qmax) {
        double r = Math.rint(x * (1f / s));
        if (r + z < qmin) return qmin - z;
        if (r + z > qmax) return qmax - z;
        return r - (double) (x * (1f / s));
    }

    @Test
    void fakeQuantizeMatchesHandWorkedExampleWithHalfToEvenRounding() {
        // s = 0.5, z = 2, codes 0..7: x / s = -4, -0.6, 0.5, 1.5, 2.6, 4.8, 10, 2.5
        Tensor x = tensor(new float[]{-2f, -0.3f, 0.25f, 0.75f, 1.3f, 2.4f, 5f, 1.25f}, 8);
        Tensor y = zeros(8);
        fakeQuantize(x, y, 0.5f, 2, 0, 7);
        assertArrayEquals(new float[]{-1f, -0.5f, 0f, 1f, 1.5f, 2.5f, 2.5f, 1f}, read(y), 0f);
        Tensor dy = tensor(new float[]{1, 2, 3, 4, 5, 6, 7, 8}, 8), dx = zeros(8);
        fakeQuantizeBackward(x, dy, dx, 0.5f, 2, 0, 7);
        assertArrayEquals(new float[]{0, 2, 3, 4, 5, 6, 0, 8}, read(dx), 0f);
    }

    @Test
    void fakeQuantizeMatchesNaiveLoopsAcrossSizesAndIsIdempotent() {
        for (int n : new int[]{1, 7, 16, 33, 40_003}) {
            float[] xv = randoms(n);
            for (int i = 0; i < n; i += 5) xv[i] *= 4f; // push some values past the clipping range
            float s = 0.037f;
            int z = -3, qmin = -128, qmax = 127;
            Tensor x = tensor(xv, n), y = zeros(n), yy = zeros(n);
            fakeQuantize(x, y, s, z, qmin, qmax);
            float[] got = read(y);
            for (int i = 0; i < n; i++) assertEquals(refFakeQuant(xv[i], s, z, qmin, qmax), got[i], 0f, "n=" + n + " element " + i);
            fakeQuantize(y, yy, s, z, qmin, qmax);
            assertArrayEquals(got, read(yy), 0f, "fake quantization is idempotent");
            fakeQuantize(x, x, s, z, qmin, qmax);
            assertArrayEquals(got, read(x), 0f, "in place");
        }
    }

    @Test
    void fakeQuantizeStraightThroughGradientEqualsTheAnalyticOne() {
        // The STE treats rounding as the identity, so the forward it differentiates is clamp(x / s, lo, hi) * s
        // (lo, hi the code range relative to z). Its finite-difference gradient, away from the clip points, is the
        // gradient the backend must return.
        int n = 301, z = 1, qmin = -8, qmax = 7;
        float s = 0.25f;
        double lo = qmin - z, hi = qmax - z;
        float[] xv = randoms(n), gv = randoms(n);
        for (int i = 0; i < n; i++) {
            xv[i] *= 1.5f;
            double v = xv[i] / s;
            if (Math.abs(v - (lo - 0.5)) < 0.1 || Math.abs(v - (hi + 0.5)) < 0.1) xv[i] += 0.1f; // off the kinks
        }
        double[] xd = toDouble(xv);
        ToDoubleFunction<double[]> surrogate = a -> {
            double l = 0;
            for (int i = 0; i < n; i++) l += gv[i] * Math.min(Math.max(a[i] / s, lo - 0.5), hi + 0.5) * s;
            return l;
        };
        double[] numeric = numericGradient(xd, surrogate);
        Tensor x = tensor(xv, n), dy = tensor(gv, n), dx = zeros(n);
        fakeQuantizeBackward(x, dy, dx, s, z, qmin, qmax);
        assertClose(numeric, read(dx), 1e-6, "STE gradient");
        fakeQuantizeBackward(x, dy, dy, s, z, qmin, qmax);
        assertArrayEquals(read(dx), read(dy), 0f, "dx may be dy");
    }

    @Test
    void perChannelFakeQuantizeUsesEachChannelsScaleAndZeroPoint() {
        int c = 5, inner = 37;
        float[] xv = randoms(c * inner), gv = randoms(c * inner);
        float[] sv = {0.1f, 0.02f, 0.5f, 0.07f, 1f};
        int[] zv = {0, -2, 3, 0, 1};
        int qmin = -8, qmax = 7;
        Tensor x = tensor(xv, c, inner / 37, 37), y = zeros(c, 1, 37), dy = tensor(gv, c, 1, 37), dx = zeros(c, 1, 37);
        Tensor scales = tensor(sv, c), zps = ints(zv, c);
        backend.fakeQuantizePerChannel(x, y, scales, zps, qmin, qmax);
        backend.fakeQuantizePerChannelBackward(x, dy, dx, scales, zps, qmin, qmax);
        float[] got = read(y), grad = read(dx);
        for (int i = 0; i < c * inner; i++) {
            int ch = i / inner;
            assertEquals(refFakeQuant(xv[i], sv[ch], zv[ch], qmin, qmax), got[i], 0f, "element " + i);
            assertEquals(refInRange(xv[i], sv[ch], zv[ch], qmin, qmax) ? gv[i] : 0f, grad[i], 0f, "gradient " + i);
        }
    }

    @Test
    void lsqStepSizeGradientMatchesItsFormulaAndFiniteDifferences() {
        int n = 20_011, z = 0, qmin = -8, qmax = 7;
        float s = 0.3f;
        float[] xv = randoms(n), gv = randoms(n);
        double expected = 0;
        for (int i = 0; i < n; i++) expected += gv[i] * refLsqSlope(xv[i], s, z, qmin, qmax);
        float g = (float) (1 / Math.sqrt((double) n * qmax));
        Tensor x = tensor(xv, n), dy = tensor(gv, n), dx = zeros(n);
        double got = fakeQuantizeLsqBackward(x, dy, dx, s, z, qmin, qmax, g);
        assertEquals(g * expected, got, 1e-6 * Math.max(1, Math.abs(g * expected)));
        Tensor ste = zeros(n);
        fakeQuantizeBackward(x, dy, ste, s, z, qmin, qmax);
        assertArrayEquals(read(ste), read(dx), 0f, "LSQ's input gradient is the STE one");
        assertSameReduction(got, fakeQuantizeLsqBackward(x, dy, null, s, z, qmin, qmax, g), "dx may be null");

        // Finite differences in s of LSQ's surrogate: codes fixed at s0 for the rounding residual (what the
        // straight-through estimator ignores), clipping and the scale itself differentiated exactly.
        int m = 200;
        double s0 = s;
        ToDoubleFunction<double[]> surrogate = a -> {
            double l = 0;
            for (int i = 0; i < m; i++) {
                double r = Math.rint(xv[i] / s0) + z;
                double y = r < qmin ? (qmin - z) * a[0] : r > qmax ? (qmax - z) * a[0]
                        : (xv[i] / a[0] + (Math.rint(xv[i] / s0) - xv[i] / s0)) * a[0];
                l += gv[i] * y;
            }
            return l;
        };
        double numeric = numericGradient(new double[]{s0}, surrogate)[0];
        double analytic = fakeQuantizeLsqBackward(tensor(java.util.Arrays.copyOf(xv, m), m),
                tensor(java.util.Arrays.copyOf(gv, m), m), null, s, z, qmin, qmax, 1f);
        assertEquals(numeric, analytic, 1e-4 * Math.max(1, Math.abs(numeric)));
    }

    @Test
    void perChannelLsqGradientIsThePerTensorOneOfEachChannel() {
        int c = 3, inner = 50, qmin = 0, qmax = 15;
        float[] xv = randoms(c * inner), gv = randoms(c * inner);
        float[] sv = {0.2f, 0.05f, 0.4f};
        int[] zv = {8, 7, 3};
        Tensor x = tensor(xv, c, inner), dy = tensor(gv, c, inner), dx = zeros(c, inner), ds = zeros(c);
        backend.fakeQuantizePerChannelLsqBackward(x, dy, dx, tensor(sv, c), ints(zv, c), qmin, qmax, 0.5f, ds);
        float[] got = read(ds);
        for (int ch = 0; ch < c; ch++) {
            Tensor xc = tensor(java.util.Arrays.copyOfRange(xv, ch * inner, (ch + 1) * inner), inner);
            Tensor gc = tensor(java.util.Arrays.copyOfRange(gv, ch * inner, (ch + 1) * inner), inner);
            double want = fakeQuantizeLsqBackward(xc, gc, null, sv[ch], zv[ch], qmin, qmax, 0.5f);
            assertEquals(want, got[ch], 1e-5 * Math.max(1, Math.abs(want)), "channel " + ch);
        }
    }

    @Test
    void minMaxFindsTheExtremesOfTheTensorAndOfEachChannel() {
        int n = 50_001;
        float[] xv = randoms(n);
        xv[40_000] = 9.5f;
        xv[3] = -8.25f;
        float[] out = new float[2];
        backend.minMax(tensor(xv, n), out);
        assertEquals(-8.25f, out[0]);
        assertEquals(9.5f, out[1]);
        int c = 4, inner = 33;
        float[] cv = randoms(c * inner);
        Tensor mins = zeros(c), maxs = zeros(c);
        backend.minMaxPerChannel(tensor(cv, c, inner), mins, maxs);
        for (int ch = 0; ch < c; ch++) {
            float mn = Float.POSITIVE_INFINITY, mx = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < inner; j++) {
                mn = Math.min(mn, cv[ch * inner + j]);
                mx = Math.max(mx, cv[ch * inner + j]);
            }
            assertEquals(mn, read(mins)[ch]);
            assertEquals(mx, read(maxs)[ch]);
        }
    }

    @Test
    void fakeQuantizeRejectsBadGridsAndShapesNamingTheOperation() {
        Tensor x = zeros(4), y = zeros(4);
        assertThrowsNaming("fakeQuantize", () -> fakeQuantize(x, y, 1f, 0, 7, -8));
        assertThrowsNaming("fakeQuantize", () -> backend.fakeQuantize(x, y, zeros(2), ints(new int[]{0}, 1), -8, 7));
        assertThrowsNaming("fakeQuantizeBackward", () -> backend.fakeQuantizeBackward(x, y, y, zeros(1), zeros(1), -8, 7));
        assertThrowsNaming("fakeQuantizeLsqBackward", () -> backend.fakeQuantizeLsqBackward(x, y, y, tensor(new float[]{1}, 1),
                ints(new int[]{0}, 1), -8, 7, 1f, zeros(2)));
        assertThrowsNaming("foldExtremes", () -> backend.foldExtremes(zeros(3, 2), zeros(2), zeros(2), RangeFold.RUNNING, 0f, true));
        assertThrowsNaming("affineParams", () -> backend.affineParams(zeros(2), zeros(2), zeros(2), ints(new int[]{0}, 1), 0, 7, false));
    }

    @Test
    void fakeQuantizeRejectsBadParameterValuesWhereTheBackendCanReadThem() {
        Assumptions.assumeTrue(checksParameterValues(), "a device backend leaves parameter values unchecked");
        Tensor x = zeros(4), y = zeros(4);
        assertThrowsNaming("fakeQuantize", () -> fakeQuantize(x, y, 0f, 0, -8, 7));
        assertThrowsNaming("fakeQuantize", () -> fakeQuantize(x, y, 1f, 9, -8, 7));
        assertThrowsNaming("fakeQuantizePerChannel", () -> backend.fakeQuantizePerChannel(zeros(2, 2), zeros(2, 2),
                tensor(new float[]{1f, -1f}, 2), ints(new int[]{0, 0}, 2), -8, 7));
    }

    @Test
    void foldExtremesFoldsEachChannelsExtremesByTheRuleOfRangeFold() {
        int c = 3, inner = 41;
        for (RangeFold fold : RangeFold.values()) {
            float[] run = new float[2 * c];
            Tensor mins = zeros(c), maxs = zeros(c);
            for (int step = 0; step < 3; step++) {
                float[] xv = randoms(c * inner);
                for (int i = 0; i < inner; i++) xv[i] *= step + 1; // channel 0 widens each step
                if (step == 1) xv[2 * inner + 5] = Float.NaN;    // channel 2 diverges once: it keeps its range
                backend.foldExtremes(tensor(xv, c, inner), mins, maxs, fold, 0.25f, step == 0);
                for (int ch = 0; ch < c; ch++) {
                    float mn = Float.POSITIVE_INFINITY, mx = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j < inner; j++) {
                        mn = Math.min(mn, xv[ch * inner + j]);
                        mx = Math.max(mx, xv[ch * inner + j]);
                    }
                    boolean skip = !Float.isFinite(mn) || !Float.isFinite(mx);
                    if (!skip) {
                        float lo = run[2 * ch], hi = run[2 * ch + 1];
                        run[2 * ch] = step == 0 ? mn : switch (fold) {
                            case CURRENT -> mn;
                            case RUNNING -> Math.min(lo, mn);
                            case MOVING_AVERAGE -> lo + 0.25f * (mn - lo);
                        };
                        run[2 * ch + 1] = step == 0 ? mx : switch (fold) {
                            case CURRENT -> mx;
                            case RUNNING -> Math.max(hi, mx);
                            case MOVING_AVERAGE -> hi + 0.25f * (mx - hi);
                        };
                    }
                }
                for (int ch = 0; ch < c; ch++) {
                    assertEquals(run[2 * ch], read(mins)[ch], 0f, fold + " step " + step + " channel " + ch + " min");
                    assertEquals(run[2 * ch + 1], read(maxs)[ch], 0f, fold + " step " + step + " channel " + ch + " max");
                }
            }
        }
    }

    @Test
    void foldExtremesOverTheWholeTensorTakesEveryElementAndStartsAtZeroWhenTheFirstIsNotFinite() {
        int n = 50_001; // several parallel blocks
        float[] xv = randoms(n);
        xv[40_000] = 9.5f;
        xv[3] = -8.25f;
        Tensor mins = tensor(new float[]{7f}, 1), maxs = tensor(new float[]{7f}, 1);
        backend.foldExtremes(tensor(xv, n), mins, maxs, RangeFold.RUNNING, 0f, true);
        assertEquals(-8.25f, read(mins)[0]);
        assertEquals(9.5f, read(maxs)[0]);
        xv[17] = Float.POSITIVE_INFINITY;
        backend.foldExtremes(tensor(xv, n), mins, maxs, RangeFold.CURRENT, 0f, true);
        assertArrayEquals(new float[]{0f, 0f}, new float[]{read(mins)[0], read(maxs)[0]}, 0f,
                "a first tensor that is not finite leaves the range [0, 0]");
    }

    @Test
    void affineParamsFollowTheRuleOfAffineParamsForEveryChannel() {
        float[] lo = {-1f, 0f, -3.5f, 0.25f, -1e30f, -2.5f};
        float[] hi = {1f, 0f, 3.5f, 7.25f, 1e30f, 0.5f};
        int c = lo.length;
        for (boolean symmetric : new boolean[]{false, true}) {
            for (int bits : new int[]{3, 8}) {
                int qmin = IntegerGrid.qmin(bits, symmetric), qmax = IntegerGrid.qmax(bits, symmetric);
                Tensor scales = zeros(c), zps = ints(new int[c], c);
                backend.affineParams(tensor(lo, c), tensor(hi, c), scales, zps, qmin, qmax, symmetric);
                IntegerGrid grid = new IntegerGrid(bits, symmetric);
                for (int ch = 0; ch < c; ch++) {
                    AffineParams want = AffineParams.forRange(lo[ch], hi[ch], grid);
                    assertEquals(want.scale(), read(scales)[ch], 0f, bits + " bits, symmetric " + symmetric + ", channel " + ch);
                    assertEquals(want.zeroPoint(), readInts(zps)[ch], bits + " bits, symmetric " + symmetric + ", channel " + ch);
                }
            }
        }
    }

    @Test
    void observeAndFakeQuantizeGivesExactlyWhatItsThreeOpsGive() {
        for (int c : new int[]{1, 6}) {
            int inner = 129;
            for (RangeFold fold : RangeFold.values()) {
                for (boolean symmetric : new boolean[]{false, true}) {
                    int qmin = IntegerGrid.qmin(4, symmetric), qmax = IntegerGrid.qmax(4, symmetric);
                    Tensor mins = tensor(new float[c], c), maxs = tensor(new float[c], c), mins2 = tensor(new float[c], c);
                    Tensor maxs2 = tensor(new float[c], c), scales = zeros(c), scales2 = zeros(c);
                    Tensor zps = ints(new int[c], c), zps2 = ints(new int[c], c);
                    for (int step = 0; step < 3; step++) {
                        float[] xv = randoms(c * inner);
                        if (step == 1) xv[inner / 2] = Float.NaN; // a channel (or the tensor) skips this fold
                        Tensor x = tensor(xv, c, inner), y = zeros(c, inner), y2 = zeros(c, inner);
                        backend.observeAndFakeQuantize(x, y, mins, maxs, fold, 0.3f, step == 0, scales, zps, qmin, qmax, symmetric);
                        backend.foldExtremes(x, mins2, maxs2, fold, 0.3f, step == 0);
                        backend.affineParams(mins2, maxs2, scales2, zps2, qmin, qmax, symmetric);
                        if (c == 1) {
                            backend.fakeQuantize(x, y2, scales2, zps2, qmin, qmax);
                        } else {
                            backend.fakeQuantizePerChannel(x, y2, scales2, zps2, qmin, qmax);
                        }
                        String what = c + " channels, " + fold + ", symmetric " + symmetric + ", step " + step;
                        assertArrayEquals(read(mins2), read(mins), 0f, "running minima, " + what);
                        assertArrayEquals(read(maxs2), read(maxs), 0f, "running maxima, " + what);
                        assertArrayEquals(read(scales2), read(scales), 0f, "scales, " + what);
                        assertArrayEquals(readInts(zps2), readInts(zps), "zero points, " + what);
                        assertArrayEquals(read(y2), read(y), 0f, "fake-quantized values, " + what);
                    }
                }
            }
        }
    }

    @Test
    void minMaxAgreesWithMathMinAndMaxBitForBitOnSignedZerosInfinitiesAndNaNs() {
        float[] awkward = {-0f, 0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.MAX_VALUE, -Float.MAX_VALUE, 1e-40f, -1e-40f, 3.5f, -3.5f};
        Random r = new Random(29);
        for (int n : new int[]{1, 5, 16, 31, 33, 100, 1000, 40_007}) {
            for (int trial = 0; trial < 6; trial++) {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = trial < 2 ? awkward[r.nextInt(awkward.length)] : trial < 4 ? (r.nextBoolean() ? 0f : -0f) : (float) r.nextGaussian();
                }
                if (trial == 1) v[r.nextInt(n)] = Float.NaN;
                if (trial == 5) v[r.nextInt(n)] = Float.intBitsToFloat(0xffc00001); // a NaN with its sign bit set
                float mn = Float.POSITIVE_INFINITY, mx = Float.NEGATIVE_INFINITY;
                for (float e : v) {
                    mn = Math.min(mn, e);
                    mx = Math.max(mx, e);
                }
                float[] out = new float[2];
                backend.minMax(tensor(v, n), out);
                String what = "n=" + n + " trial " + trial;
                assertEquals(Float.floatToIntBits(mn), Float.floatToIntBits(out[0]), "min, " + what);
                assertEquals(Float.floatToIntBits(mx), Float.floatToIntBits(out[1]), "max, " + what);
                Tensor mins = zeros(2), maxs = zeros(2);
                float[] twice = new float[2 * n];
                System.arraycopy(v, 0, twice, 0, n);
                System.arraycopy(v, 0, twice, n, n);
                backend.minMaxPerChannel(tensor(twice, 2, n), mins, maxs);
                for (int c = 0; c < 2; c++) {
                    assertEquals(Float.floatToIntBits(mn), Float.floatToIntBits(read(mins)[c]), "channel min, " + what);
                    assertEquals(Float.floatToIntBits(mx), Float.floatToIntBits(read(maxs)[c]), "channel max, " + what);
                }
            }
        }
    }

    @Test
    void clampScalesRaisesSmallNegativeAndNanScalesToTheMinimum() {
        Tensor s = tensor(new float[]{1f, 0f, -2f, Float.NaN, 1e-9f, 0.5f}, 6);
        backend.clampScales(s, 1e-7f);
        assertArrayEquals(new float[]{1f, 1e-7f, 1e-7f, 1e-7f, 1e-7f, 0.5f}, read(s), 0f);
    }
}
