package org.edgeq.backend.cuda;

import org.edgeq.backend.ConvGeometry;
import org.edgeq.backend.Philox;
import org.edgeq.backend.PoolGeometry;
import org.edgeq.backend.cpu.CpuBackend;
import org.edgeq.quant.core.AffineParams;
import org.edgeq.quant.core.RangeFold;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.edgeq.backend.cuda.HostCheckHarness.floatOf;
import static org.edgeq.backend.cuda.HostCheckHarness.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The CUDA kernels' per-element formulas (kernels-cu/include/edgeq/*.cuh), compiled for the host with g++, against
 * the Java CPU backend, all bit for bit: fake-quant, Philox, dropout, the pruning mask, ReLU, the integer paths, and
 * Adam too (the issue allows 1 ulp there, but the operations and their order are the same, and the per-step
 * coefficients from std::pow and StrictMath.pow round to the same floats); likewise SGD, axpy/scale/multiply, the
 * min/max and finiteness tests, column sums, mean squared error, row argmax, im2col/col2im and the half
 * conversions. The formulas built on exp/log (softmax cross-entropy, KL) and on channel sums (batch norm) are held
 * to 1 ulp: glibc's exp/log and StrictMath's may differ in the last bit of a double, and the CPU sums channels in
 * vector lanes. NaN compares as NaN (its payload is not part of the contract). Skipped without g++.
 */
class KernelFormulasHostTest {
    @TempDir
    static Path dir;
    private static HostCheckHarness harness;
    private static TensorScope scope;
    private static CpuBackend cpu;

    @BeforeAll
    static void compileHarness() throws Exception {
        Path kernels = HostCheckHarness.findKernelsDir();
        assumeTrue(kernels != null, "kernels-cu/ not found above " + Path.of("").toAbsolutePath());
        assumeTrue(HostCheckHarness.gppAvailable(), "g++ not on PATH: the host build of the kernel headers is skipped");
        harness = HostCheckHarness.compile(kernels, dir);
        scope = new TensorScope();
        cpu = new CpuBackend(2);
    }

    @AfterAll
    static void release() {
        if (cpu != null) cpu.close();
        if (scope != null) scope.close();
    }

    private static void assertSameFloat(float expected, String actualBits, String what) {
        float actual = floatOf(actualBits);
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual),
                what + ": expected " + expected + " (" + hex(expected) + "), host kernel gave " + actual + " (" + actualBits + ")");
    }

    private static Tensor floats(float[] values) {
        return Tensor.of(scope, values, values.length);
    }

    private static Tensor ints(int... values) {
        Tensor t = cpu.allocate(scope, DType.I32, values.length);
        cpu.upload(values, t);
        return t;
    }

    /** Ties at .5 on both sides, the clamp edges and beyond, NaN, infinities, signed zeros, tiny and huge values. */
    private static float[] awkwardInputs(float s, int lo, int hi) {
        List<Float> v = new ArrayList<>();
        for (int k = lo - 3; k <= hi + 3; k++) {
            v.add((k + 0.5f) * s);
            v.add((k - 0.5f) * s);
            v.add(k * s);
            v.add(Math.nextUp((k + 0.5f) * s));
            v.add(Math.nextDown((k + 0.5f) * s));
        }
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, -0.3f * s, 0.3f * s,
                Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1e30f, -1e30f,
                0x1p22f * s, 0x1p23f * s, -0x1p22f * s, 1e-20f, -1e-20f};
        for (float f : special) v.add(f);
        Random r = new Random(lo * 31L + hi);
        for (int i = 0; i < 64; i++) v.add((float) (r.nextGaussian() * s * (hi - lo)));
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) out[i] = v.get(i);
        return out;
    }

    private record QuantCase(float scale, int zeroPoint, int qmin, int qmax) {
    }

    private static final QuantCase[] QUANT_CASES = {
            new QuantCase(0.5f, 2, 0, 7), new QuantCase(0.037f, -3, -128, 127), new QuantCase(1f, 0, -8, 7),
            new QuantCase(1e30f, 0, -128, 127), new QuantCase(1e-30f, 5, -128, 127), new QuantCase(3e-39f, 0, -1, 1),
            new QuantCase(0.1f, 0, 0, 255), new QuantCase(7.25f, -30000, -65536, 65535)};

    @Test
    void fakeQuantForwardSteAndLsqSlopeMatchTheCpuBackendBitForBit() throws Exception {
        for (QuantCase c : QUANT_CASES) {
            float[] xs = awkwardInputs(c.scale, c.qmin - c.zeroPoint, c.qmax - c.zeroPoint);
            int n = xs.length;
            float[] dys = new float[n];
            for (int i = 0; i < n; i++) dys[i] = i + 1f;
            Tensor x = floats(xs), y = floats(new float[n]), dy = floats(dys), dx = floats(new float[n]);
            Tensor scale = floats(new float[]{c.scale}), zeroPoint = ints(c.zeroPoint);
            cpu.fakeQuantize(x, y, scale, zeroPoint, c.qmin, c.qmax);
            cpu.fakeQuantizeBackward(x, dy, dx, scale, zeroPoint, c.qmin, c.qmax);
            List<String> records = new ArrayList<>();
            for (float xi : xs) records.add("fq " + hex(xi) + " " + hex(c.scale) + " " + c.zeroPoint + " " + c.qmin + " " + c.qmax);
            List<String> got = harness.run(records);
            for (int i = 0; i < n; i++) {
                String[] f = got.get(i).split(" ");
                String what = c + " x=" + xs[i];
                assertSameFloat(y.getFloat(i), f[0], "fake-quant value, " + what);
                assertEquals(dx.getFloat(i) != 0f, f[1].equals("1"), "STE mask, " + what);
                // The LSQ slope of one element: the CPU's step-size gradient with dy = 1 and gradScale = 1.
                Tensor one = floats(new float[]{xs[i]}), g = floats(new float[]{1f}), ds = floats(new float[1]);
                cpu.fakeQuantizeLsqBackward(one, g, null, scale, zeroPoint, c.qmin, c.qmax, 1f, ds);
                double slope = ds.getFloat(0);
                assertSameFloat((float) slope, f[2], "LSQ slope, " + what);
                assertEquals(slope, (double) floatOf(f[2]), 0.0, "LSQ slope is a float, " + what);
            }
        }
    }

    @Test
    void perChannelFakeQuantUsesEachChannelsScaleAndZeroPointLikeTheCpuBackend() throws Exception {
        int channels = QUANT_CASES.length, inner = 23, qmin = -128, qmax = 127;
        float[] xs = new float[channels * inner], scales = new float[channels];
        int[] zps = new int[channels];
        Random r = new Random(7);
        List<String> records = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            scales[c] = QUANT_CASES[c].scale;
            zps[c] = Math.max(qmin, Math.min(qmax, QUANT_CASES[c].zeroPoint));
            for (int i = 0; i < inner; i++) {
                float x = (float) (r.nextGaussian() * 200 * scales[c]);
                if (i == 0) x = (3 + 0.5f) * scales[c];
                xs[c * inner + i] = x;
                records.add("fq " + hex(x) + " " + hex(scales[c]) + " " + zps[c] + " " + qmin + " " + qmax);
            }
        }
        Tensor x = Tensor.of(scope, xs, channels, inner), y = Tensor.of(scope, new float[xs.length], channels, inner);
        Tensor s = floats(scales), z = Tensor.host(scope, DType.I32, channels);
        z.copyFrom(zps);
        cpu.fakeQuantizePerChannel(x, y, s, z, qmin, qmax);
        List<String> got = harness.run(records);
        for (int i = 0; i < xs.length; i++) {
            assertSameFloat(y.getFloat(i), got.get(i).split(" ")[0], "channel " + i / inner + " element " + i % inner);
        }
    }

    @Test
    void philoxWordsAndUniformsMatchJavaPhiloxIncludingCountersAcrossTheirWordBoundaries() throws Exception {
        long[] seeds = {0L, 1L, -1L, 0xDEADBEEFCAFEBABEL, 42L << 32};
        List<Long> indices = new ArrayList<>();
        for (long base : new long[]{0L, 1L << 32, 1L << 34, 1L << 33, -8L, Long.MAX_VALUE - 3}) {
            for (long d = -5; d <= 5; d++) indices.add(base + d);
        }
        List<String> records = new ArrayList<>();
        for (long seed : seeds) {
            for (long index : indices) records.add("philox " + Long.toUnsignedString(seed) + " " + Long.toUnsignedString(index));
        }
        List<String> got = harness.run(records);
        int k = 0;
        for (long seed : seeds) {
            for (long index : indices) {
                String[] f = got.get(k++).split(" ");
                String what = "seed " + Long.toUnsignedString(seed) + " index " + Long.toUnsignedString(index);
                assertEquals(Philox.word(seed, index), Integer.parseUnsignedInt(f[0].substring(2), 16), "word, " + what);
                assertSameFloat(Philox.uniform(seed, index), f[1], "uniform, " + what);
            }
        }
    }

    @Test
    void dropoutMaskAndOutputMatchTheCpuBackendNearA32BitCounterWrap() throws Exception {
        int n = 37;
        long seed = 0x1234_5678_9ABC_DEF0L, offset = (1L << 32) * 4 - 17;
        float[] xs = new float[n];
        for (int i = 0; i < n; i++) xs[i] = i % 5 == 0 ? -0f : (i - 18) * 0.37f;
        for (float p : new float[]{0f, 0.1f, 0.5f, 0.999f, 1f}) {
            Tensor x = floats(xs), y = floats(new float[n]), mask = floats(new float[n]);
            cpu.dropout(x, y, mask, p, seed, offset);
            List<String> records = new ArrayList<>();
            for (int i = 0; i < n; i++) records.add("dropout " + seed + " " + (offset + i) + " " + hex(p) + " " + hex(xs[i]));
            List<String> got = harness.run(records);
            for (int i = 0; i < n; i++) {
                String[] f = got.get(i).split(" ");
                assertSameFloat(mask.getFloat(i), f[0], "mask, p=" + p + " element " + i);
                assertSameFloat(y.getFloat(i), f[1], "y, p=" + p + " element " + i);
            }
        }
    }

    @Test
    void pruningMaskMultipliesAsTheCpuApplyMaskWithSignedZerosNaNAndNonBinaryMasks() throws Exception {
        float[] xs = {1.5f, -1.5f, 0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
                -Float.MAX_VALUE, 3e-39f, 7.25f};
        float[] masks = {0f, -0f, 1f, 0.5f, 2f, Float.NaN};
        List<String> records = new ArrayList<>();
        float[] x = new float[xs.length * masks.length], mask = new float[x.length];
        for (int i = 0; i < xs.length; i++) {
            for (int j = 0; j < masks.length; j++) {
                x[i * masks.length + j] = xs[i];
                mask[i * masks.length + j] = masks[j];
                records.add("mask " + hex(xs[i]) + " " + hex(masks[j]));
            }
        }
        Tensor masked = floats(x);
        cpu.applyMask(masked, floats(mask));
        List<String> got = harness.run(records);
        for (int k = 0; k < x.length; k++) assertSameFloat(masked.getFloat(k), got.get(k), "x " + x[k] + " mask " + mask[k]);
    }

    /** saturate(round_half_away((acc + bias) * mult / 2^shift) + zp), in exact integers. */
    private static int requantizeReference(int acc, int bias, int mult, int shift, int zp) {
        BigInteger p = BigInteger.valueOf(acc + bias).multiply(BigInteger.valueOf(mult));
        BigInteger q = p.abs().add(BigInteger.ONE.shiftLeft(shift - 1)).shiftRight(shift);
        long v = (p.signum() < 0 ? q.negate() : q).longValueExact() + zp;
        return (int) Math.max(-128, Math.min(127, v));
    }

    @Test
    void requantizeRoundsHalfAwayFromZeroAndSaturatesExactlyLikeBigIntegerArithmetic() throws Exception {
        List<int[]> cases = new ArrayList<>();
        // Exact ties either side of zero: (acc * 2^30) / 2^31 = acc / 2.
        for (int acc = -9; acc <= 9; acc++) cases.add(new int[]{acc, 0, 1 << 30, 31, 0});
        cases.add(new int[]{Integer.MAX_VALUE, 0, Integer.MAX_VALUE, 62, 0});
        cases.add(new int[]{Integer.MIN_VALUE, 0, Integer.MAX_VALUE, 62, 0});
        cases.add(new int[]{Integer.MIN_VALUE, 0, Integer.MAX_VALUE, 1, -128});
        cases.add(new int[]{Integer.MAX_VALUE, 1, 1, 1, 0}); // acc + bias wraps like Java's int addition
        cases.add(new int[]{1000, -50, 1 << 20, 22, 127});
        cases.add(new int[]{-1000, 50, 1 << 20, 22, -128});
        Random r = new Random(5);
        for (int i = 0; i < 400; i++) {
            int shift = 1 + r.nextInt(62);
            cases.add(new int[]{r.nextInt(1 << 24) - (1 << 23), r.nextInt(2001) - 1000, 1 + r.nextInt(Integer.MAX_VALUE),
                    Math.max(shift, 20), r.nextInt(21) - 10});
        }
        List<String> records = new ArrayList<>();
        for (int[] c : cases) records.add("requant " + c[0] + " " + c[1] + " " + c[2] + " " + c[3] + " " + c[4]);
        List<String> got = harness.run(records);
        for (int i = 0; i < cases.size(); i++) {
            int[] c = cases.get(i);
            assertEquals(requantizeReference(c[0], c[1], c[2], c[3], c[4]), Integer.parseInt(got.get(i)), records.get(i));
        }
    }

    @Test
    void dot4MultipliesSignedBytesAndAccumulatesWithWrap() throws Exception {
        Random r = new Random(9);
        List<int[]> cases = new ArrayList<>();
        cases.add(new int[]{0x80808080, 0x80808080, 0});
        cases.add(new int[]{0x7F7F7F7F, 0x80808080, Integer.MIN_VALUE});
        cases.add(new int[]{0x80808080, 0x80808080, Integer.MAX_VALUE});
        for (int i = 0; i < 300; i++) cases.add(new int[]{r.nextInt(), r.nextInt(), r.nextInt()});
        List<String> records = new ArrayList<>();
        for (int[] c : cases) records.add("dot4 " + c[0] + " " + c[1] + " " + c[2]);
        List<String> got = harness.run(records);
        for (int i = 0; i < cases.size(); i++) {
            int[] c = cases.get(i);
            int expected = c[2];
            for (int b = 0; b < 4; b++) expected += (byte) (c[0] >>> (8 * b)) * (byte) (c[1] >>> (8 * b));
            assertEquals(expected, Integer.parseInt(got.get(i)), records.get(i));
        }
    }

    @Test
    void reluItsGradientAndTheRowBiasMatchTheCpuBackendIncludingNaNAndSignedZeros() throws Exception {
        float[] xs = {Float.NaN, -0f, 0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1f, -1f, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, 3.5f, -2.25f, 1e-40f, -1e30f, 7f, Float.MAX_VALUE, -Float.MAX_VALUE, 0.1f};
        int n = xs.length, cols = 5, rows = 4;
        float[] dys = new float[n];
        for (int i = 0; i < n; i++) dys[i] = i % 3 == 0 ? -0f : i - 8.5f;
        Tensor x = floats(xs), y = floats(new float[n]), dy = floats(dys), dx = floats(new float[n]), dxFromX = floats(new float[n]);
        cpu.relu(x, y);
        cpu.reluBackward(y, dy, dx);
        cpu.reluBackward(x, dy, dxFromX); // y arguments that are negative, NaN or -0 as well
        float[] bias = {Float.NaN, -0f, 1e-30f, -3f, Float.MAX_VALUE};
        float[] mat = new float[rows * cols];
        for (int i = 0; i < mat.length; i++) mat[i] = xs[i % n] * (i % 2 == 0 ? 1f : -0.5f);
        Tensor m = Tensor.of(scope, mat.clone(), rows, cols);
        cpu.addRowVector(m, floats(bias));
        List<String> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add("relu " + hex(xs[i]));
            records.add("relugrad " + hex(y.getFloat(i)) + " " + hex(dys[i]));
            records.add("relugrad " + hex(xs[i]) + " " + hex(dys[i]));
        }
        for (int i = 0; i < mat.length; i++) records.add("bias " + hex(mat[i]) + " " + hex(bias[i % cols]));
        List<String> got = harness.run(records);
        for (int i = 0; i < n; i++) {
            assertSameFloat(y.getFloat(i), got.get(3 * i), "relu of " + xs[i]);
            assertSameFloat(dx.getFloat(i), got.get(3 * i + 1), "relu gradient at x=" + xs[i]);
            assertSameFloat(dxFromX.getFloat(i), got.get(3 * i + 2), "relu gradient for y=" + xs[i]);
        }
        for (int i = 0; i < mat.length; i++) assertSameFloat(m.getFloat(i), got.get(3 * n + i), "row bias at " + i);
    }

    @Test
    void maxPoolValuesAndArgmaxMatchTheCpuBackendWithTiesAndNaN() throws Exception {
        int[][] geometries = {{7, 9, 3, 2}, {6, 6, 2, 2}, {5, 5, 5, 1}, {8, 8, 3, 3}, {4, 7, 1, 1}};
        Random r = new Random(13);
        for (int[] geo : geometries) {
            int h = geo[0], w = geo[1], win = geo[2], st = geo[3];
            boolean fast2x2 = win == 2 && st == 2;
            float[] xs = new float[h * w];
            for (int i = 0; i < xs.length; i++) {
                int kind = r.nextInt(10);
                // Small integers make ties; the CPU's 2x2 path picks +0 over an earlier -0 (Math.max), its general
                // loop keeps the first, so signed zeros are only mixed in outside the 2x2 geometry.
                xs[i] = kind == 0 ? Float.NaN : kind == 1 && !fast2x2 ? -0f : kind == 2 ? Float.NEGATIVE_INFINITY : r.nextInt(3);
            }
            PoolGeometry g = new PoolGeometry(1, 1, h, w, win, st);
            Tensor x = Tensor.of(scope, xs, 1, 1, h, w);
            Tensor y = Tensor.of(scope, new float[g.outHeight() * g.outWidth()], 1, 1, g.outHeight(), g.outWidth());
            Tensor argmax = Tensor.host(scope, DType.I32, 1, 1, g.outHeight(), g.outWidth());
            cpu.maxPool2d(x, y, argmax, g);
            StringBuilder record = new StringBuilder("pool " + h + " " + w + " " + win + " " + st);
            for (float v : xs) record.append(' ').append(hex(v));
            String[] f = harness.run(List.of(record.toString())).getFirst().split(" ");
            for (int o = 0; o < y.numel(); o++) {
                String what = "window " + o + " of " + java.util.Arrays.toString(geo);
                assertSameFloat(y.getFloat(o), f[2 * o], "max, " + what);
                assertEquals(argmax.getInt(o), Integer.parseInt(f[2 * o + 1]), "argmax, " + what);
            }
        }
    }

    @Test
    void adamAndAdamWMatchTheCpuBackendBitForBitAndTheMaskFreezesPrunedWeights() throws Exception {
        int n = 37; // a vector body and a scalar tail on the CPU side
        Random r = new Random(3);
        float[] w0 = new float[n], g0 = new float[n], m0 = new float[n], v0 = new float[n];
        for (int i = 0; i < n; i++) {
            w0[i] = (float) r.nextGaussian();
            g0[i] = (float) r.nextGaussian() * (i % 7 == 0 ? 1e-20f : i % 11 == 0 ? 1e15f : 1f);
            m0[i] = (float) r.nextGaussian() * 0.1f;
            v0[i] = (float) Math.abs(r.nextGaussian()) * 0.01f;
        }
        g0[1] = 0f;
        g0[2] = -0f;
        w0[3] = -0f;
        AdamCase[] configs = {new AdamCase(1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false), new AdamCase(3e-4f, 0.8f, 0.99f, 1e-6f, 0.01f, true),
                new AdamCase(1e-2f, 0.9f, 0.999f, 1e-8f, 5e-4f, false), new AdamCase(0.1f, 0f, 0.5f, 1e-3f, 0f, false)};
        for (AdamCase c : configs) {
            for (int step : new int[]{1, 2, 1000, 100_000}) {
                Tensor w = floats(w0.clone()), g = floats(g0.clone()), m = floats(m0.clone()), v = floats(v0.clone());
                cpu.adamStep(w, g, m, v, c.learningRate(), c.beta1(), c.beta2(), c.epsilon(), c.weightDecay(), c.decoupledWeightDecay(), step);
                String tail = " " + hex(c.learningRate()) + " " + hex(c.beta1()) + " " + hex(c.beta2()) + " " + hex(c.epsilon())
                        + " " + hex(c.weightDecay()) + " " + (c.decoupledWeightDecay() ? 1 : 0) + " " + step;
                List<String> records = new ArrayList<>();
                for (int i = 0; i < n; i++) records.add("adam " + hex(w0[i]) + " " + hex(g0[i]) + " " + hex(m0[i]) + " " + hex(v0[i]) + tail);
                for (int i = 0; i < n; i++) {
                    records.add("madam " + hex(w0[i]) + " " + hex(g0[i]) + " " + hex(m0[i]) + " " + hex(v0[i]) + " " + hex(i % 2) + tail);
                }
                List<String> got = harness.run(records);
                for (int i = 0; i < n; i++) {
                    String[] f = got.get(i).split(" ");
                    String what = c + " step " + step + " element " + i;
                    assertSameFloat(w.getFloat(i), f[0], "param, " + what);
                    assertSameFloat(m.getFloat(i), f[1], "m, " + what);
                    assertSameFloat(v.getFloat(i), f[2], "v, " + what);
                    String[] masked = got.get(n + i).split(" ");
                    if (i % 2 == 1) {
                        assertEquals(List.of(f), List.of(masked), "mask 1 is plain Adam, " + what);
                    } else {
                        assertEquals(List.of("0x00000000", "0x00000000", "0x00000000"), List.of(masked), "mask 0 zeroes, " + what);
                    }
                }
            }
        }
    }

    /** The numbers of one Adam step, as {@code adamStep} takes them. */
    private record AdamCase(float learningRate, float beta1, float beta2, float epsilon, float weightDecay,
                            boolean decoupledWeightDecay) {
    }

    /** Within `ulps` units in the last place (NaN matches NaN; +0 and -0 are 0 apart). */
    private static void assertWithinUlps(float expected, String actualBits, int ulps, String what) {
        float actual = floatOf(actualBits);
        if (Float.isNaN(expected) || Float.isNaN(actual)) {
            assertEquals(Float.isNaN(expected), Float.isNaN(actual), what + ": expected " + expected + ", got " + actual);
            return;
        }
        float unit = Math.ulp(Math.max(Math.abs(expected), Math.abs(actual)));
        assertTrue(expected == actual || Math.abs(expected - actual) <= ulps * unit,
                what + ": expected " + expected + " (" + hex(expected) + "), host kernel gave " + actual + " (" + actualBits + ")");
    }

    private static double doubleOf(String hexBits) {
        return Double.longBitsToDouble(Long.parseUnsignedLong(hexBits.substring(2), 16));
    }

    private static String join(float[] values) {
        StringBuilder b = new StringBuilder();
        for (float v : values) b.append(' ').append(hex(v));
        return b.toString();
    }

    private static float[] gaussians(Random r, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextGaussian() * scale);
        return v;
    }

    @Test
    void sgdWithAndWithoutNesterovAndWeightDecayMatchesTheCpuBackendBitForBit() throws Exception {
        int n = 37;
        Random r = new Random(21);
        float[] w0 = gaussians(r, n, 1f), g0 = gaussians(r, n, 1f), v0 = gaussians(r, n, 0.1f);
        g0[0] = 0f;
        g0[1] = -0f;
        w0[2] = -0f;
        g0[3] = 1e30f;
        g0[4] = Float.NaN;
        w0[5] = Float.POSITIVE_INFINITY;
        float[][] configs = {{0.1f, 0.9f, 0f}, {0.01f, 0.9f, 5e-4f}, {0.5f, 0f, 1e-2f}, {1e-3f, 0.99f, 0.1f}};
        for (float[] c : configs) {
            for (boolean nesterov : new boolean[]{false, true}) {
                Tensor w = floats(w0.clone()), g = floats(g0.clone()), v = floats(v0.clone());
                cpu.sgdStep(w, g, v, c[0], c[1], c[2], nesterov);
                List<String> records = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    records.add("sgd " + hex(w0[i]) + " " + hex(g0[i]) + " " + hex(v0[i]) + " " + hex(c[0]) + " " + hex(c[1])
                            + " " + hex(c[2]) + " " + (nesterov ? 1 : 0));
                }
                List<String> got = harness.run(records);
                for (int i = 0; i < n; i++) {
                    String[] f = got.get(i).split(" ");
                    String what = java.util.Arrays.toString(c) + " nesterov=" + nesterov + " element " + i;
                    assertSameFloat(w.getFloat(i), f[0], "param, " + what);
                    assertSameFloat(v.getFloat(i), f[1], "velocity, " + what);
                }
            }
        }
    }

    @Test
    void axpyScaleMultiplyFinitenessAndMinMaxMatchTheCpuBackendIncludingNaNAndSignedZeros() throws Exception {
        float[] xs = {Float.NaN, -0f, 0f, Float.MIN_VALUE, 1f, -1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                3.5f, 1e-40f, -1e30f, Float.MAX_VALUE, 0.1f, 7f, -2.75f, 1e38f, -Float.MIN_VALUE};
        int n = xs.length;
        float[] ys = new float[n];
        for (int i = 0; i < n; i++) ys[i] = xs[(i * 7 + 3) % n];
        for (float alpha : new float[]{0f, -0f, 1f, -2.5f, 1e30f, Float.NaN, 3e-39f}) {
            Tensor x = floats(xs.clone()), y = floats(ys.clone()), scaled = floats(xs.clone()), product = floats(new float[n]);
            cpu.axpy(alpha, x, y);
            cpu.scale(scaled, alpha);
            float[] as = new float[n];
            java.util.Arrays.fill(as, alpha);
            cpu.dropoutBackward(x, floats(as), product);
            List<String> records = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                records.add("axpy " + hex(alpha) + " " + hex(xs[i]) + " " + hex(ys[i]));
                records.add("scale " + hex(xs[i]) + " " + hex(alpha));
                records.add("mul " + hex(xs[i]) + " " + hex(alpha));
            }
            List<String> got = harness.run(records);
            for (int i = 0; i < n; i++) {
                String what = "alpha " + alpha + " x " + xs[i];
                assertSameFloat(y.getFloat(i), got.get(3 * i), "axpy, " + what);
                assertSameFloat(scaled.getFloat(i), got.get(3 * i + 1), "scale, " + what);
                assertSameFloat(product.getFloat(i), got.get(3 * i + 2), "multiply, " + what);
            }
        }
        List<String> records = new ArrayList<>();
        for (float a : xs) {
            records.add("finite " + hex(a));
            for (float b : xs) records.add("minmax " + hex(a) + " " + hex(b));
        }
        List<String> got = harness.run(records);
        int k = 0;
        float[] range = new float[2];
        for (float a : xs) {
            assertEquals(cpu.allFinite(floats(new float[]{a})), got.get(k++).equals("1"), "finite " + a);
            for (float b : xs) {
                cpu.minMax(floats(new float[]{a, b}), range);
                String[] f = got.get(k++).split(" ");
                assertSameFloat(range[0], f[0], "min(" + a + ", " + b + ")");
                assertSameFloat(range[1], f[1], "max(" + a + ", " + b + ")");
            }
        }
    }

    @Test
    void columnSumsAddTheOldValueTimesBetaLikeTheCpuBackendAndIgnoreItWhenBetaIsZero() throws Exception {
        int rows = 13, cols = 11;
        Random r = new Random(23);
        float[] xs = gaussians(r, rows * cols, 3f);
        xs[5] = 1e30f;
        xs[5 + cols] = -1e30f;
        xs[7] = 1e-3f;
        float[] old = gaussians(r, cols, 1f);
        old[0] = Float.NaN;
        old[1] = -0f;
        for (float beta : new float[]{0f, 1f, 0.5f, -3f}) {
            Tensor x = Tensor.of(scope, xs, rows, cols), out = floats(old.clone());
            cpu.sumRows(x, out, beta);
            List<String> got = harness.run(List.of("sumrows " + rows + " " + cols + " " + hex(beta) + join(xs) + join(old)));
            String[] f = got.getFirst().split(" ");
            for (int j = 0; j < cols; j++) assertSameFloat(out.getFloat(j), f[j], "column " + j + " beta " + beta);
        }
    }

    @Test
    void softmaxCrossEntropyLossAndGradientMatchTheCpuBackendWithinOneUlp() throws Exception {
        Random r = new Random(25);
        for (int classes : new int[]{1, 2, 10, 37, 100}) {
            int rows = 7;
            float[] xs = gaussians(r, rows * classes, 4f);
            xs[0] = 80f; // a dominant logit
            if (classes > 2) {
                xs[classes + 1] = Float.NEGATIVE_INFINITY;
                xs[2 * classes] = -1e30f;
                xs[2 * classes + 1] = 1e30f;
            }
            int[] labels = new int[rows];
            for (int i = 0; i < rows; i++) labels[i] = (i * 5 + 1) % classes;
            Tensor logits = Tensor.of(scope, xs, rows, classes), d = Tensor.of(scope, new float[rows * classes], rows, classes);
            Tensor lab = Tensor.host(scope, DType.I32, rows);
            lab.copyFrom(labels);
            double mean = cpu.softmaxCrossEntropy(logits, lab, d);
            List<String> records = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                records.add("ce " + rows + " " + classes + " " + labels[i] + join(java.util.Arrays.copyOfRange(xs, i * classes, (i + 1) * classes)));
            }
            List<String> got = harness.run(records);
            double total = 0;
            for (int i = 0; i < rows; i++) {
                String[] f = got.get(i).split(" ");
                total += doubleOf(f[0]);
                for (int j = 0; j < classes; j++) {
                    float expected = d.getFloat((long) i * classes + j);
                    assertWithinUlps(expected, f[1 + j], 1, "dlogits[" + i + ", " + j + "] of " + classes + " classes");
                    ceCompared++;
                    if (Float.floatToIntBits(expected) != Float.floatToIntBits(floatOf(f[1 + j]))) ceDiffering++;
                }
            }
            assertEquals(mean, total / rows, 1e-14 * Math.max(1, Math.abs(mean)), "mean loss over " + classes + " classes");
        }
        // exp and log may differ in a double's last bit between libm and StrictMath, which rarely shows after the
        // rounding to float: nearly every gradient must be identical, not merely within 1 ulp.
        assertTrue(ceDiffering * 50 <= ceCompared, ceDiffering + " of " + ceCompared + " gradients differ in the last bit");
    }

    private int ceCompared, ceDiffering, klCompared, klDiffering;

    @Test
    void softTargetKlDivergenceAndGradientMatchTheCpuBackendWithinOneUlp() throws Exception {
        Random r = new Random(27);
        for (float temperature : new float[]{1f, 2.5f, 0.3f, 20f}) {
            for (int classes : new int[]{1, 10, 45}) {
                int rows = 5;
                float[] s = gaussians(r, rows * classes, 3f), t = gaussians(r, rows * classes, 3f);
                if (classes > 2) {
                    t[1] = Float.NEGATIVE_INFINITY; // p = 0: the term is skipped
                    s[classes] = -200f;
                    t[classes + 2] = 300f;
                }
                Tensor logits = Tensor.of(scope, s, rows, classes), teacher = Tensor.of(scope, t, rows, classes);
                Tensor d = Tensor.of(scope, new float[rows * classes], rows, classes);
                double mean = cpu.softTargetKlDivergence(logits, teacher, temperature, d);
                List<String> records = new ArrayList<>();
                for (int i = 0; i < rows; i++) {
                    records.add("kl " + rows + " " + classes + " " + hex(temperature)
                            + join(java.util.Arrays.copyOfRange(s, i * classes, (i + 1) * classes))
                            + join(java.util.Arrays.copyOfRange(t, i * classes, (i + 1) * classes)));
                }
                List<String> got = harness.run(records);
                double total = 0;
                for (int i = 0; i < rows; i++) {
                    String[] f = got.get(i).split(" ");
                    total += doubleOf(f[0]);
                    for (int j = 0; j < classes; j++) {
                        float expected = d.getFloat((long) i * classes + j);
                        assertWithinUlps(expected, f[1 + j], 1,
                                "dlogits[" + i + ", " + j + "], T=" + temperature + ", " + classes + " classes");
                        klCompared++;
                        if (Float.floatToIntBits(expected) != Float.floatToIntBits(floatOf(f[1 + j]))) klDiffering++;
                    }
                }
                assertEquals(mean, total / rows, 1e-13 * Math.max(1e-3, Math.abs(mean)), "mean KL, T=" + temperature + ", " + classes + " classes");
            }
        }
        assertTrue(klDiffering * 50 <= klCompared, klDiffering + " of " + klCompared + " gradients differ in the last bit");
    }

    @Test
    void rowArgmaxSplitOverLanesPicksWhatTheCpuScanPicksWithTiesNaNAndSignedZeros() throws Exception {
        List<float[]> rows = new ArrayList<>();
        rows.add(new float[]{1f});
        rows.add(new float[]{Float.NaN, 5f, 7f});
        rows.add(new float[]{3f, Float.NaN, 7f, Float.NaN});
        rows.add(new float[]{-0f, 0f, -0f});
        rows.add(new float[]{0f, -0f});
        rows.add(new float[]{Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN});
        rows.add(new float[]{2f, Float.NaN, Float.NaN});
        Random r = new Random(29);
        for (int cols : new int[]{31, 32, 33, 64, 70, 100}) {
            for (int rep = 0; rep < 6; rep++) {
                float[] v = new float[cols];
                for (int j = 0; j < cols; j++) {
                    int kind = r.nextInt(12);
                    v[j] = kind == 0 ? Float.NaN : kind == 1 ? Float.NEGATIVE_INFINITY : r.nextInt(4);
                }
                if (rep == 0) v[0] = Float.NaN;
                if (rep == 1) java.util.Arrays.fill(v, 3f);
                if (rep == 2) v[cols - 1] = 9f;
                rows.add(v);
            }
        }
        List<String> records = new ArrayList<>();
        for (float[] v : rows) records.add("argmax " + v.length + join(v));
        List<String> got = harness.run(records);
        for (int i = 0; i < rows.size(); i++) {
            float[] v = rows.get(i);
            Tensor x = Tensor.of(scope, v, 1, v.length), out = Tensor.host(scope, DType.I32, 1);
            cpu.argmaxRows(x, out);
            assertEquals(out.getInt(0), Integer.parseInt(got.get(i)), "argmax of " + java.util.Arrays.toString(v));
        }
    }

    @Test
    void meanSquaredErrorSumAndGradientMatchTheCpuBackendBitForBit() throws Exception {
        int n = 41;
        Random r = new Random(31);
        float[] p = gaussians(r, n, 2f), t = gaussians(r, n, 2f);
        p[0] = 1e20f;
        t[1] = -0f;
        p[1] = 0f;
        p[2] = 3e-39f;
        Tensor pred = floats(p), target = floats(t), d = floats(new float[n]);
        double mean = cpu.meanSquaredError(pred, target, d);
        List<String> records = new ArrayList<>();
        for (int i = 0; i < n; i++) records.add("mse " + n + " " + hex(p[i]) + " " + hex(t[i]));
        List<String> got = harness.run(records);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            String[] f = got.get(i).split(" ");
            sum += doubleOf(f[0]);
            assertSameFloat(d.getFloat(i), f[1], "dpred " + i);
        }
        assertEquals(mean, sum / n, 0.0, "mean of squares summed in element order");
    }

    private static float[] channelValues(Random r, int c, float base, float spread) {
        float[] v = new float[c];
        for (int i = 0; i < c; i++) v[i] = base + (float) r.nextGaussian() * spread;
        return v;
    }

    @Test
    void batchNormForwardAndBackwardMatchTheCpuBackendBitForBitOnColumnsAndWithinOneUlpOnPlanes() throws Exception {
        int[][] shapes = {{9, 4, 1}, {4, 3, 25}, {1, 2, 7}, {16, 5, 1}, {2, 3, 1}};
        Random r = new Random(33);
        for (int[] sh : shapes) {
            int n = sh[0], c = sh[1], sp = sh[2], total = n * c * sp;
            int[] dims = sp == 1 ? new int[]{n, c} : new int[]{n, c, 5, sp / 5};
            if (sp != 1 && sp % 5 != 0) dims = new int[]{n, c, 1, sp};
            float[] xs = gaussians(r, total, 2f), dys = gaussians(r, total, 1f);
            for (int i = 0; i < total; i += 3) xs[i] += 100f; // a large mean: the centred sums matter
            float[] gamma = channelValues(r, c, 1f, 0.3f), beta = channelValues(r, c, 0f, 0.5f);
            float[] rm0 = channelValues(r, c, 0f, 1f), rv0 = channelValues(r, c, 2f, 0.2f);
            for (boolean training : new boolean[]{true, false}) {
                float momentum = 0.1f, eps = 1e-5f;
                Tensor x = Tensor.of(scope, xs, dims), y = Tensor.of(scope, new float[total], dims);
                Tensor rm = floats(rm0.clone()), rv = floats(rv0.clone()), sm = floats(new float[c]), si = floats(new float[c]);
                cpu.batchNorm(x, y, floats(gamma), floats(beta), rm, rv, sm, si, training, momentum, eps);
                String record = "bn " + n + " " + c + " " + sp + " " + (training ? 1 : 0) + " " + hex(momentum) + " " + hex(eps)
                        + join(xs) + join(gamma) + join(beta) + join(rm0) + join(rv0);
                String[] f = harness.run(List.of(record)).getFirst().split(" ");
                String what = java.util.Arrays.toString(sh) + " training=" + training;
                // With spatial = 1 the CPU sums each channel element by element in order, as the host loop does, so
                // everything is bit for bit; with rows of spatial floats it sums in vector lanes (1 ulp).
                int ulps = sp == 1 ? 0 : 1;
                for (int i = 0; i < total; i++) assertWithinUlps(y.getFloat(i), f[i], ulps, "y[" + i + "], " + what);
                for (int ch = 0; ch < c; ch++) {
                    assertWithinUlps(rm.getFloat(ch), f[total + ch], ulps, "running mean " + ch + ", " + what);
                    assertWithinUlps(rv.getFloat(ch), f[total + c + ch], ulps, "running var " + ch + ", " + what);
                    if (training) {
                        assertWithinUlps(sm.getFloat(ch), f[total + 2 * c + ch], ulps, "save mean " + ch + ", " + what);
                        assertWithinUlps(si.getFloat(ch), f[total + 3 * c + ch], ulps, "save inv std " + ch + ", " + what);
                    }
                }
                if (!training) continue;
                Tensor dx = Tensor.of(scope, new float[total], dims), dg = floats(new float[c]), db = floats(new float[c]);
                cpu.batchNormBackward(x, Tensor.of(scope, dys, dims), floats(gamma), sm, si, dx, dg, db);
                String back = "bnback " + n + " " + c + " " + sp + join(xs) + join(dys) + join(gamma) + join(sm.toFloatArray())
                        + join(si.toFloatArray());
                String[] b = harness.run(List.of(back)).getFirst().split(" ");
                for (int i = 0; i < total; i++) assertWithinUlps(dx.getFloat(i), b[i], ulps, "dx[" + i + "], " + what);
                for (int ch = 0; ch < c; ch++) {
                    assertWithinUlps(dg.getFloat(ch), b[total + ch], ulps, "dgamma " + ch + ", " + what);
                    assertWithinUlps(db.getFloat(ch), b[total + c + ch], ulps, "dbeta " + ch + ", " + what);
                }
            }
        }
    }

    /**
     * im2col and col2im through the CPU convolution with an identity weight ([R, C, K, K] with W[r, r] = 1): the
     * forward output is then the CPU's im2col matrix itself and the input gradient col2im of the output gradient.
     */
    @Test
    void im2colAndCol2imIndexMapsMatchTheCpuConvolutionBitForBit() throws Exception {
        int[][] geometries = {{2, 3, 7, 6, 3, 2, 1}, {1, 2, 5, 5, 3, 1, 1}, {2, 1, 4, 6, 2, 2, 0}, {1, 2, 3, 3, 3, 1, 2},
                {1, 1, 5, 4, 1, 1, 0}, {1, 2, 8, 7, 2, 3, 1}, {1, 1, 6, 6, 5, 1, 2}};
        Random r = new Random(35);
        for (int[] geo : geometries) {
            ConvGeometry g = new ConvGeometry(geo[0], geo[1], geo[2], geo[3], geo[1] * geo[4] * geo[4], geo[4], geo[5], geo[6]);
            int patch = g.patchSize(), pixels = g.outHeight() * g.outWidth(), n = g.batch();
            float[] xs = new float[n * g.inChannels() * g.height() * g.width()];
            for (int i = 0; i < xs.length; i++) xs[i] = i % 7 == 0 ? 0f : (float) r.nextGaussian(); // no -0: 1 * -0 + 0 is +0
            float[] w = new float[patch * patch];
            for (int i = 0; i < patch; i++) w[i * patch + i] = 1f;
            Tensor x = Tensor.of(scope, xs, n, g.inChannels(), g.height(), g.width());
            Tensor weight = Tensor.of(scope, w, patch, g.inChannels(), g.kernel(), g.kernel());
            Tensor y = Tensor.of(scope, new float[n * patch * pixels], n, patch, g.outHeight(), g.outWidth());
            Tensor ws = Tensor.of(scope, new float[(int) cpu.conv2dWorkspaceFloats(g)], (int) cpu.conv2dWorkspaceFloats(g));
            cpu.conv2d(x, weight, null, y, g, ws);
            String shape = " " + n + " " + g.inChannels() + " " + g.height() + " " + g.width() + " " + g.kernel() + " " + g.stride() + " " + g.padding();
            String[] cols = harness.run(List.of("im2col" + shape + join(xs))).getFirst().split(" ");
            String what = java.util.Arrays.toString(geo);
            for (int s = 0; s < n; s++) {
                for (int p = 0; p < pixels; p++) {
                    for (int q = 0; q < patch; q++) {
                        assertSameFloat(y.getFloat(((long) s * patch + q) * pixels + p), cols[(s * pixels + p) * patch + q],
                                "im2col sample " + s + " pixel " + p + " patch entry " + q + ", " + what);
                    }
                }
            }
            float[] dys = new float[n * patch * pixels];
            for (int i = 0; i < dys.length; i++) dys[i] = (float) r.nextGaussian();
            float[] colsIn = new float[dys.length];
            for (int s = 0; s < n; s++) {
                for (int q = 0; q < patch; q++) {
                    for (int p = 0; p < pixels; p++) colsIn[(s * pixels + p) * patch + q] = dys[(s * patch + q) * pixels + p];
                }
            }
            Tensor dx = Tensor.of(scope, new float[xs.length], n, g.inChannels(), g.height(), g.width());
            Tensor dw = Tensor.of(scope, new float[w.length], patch, g.inChannels(), g.kernel(), g.kernel());
            cpu.conv2dBackward(x, weight, Tensor.of(scope, dys, n, patch, g.outHeight(), g.outWidth()), dx, dw, null, g, ws);
            String[] back = harness.run(List.of("col2im" + shape + join(colsIn))).getFirst().split(" ");
            for (int i = 0; i < xs.length; i++) assertSameFloat(dx.getFloat(i), back[i], "col2im element " + i + ", " + what);
        }
    }

    @Test
    void floatToHalfRoundsToNearestEvenLikeJavaIncludingSubnormalsOverflowAndTies() throws Exception {
        List<Float> values = new ArrayList<>();
        float[] special = {0f, -0f, 1f, -1f, 65504f, 65519.996f, 65520f, -65520f, 65536f, 1e10f, Float.MAX_VALUE,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE, 0x1p-14f, 0x1p-24f, 0x1p-25f,
                Math.nextUp(0x1p-25f), 0x1.8p-24f, 0x1p-26f, 0x1.ffcp-15f, 0x1.ffep-15f, 3e-8f, -6e-5f, 1.00048828125f,
                1.00146484375f, 2049f, 2051f, 0.1f, 1f / 3f};
        for (float f : special) values.add(f);
        // Ties and neighbours around every half exponent, normal and subnormal.
        for (int e = -26; e <= 16; e++) {
            float base = (float) Math.scalb(1.0, e);
            float halfUlp = (float) Math.scalb(1.0, Math.max(e, -14) - 11);
            for (int k = 0; k < 4; k++) {
                float tie = base + (2 * k + 1) * halfUlp;
                values.add(tie);
                values.add(-tie);
                values.add(Math.nextUp(tie));
                values.add(Math.nextDown(tie));
            }
        }
        Random r = new Random(37);
        for (int i = 0; i < 4000; i++) values.add(Float.intBitsToFloat(r.nextInt()));
        for (int i = 0; i < 4000; i++) values.add((float) (r.nextGaussian() * Math.scalb(1.0, r.nextInt(40) - 26)));
        List<String> records = new ArrayList<>();
        for (float v : values) records.add("f2h " + hex(v));
        List<String> got = harness.run(records);
        for (int i = 0; i < values.size(); i++) {
            float v = values.get(i);
            int expected = Float.floatToFloat16(v) & 0xffff;
            int actual = Integer.parseInt(got.get(i).substring(2), 16);
            if (Float.isNaN(v)) {
                assertTrue((actual & 0x7c00) == 0x7c00 && (actual & 0x3ff) != 0, "NaN stays NaN: " + got.get(i));
            } else {
                assertEquals(expected, actual, "half of " + v + " (" + hex(v) + ")");
            }
        }
    }

    @Test
    void halfToFloatIsExactForAllSixtyFiveThousandHalves() throws Exception {
        List<String> records = new ArrayList<>();
        for (int h = 0; h < 65536; h++) records.add("h2f " + h);
        List<String> got = harness.run(records);
        for (int h = 0; h < 65536; h++) {
            float expected = Float.float16ToFloat((short) h);
            if (Float.isNaN(expected)) assertTrue(Float.isNaN(floatOf(got.get(h))), "half 0x" + Integer.toHexString(h) + " is NaN");
            else assertSameFloat(expected, got.get(h), "half 0x" + Integer.toHexString(h));
        }
    }

    /**
     * The f32 SIMT GEMM kernel itself (src/gemm_f32_simt.cuh), every tile shape, run by the host harness for each
     * (block, thread) of its grid with __syncthreads as a barrier, on ragged and aligned shapes, all four transpose
     * combinations, float4 and scalar loads, beta 0 over NaN and beta 0.5 — against CpuBackend.gemm. Small integers
     * keep every sum exact, so the comparison is bit for bit whatever the summation order.
     */
    @Test
    void simtGemmKernelEmulatedThreadByThreadMatchesTheCpuGemmOnRaggedTilesAndAllTransposes() throws Exception {
        int[][] tiles = {{128, 128}, {64, 64}, {128, 32}, {32, 128}};
        int[][] shapes = {{130, 131, 19}, {5, 7, 9}, {64, 68, 16}, {1, 1, 1}, {33, 70, 0}};
        Random r = new Random(39);
        List<String> records = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int[] tile : tiles) {
            for (int[] sh : shapes) {
                int m = sh[0], n = sh[1], k = sh[2];
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    for (int shift = 0; shift < 2; shift++) {
                        float alpha = 1.5f, beta = shift == 0 ? 0f : 0.5f;
                        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
                        for (int i = 0; i < a.length; i++) a[i] = r.nextInt(9) - 4;
                        for (int i = 0; i < b.length; i++) b[i] = r.nextInt(9) - 4;
                        for (int i = 0; i < c.length; i++) c[i] = beta == 0f ? Float.NaN : r.nextInt(7) - 3;
                        Tensor at = ta ? Tensor.of(scope, a, k, m) : Tensor.of(scope, a, m, k);
                        Tensor bt = tb ? Tensor.of(scope, b, n, k) : Tensor.of(scope, b, k, n);
                        Tensor ct = Tensor.of(scope, c.clone(), m, n);
                        cpu.gemm(ta, tb, alpha, at, bt, beta, ct);
                        expected.add(ct.toFloatArray());
                        records.add("gemm " + tile[0] + " " + tile[1] + " " + (ta ? 1 : 0) + " " + (tb ? 1 : 0) + " " + m + " " + n
                                + " " + k + " " + shift + " " + hex(alpha) + " " + hex(beta) + join(a) + join(b) + join(c));
                        names.add("tile " + tile[0] + "x" + tile[1] + " " + m + "x" + n + "x" + k + " transA=" + ta + " transB=" + tb
                                + (shift == 1 ? " unaligned, beta 0.5" : " aligned, beta 0 over NaN"));
                    }
                }
            }
        }
        List<String> got = harness.run(records);
        for (int q = 0; q < records.size(); q++) {
            float[] want = expected.get(q);
            String[] f = want.length == 0 ? new String[0] : got.get(q).split(" ");
            assertEquals(want.length, f.length, "result size, " + names.get(q));
            for (int i = 0; i < want.length; i++) assertSameFloat(want[i], f[i], "C[" + i + "], " + names.get(q));
        }
    }

    /**
     * The layout kernel behind pixels_to_nchw (with the channel bias) and nchw_to_pixels, run block by block on the
     * host: every image's [rows, cols] block transposed, on the launcher's grid and on 1x1x1 and 2x1x2 grids that
     * make every block loop over several tiles and images. Java's float addition is the reference for the bias.
     */
    @Test
    void tiledTransposeOfTheLayoutKernelsMovesEveryElementOnAnyGrid() throws Exception {
        int[][] cases = {{70, 45, 3, 1}, {5, 33, 2, 0}, {1, 1, 1, 1}, {64, 32, 2, 0}, {37, 100, 1, 1}};
        Random r = new Random(41);
        List<String> records = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int[] c : cases) {
            int rows = c[0], cols = c[1], batch = c[2];
            boolean hasBias = c[3] == 1;
            float[] src = gaussians(r, batch * rows * cols, 2f), bias = gaussians(r, cols, 1f);
            if (hasBias) bias[0] = Float.NaN;
            float[] want = new float[src.length];
            for (int n = 0; n < batch; n++) {
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        float v = src[(n * rows + i) * cols + j];
                        want[(n * cols + j) * rows + i] = hasBias ? v + bias[j] : v;
                    }
                }
            }
            int[][] grids = {{(cols + 31) / 32, (rows + 31) / 32, batch}, {1, 1, 1}, {2, 1, 2}};
            for (int[] g : grids) {
                records.add("transpose " + rows + " " + cols + " " + batch + " " + g[0] + " " + g[1] + " " + g[2] + " " + c[3]
                        + join(src) + (hasBias ? join(bias) : ""));
                expected.add(want);
            }
        }
        List<String> got = harness.run(records);
        for (int q = 0; q < records.size(); q++) {
            String[] f = got.get(q).split(" ");
            float[] want = expected.get(q);
            assertEquals(want.length, f.length, "size, case " + q);
            for (int i = 0; i < want.length; i++) assertSameFloat(want[i], f[i], "element " + i + ", case " + q / 3 + " grid " + q % 3);
        }
    }

    private static float[] smallIntegers(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = r.nextInt(201) - 100;
        return v;
    }

    private static void assertClose(float expected, String actualBits, double relative, String what) {
        float actual = floatOf(actualBits);
        if (Float.isNaN(expected) || Float.isNaN(actual)) {
            assertEquals(Float.isNaN(expected), Float.isNaN(actual), what + ": expected " + expected + ", got " + actual);
            return;
        }
        assertTrue(Math.abs(expected - actual) <= relative * Math.max(1, Math.abs(expected)),
                what + ": expected " + expected + ", kernel gave " + actual);
    }

    /**
     * The observer formulas of edgeq/observer.cuh against quant.core, bit for bit: every fold on first and later
     * tensors (non-finite newest extremes skipped), the affine rule on awkward ranges and grids, the scale clamp.
     */
    @Test
    void observerFormulasMatchRangeFoldAndAffineParamsBitForBit() throws Exception {
        float[] bounds = {-3.5f, -1f, -0f, 0f, 1e-30f, 0.37f, 2.5f, 7.25f, -1e30f, 1e30f, Float.NaN, Float.POSITIVE_INFINITY};
        List<String> records = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (RangeFold fold : RangeFold.values()) {
            for (int first = 0; first < 2; first++) {
                for (float newLo : bounds) {
                    for (float newHi : new float[]{0.5f, 3.25f, Float.NaN}) {
                        float[] range = {-0.75f, 1.5f};
                        fold.fold(range, 0, newLo, newHi, first == 1, 0.01f);
                        records.add("fold " + fold.ordinal() + " " + hex(0.01f) + " " + first + " " + hex(-0.75f) + " " + hex(1.5f)
                                + " " + hex(newLo) + " " + hex(newHi));
                        expected.add(range);
                    }
                }
            }
        }
        int folds = records.size();
        int[][] grids = {{0, 255, 0}, {-128, 127, 0}, {-127, 127, 1}, {-3, 3, 1}, {0, 15, 0}, {-65536, 65535, 0}};
        for (int[] g : grids) {
            for (float lo : bounds) {
                for (float hi : bounds) {
                    if (Float.isNaN(lo) || Float.isNaN(hi) || lo > hi) continue;
                    records.add("affine " + hex(lo) + " " + hex(hi) + " " + g[0] + " " + g[1] + " " + g[2]);
                    float scale = AffineParams.scale(lo, hi, g[0], g[1], g[2] == 1);
                    expected.add(new float[]{scale, AffineParams.zeroPoint(lo, scale, g[0], g[1], g[2] == 1)});
                }
            }
        }
        int affines = records.size();
        for (float v : new float[]{1f, 0f, -2f, Float.NaN, 1e-9f, AffineParams.MIN_SCALE, Float.POSITIVE_INFINITY}) {
            records.add("clampscale " + hex(v) + " " + hex(AffineParams.MIN_SCALE));
            expected.add(new float[]{v >= AffineParams.MIN_SCALE ? v : AffineParams.MIN_SCALE});
        }
        List<String> got = harness.run(records);
        for (int i = 0; i < records.size(); i++) {
            String[] f = got.get(i).split(" ");
            String what = records.get(i);
            if (i < folds) {
                assertSameFloat(expected.get(i)[0], f[0], "lower bound, " + what);
                assertSameFloat(expected.get(i)[1], f[1], "upper bound, " + what);
            } else if (i < affines) {
                assertSameFloat(expected.get(i)[0], f[0], "scale, " + what);
                assertEquals((int) expected.get(i)[1], Integer.parseInt(f[1]), "zero point, " + what);
            } else {
                assertSameFloat(expected.get(i)[0], f[0], "clamped scale, " + what);
            }
        }
    }

    /**
     * The observer step's kernels themselves, block by block on 1 and 3 blocks: the whole-tensor fold (partials, then
     * the fold in the finishing block) and the per-channel one, against the CPU backend's foldExtremes.
     */
    @Test
    void emulatedObserverKernelsFoldLikeTheCpuBackend() throws Exception {
        Random r = new Random(47);
        for (int grid : new int[]{1, 3}) {
            for (int channels : new int[]{1, 5}) {
                int inner = 613;
                for (RangeFold fold : RangeFold.values()) {
                    float[] xs = gaussians(r, channels * inner, 3f);
                    if (channels > 1) xs[2 * inner + 7] = Float.NaN; // channel 2 keeps its range
                    float[] lo = gaussians(r, channels, 1f), hi = lo.clone();
                    for (int c = 0; c < channels; c++) hi[c] = lo[c] + 2f;
                    for (int first = 0; first < 2; first++) {
                        Tensor mins = floats(lo.clone()), maxs = floats(hi.clone());
                        cpu.foldExtremes(Tensor.of(scope, xs, channels, inner), mins, maxs, fold, 0.125f, first == 1);
                        String[] f = harness.run(List.of("kfold " + channels + " " + inner + " " + grid + " " + fold.ordinal() + " "
                                + hex(0.125f) + " " + first + join(xs) + join(lo) + join(hi))).getFirst().split(" ");
                        for (int c = 0; c < channels; c++) {
                            String what = fold + " first=" + first + " channels=" + channels + " grid=" + grid + " channel " + c;
                            assertSameFloat(mins.getFloat(c), f[c], "min, " + what);
                            assertSameFloat(maxs.getFloat(c), f[channels + c], "max, " + what);
                        }
                    }
                }
            }
        }
    }

    /**
     * The fixed-grid reduction kernels themselves (sum, min/max, finiteness, per-channel min/max, column sums) run
     * block by block on grids of 1 to 5 blocks, so that every thread strides over several elements: on small
     * integers the sums are exact in any order, so everything is compared bit for bit with the CPU backend.
     */
    @Test
    void emulatedReductionKernelsCountEveryElementOnceOnAnyGrid() throws Exception {
        Random r = new Random(43);
        for (int grid : new int[]{1, 3}) {
            for (int n : new int[]{1, 3001}) {
                float[] xs = smallIntegers(r, n);
                List<String> records = new ArrayList<>();
                records.add("ksum " + n + " 0 " + grid + join(xs));
                records.add("ksum " + n + " 1 " + grid + join(xs));
                records.add("kminmax " + n + " " + grid + join(xs));
                records.add("kfinite " + n + " " + grid + join(xs));
                float[] bad = xs.clone();
                bad[n - 1] = Float.POSITIVE_INFINITY;
                records.add("kfinite " + n + " " + grid + join(bad));
                float[] withNaN = xs.clone();
                withNaN[n / 2] = Float.NaN;
                records.add("kminmax " + n + " " + grid + join(withNaN));
                List<String> got = harness.run(records);
                String what = "n=" + n + " grid=" + grid;
                Tensor x = floats(xs);
                assertEquals(cpu.sum(x), doubleOf(got.get(0)), 0.0, "sum, " + what);
                assertEquals(cpu.sumOfSquares(x), doubleOf(got.get(1)), 0.0, "sum of squares, " + what);
                float[] range = new float[2];
                cpu.minMax(x, range);
                String[] f = got.get(2).split(" ");
                assertSameFloat(range[0], f[0], "min, " + what);
                assertSameFloat(range[1], f[1], "max, " + what);
                assertEquals("1", got.get(3), "all finite, " + what);
                assertEquals("0", got.get(4), "an infinity at the end, " + what);
                f = got.get(5).split(" ");
                assertTrue(Float.isNaN(floatOf(f[0])) && Float.isNaN(floatOf(f[1])), "NaN wins both, " + what);
            }
            int channels = 7, inner = 300;
            float[] xs = gaussians(r, channels * inner, 5f);
            xs[inner + 3] = Float.NaN;
            xs[2 * inner] = -0f;
            Tensor x = Tensor.of(scope, xs, channels, inner), mins = floats(new float[channels]), maxs = floats(new float[channels]);
            cpu.minMaxPerChannel(x, mins, maxs);
            String[] f = harness.run(List.of("kminmaxch " + channels + " " + inner + " " + grid + join(xs))).getFirst().split(" ");
            for (int c = 0; c < channels; c++) {
                assertSameFloat(mins.getFloat(c), f[c], "channel " + c + " min, grid " + grid);
                assertSameFloat(maxs.getFloat(c), f[channels + c], "channel " + c + " max, grid " + grid);
            }
            int rows = 70, cols = 37 + grid * 20;
            float[] m = smallIntegers(r, rows * cols), old = smallIntegers(r, cols);
            old[0] = Float.NaN;
            for (float beta : new float[]{0f, 0.5f}) {
                Tensor out = floats(old.clone());
                cpu.sumRows(Tensor.of(scope, m, rows, cols), out, beta);
                if (beta != 0f) out.setFloat(0, Float.NaN); // 0.5 * NaN + sum: NaN on both sides
                String[] s = harness.run(List.of("ksumrows " + rows + " " + cols + " " + hex(beta) + " " + Math.min(grid, 2)
                        + join(m) + join(old))).getFirst().split(" ");
                for (int j = 0; j < cols; j++) assertSameFloat(out.getFloat(j), s[j], "column " + j + " beta " + beta + " grid " + grid);
            }
        }
    }

    /**
     * The row-loss kernels themselves (one warp per row, shuffles emulated lane by lane) on 1 and 2 blocks, so that
     * warps take several rows: cross-entropy with bad labels, KL, argmax and MSE against the CPU backend. Only the
     * order of the double sums differs from the CPU's, hence 1 ulp on gradients.
     */
    @Test
    void emulatedRowLossKernelsMatchTheCpuBackendWithWarpsTakingSeveralRows() throws Exception {
        Random r = new Random(45);
        for (int grid : new int[]{1, 2}) {
            for (int classes : new int[]{1, 10, 45}) {
                int rows = 21;
                float[] xs = gaussians(r, rows * classes, 4f);
                int[] labels = new int[rows];
                for (int i = 0; i < rows; i++) labels[i] = (i * 3 + 1) % classes;
                Tensor logits = Tensor.of(scope, xs, rows, classes), d = Tensor.of(scope, new float[rows * classes], rows, classes);
                Tensor lab = Tensor.host(scope, DType.I32, rows);
                lab.copyFrom(labels);
                double mean = cpu.softmaxCrossEntropy(logits, lab, d);
                StringBuilder labelText = new StringBuilder();
                for (int l : labels) labelText.append(' ').append(l);
                String[] f = harness.run(List.of("kce " + rows + " " + classes + " " + grid + join(xs) + labelText)).getFirst().split(" ");
                String what = classes + " classes, grid " + grid;
                assertEquals(mean, doubleOf(f[0]) / rows, 1e-14 * Math.max(1, Math.abs(mean)), "mean loss, " + what);
                assertEquals("0", f[1], "no bad label, " + what);
                for (int i = 0; i < rows * classes; i++) assertWithinUlps(d.getFloat(i), f[2 + i], 1, "dlogits " + i + ", " + what);
                labels[19] = classes; // rows 3 and 19 (and 11 with one block) share a warp: its first bad row counts
                labels[11] = -1;
                labels[6] = classes + 5;
                labels[3] = -7;
                labelText = new StringBuilder();
                for (int l : labels) labelText.append(' ').append(l);
                f = harness.run(List.of("kce " + rows + " " + classes + " " + grid + join(xs) + labelText)).getFirst().split(" ");
                assertEquals("4", f[1], "the first bad label (row 3) reported as 4, " + what);

                float[] ts = gaussians(r, rows * classes, 3f);
                float temperature = 2.5f;
                double kl = cpu.softTargetKlDivergence(logits, Tensor.of(scope, ts, rows, classes), temperature, d);
                f = harness.run(List.of("kkl " + rows + " " + classes + " " + hex(temperature) + " " + grid + join(xs) + join(ts)))
                        .getFirst().split(" ");
                assertEquals(kl, doubleOf(f[0]) / rows, 1e-13 * Math.max(1e-3, Math.abs(kl)), "mean KL, " + what);
                for (int i = 0; i < rows * classes; i++) assertWithinUlps(d.getFloat(i), f[1 + i], 1, "KL dlogits " + i + ", " + what);
            }
            int rows = 19, cols = 70;
            float[] xs = new float[rows * cols];
            for (int i = 0; i < xs.length; i++) {
                int kind = r.nextInt(12);
                xs[i] = kind == 0 ? Float.NaN : kind == 1 ? Float.NEGATIVE_INFINITY : kind == 2 ? -0f : r.nextInt(4);
            }
            xs[0] = Float.NaN;
            Tensor x = Tensor.of(scope, xs, rows, cols), out = Tensor.host(scope, DType.I32, rows);
            cpu.argmaxRows(x, out);
            String[] f = harness.run(List.of("kargmax " + rows + " " + cols + " " + grid + join(xs))).getFirst().split(" ");
            for (int i = 0; i < rows; i++) assertEquals(out.getInt(i), Integer.parseInt(f[i]), "argmax of row " + i + ", grid " + grid);

            int n = 2000;
            float[] p = smallIntegers(r, n), t = smallIntegers(r, n);
            Tensor dp = floats(new float[n]);
            double mse = cpu.meanSquaredError(floats(p), floats(t), dp);
            f = harness.run(List.of("kmse " + n + " " + grid + join(p) + join(t))).getFirst().split(" ");
            assertEquals(mse, doubleOf(f[0]) / n, 0.0, "MSE of integers (exact sums), grid " + grid);
            for (int i = 0; i < n; i++) assertSameFloat(dp.getFloat(i), f[1 + i], "dpred " + i + ", grid " + grid);
        }
    }

    /** The batch-norm kernels themselves, one block per channel and blocks looping over channels (grid 2 < 5 channels). */
    @Test
    void emulatedBatchNormKernelsMatchTheCpuBackend() throws Exception {
        Random r = new Random(47);
        int[][] shapes = {{9, 5, 1}, {4, 5, 30}, {3, 2, 100}};
        for (int[] sh : shapes) {
            int n = sh[0], c = sh[1], sp = sh[2], total = n * c * sp;
            int[] dims = sp == 1 ? new int[]{n, c} : new int[]{n, c, 1, sp};
            float[] xs = gaussians(r, total, 2f), dys = gaussians(r, total, 1f);
            for (int i = 0; i < total; i += 3) xs[i] += 50f;
            float[] gamma = channelValues(r, c, 1f, 0.3f), beta = channelValues(r, c, 0f, 0.5f);
            float[] rm0 = channelValues(r, c, 0f, 1f), rv0 = channelValues(r, c, 2f, 0.2f);
            for (boolean training : new boolean[]{true, false}) {
                Tensor x = Tensor.of(scope, xs, dims), y = Tensor.of(scope, new float[total], dims);
                Tensor rm = floats(rm0.clone()), rv = floats(rv0.clone()), sm = floats(new float[c]), si = floats(new float[c]);
                cpu.batchNorm(x, y, floats(gamma), floats(beta), rm, rv, sm, si, training, 0.1f, 1e-5f);
                String record = "kbn " + n + " " + c + " " + sp + " " + (training ? 1 : 0) + " " + hex(0.1f) + " " + hex(1e-5f) + " 2"
                        + join(xs) + join(gamma) + join(beta) + join(rm0) + join(rv0);
                String[] f = harness.run(List.of(record)).getFirst().split(" ");
                String what = java.util.Arrays.toString(sh) + " training=" + training;
                for (int i = 0; i < total; i++) assertClose(y.getFloat(i), f[i], 1e-6, "y[" + i + "], " + what);
                for (int ch = 0; ch < c; ch++) {
                    assertWithinUlps(rm.getFloat(ch), f[total + ch], 1, "running mean " + ch + ", " + what);
                    assertWithinUlps(rv.getFloat(ch), f[total + c + ch], 1, "running var " + ch + ", " + what);
                    if (training) {
                        assertWithinUlps(sm.getFloat(ch), f[total + 2 * c + ch], 1, "save mean " + ch + ", " + what);
                        assertWithinUlps(si.getFloat(ch), f[total + 3 * c + ch], 1, "save inv std " + ch + ", " + what);
                    }
                }
                if (!training) continue;
                Tensor dx = Tensor.of(scope, new float[total], dims), dg = floats(new float[c]), db = floats(new float[c]);
                cpu.batchNormBackward(x, Tensor.of(scope, dys, dims), floats(gamma), sm, si, dx, dg, db);
                String[] b = harness.run(List.of("kbnback " + n + " " + c + " " + sp + " 2" + join(xs) + join(dys) + join(gamma)
                        + join(sm.toFloatArray()) + join(si.toFloatArray()))).getFirst().split(" ");
                for (int i = 0; i < total; i++) assertClose(dx.getFloat(i), b[i], 1e-6, "dx[" + i + "], " + what);
                for (int ch = 0; ch < c; ch++) {
                    assertClose(dg.getFloat(ch), b[total + ch], 1e-6, "dgamma " + ch + ", " + what);
                    assertClose(db.getFloat(ch), b[total + c + ch], 1e-6, "dbeta " + ch + ", " + what);
                }
            }
        }
    }
}
