package org.edgeq.hwsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.edgeq.backend.Backend;
import org.edgeq.nn.Conv2d;
import org.edgeq.nn.Flatten;
import org.edgeq.nn.Layer;
import org.edgeq.nn.LayerContext;
import org.edgeq.nn.Linear;
import org.edgeq.nn.MaxPool2d;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.QuantizableLayer;
import org.edgeq.nn.ReLU;
import org.edgeq.nn.Sequential;
import org.edgeq.nn.TestBackends;
import org.edgeq.nn.WeightLayerRef;
import org.edgeq.quant.fake.BatchNormFolding;
import org.edgeq.quant.fake.FakeQuantLayer;
import org.edgeq.quant.fake.FakeQuantize;
import org.edgeq.quant.observe.ObserverKind;
import org.edgeq.quant.fake.QuantSpec;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.junit.jupiter.api.Test;

/**
 * Integer inference of one stage (a weight layer and what follows it) equals EdgeQ's fake-quant path, quantized
 * onto the same output grid, within one step on every element, for random layers of every kind: Linear, Conv2d
 * with padding and stride, max pool, folded batch norm, ReLU fused, at 8, 4 and 2 bits, symmetric and asymmetric
 * activations. (One step, not zero: the fake-quant model adds a float bias and rounds once in float; the integer
 * model rounds the bias to s_in * s_w units and the multiplier to 31 bits.)
 */
class IntegerModelTest {

    /** A stage under test: its layers in a Sequential, the per-sample input shape. */
    private record Case(Sequential net, int[] sample, int weightBits, int actBits, boolean symmetric) {
    }

    /**
     * Results of one comparison: how many codes differ by one (exact ties aside), the largest difference, and the
     * largest requantization multiplier M = s_in * s_w / s_out of the layer.
     */
    private record Diff(int elements, int offByOne, int max, double multiplier) {
    }

    private static ActivationGrid grid(float[] values, int bits, boolean symmetric) {
        float lo = 0, hi = 0;
        for (float v : values) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        QuantSpec spec = new QuantSpec(bits, symmetric, false, ObserverKind.CURRENT, 0.01f, false);
        float scale = symmetric ? Math.max(-lo, hi) / ((spec.qmax() - spec.qmin()) / 2f) : (hi - lo) / (spec.qmax() - spec.qmin());
        scale = Math.max(scale, Math.ulp(1f));
        int zero = symmetric ? 0 : (int) Math.min(Math.max(spec.qmin() - Math.round((double) lo / scale), spec.qmin()), spec.qmax());
        return new ActivationGrid(bits, symmetric, scale, zero);
    }

    /** Per-output-channel symmetric min-max scales of a weight, as FakeQuantize's weight observer computes them. */
    private static float[] weightScales(float[] w, int channels, int bits) {
        int inner = w.length / channels;
        float qmax = (1 << (bits - 1)) - 1;
        float[] s = new float[channels];
        for (int c = 0; c < channels; c++) {
            float m = 0;
            for (int j = 0; j < inner; j++) m = Math.max(m, Math.abs(w[c * inner + j]));
            s[c] = Math.max(m / ((2 * qmax) / 2f), Math.ulp(1f));
        }
        return s;
    }

    /**
     * Runs {@code c} through the fake-quant path and through integer inference, both ending on one output grid,
     * and returns how their output codes differ.
     */
    private static Diff compare(Backend backend, Case c, float[] x, int n, boolean biasOnGrid) {
        return compare(backend, c, x, n, biasOnGrid, biasOnGrid ? IntegerModel.Rounding.SINGLE : IntegerModel.Rounding.DOUBLE);
    }

    private static Diff compare(Backend backend, Case c, float[] x, int n, boolean biasOnGrid, IntegerModel.Rounding rounding) {
        List<Layer> layers = c.net().children();
        QuantizableLayer wl = (QuantizableLayer) layers.getFirst();
        float[] w = wl.parameters().getFirst().value().toFloatArray();
        int channels = wl.parameters().getFirst().value().dim(0);
        float[] wScales = weightScales(w, channels, c.weightBits());
        ActivationGrid in = grid(x, c.actBits(), c.symmetric());
        if (biasOnGrid && wl.parameters().size() > 1) {
            // The bias as the integer model holds it: a multiple of s_in * s_w (TFLite's int32 bias).
            Tensor bias = wl.parameters().get(1).value();
            float[] b = bias.toFloatArray();
            for (int o = 0; o < b.length; o++) {
                double unit = (double) in.scale() * wScales[o];
                b[o] = (float) (Math.rint(b[o] / unit) * unit);
            }
            backend.upload(b, bias);
        }
        int[] dims = new int[c.sample().length + 1];
        dims[0] = n;
        System.arraycopy(c.sample(), 0, dims, 1, c.sample().length);
        float[] reference;
        try (TensorScope scope = new TensorScope();
             FakeQuantize wq = new FakeQuantize(backend, QuantSpec.weights(c.weightBits()), channels);
             FakeQuantize iq = new FakeQuantize(backend, new QuantSpec(c.actBits(), c.symmetric(), false, ObserverKind.CURRENT, 0.01f, false), 1)) {
            wq.setParameters(wScales, new int[channels]);
            iq.setParameters(new float[] {in.scale()}, new int[] {in.zeroPoint()});
            wl.setQuantizedForward(new FakeQuantLayer(wq, iq));
            try {
                reference = c.net().forward(Tensor.of(scope, x, dims), false).toFloatArray();
            } finally {
                wl.setQuantizedForward(null);
            }
        }
        ActivationGrid out = grid(reference, c.actBits(), c.symmetric());
        IntegerModel im = IntegerModel.compile(NetworkGraph.of("net", c.net()), backend,
                p -> new IntegerModel.LayerQuantization(c.weightBits(), wScales, in), out, rounding);
        IntegerModel.Result r = im.run(x, 0, n, new NaiveIntGemm(), 32, new IntegerModel.Workspace());
        assertEquals(reference.length, r.codes().length, "outputs");
        assertEquals(0, r.accumulatorSaturations()[0] + r.outputStageSaturations()[0], "no saturation in 32 bits");
        int offByOne = 0, max = 0;
        for (int i = 0; i < reference.length; i++) {
            int d = Math.abs(r.codes()[i] - out.quantize(reference[i]));
            // Exact ties (y / s_out = k + 1/2, which the tests' data-derived grids make common, e.g. M = 1/2) round
            // half to even in the fake quantizer and half up in integers: one step either way, not counted here.
            double v = (double) reference[i] / out.scale();
            boolean tie = Math.abs(Math.abs(v - Math.floor(v)) - 0.5) < 1e-3;
            if (d == 1 && !tie) offByOne++;
            max = Math.max(max, d);
        }
        double mMax = 0;
        for (float ws : wScales) mMax = Math.max(mMax, (double) in.scale() * ws / out.scale());
        return new Diff(reference.length, offByOne, max, mMax);
    }

    private static float[] gaussian(SplittableRandom r, int n, double scale, double shift) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (shift + scale * nextGaussian(r));
        return v;
    }

    private static double nextGaussian(SplittableRandom r) {
        double u = r.nextDouble(1e-12, 1), v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /**
     * Two roundings of TFLite's integer scheme move codes off the fake-quant ones: the bias rounded to units of
     * s_in * s_w (its int32 bias) moves a channel's outputs by up to M / 2 steps, and the default double rounding
     * (SaturatingRoundingDoublingHighMul, then RoundingDivideByPOT) by up to 2^-(right+1) steps, where M = 2^-right *
     * q. Together they stay below one step while M < 2, so codes are within one step; at low weight widths M is 0.1
     * to 1 and a few percent of codes land one step off, at 8-bit weights M is about 0.01 and nearly none. Beyond M = 2
     * (an output step finer than half the s_in * s_w step, seen only in tiny random layers) one int32 bias step spans
     * several output steps.
     */
    private static void assertWithinOneStep(List<Diff> diffs, String what) {
        int checked = 0;
        for (Diff d : diffs) {
            int allowed = 1 + (int) Math.floor(d.multiplier() / 2);
            assertTrue(d.max() <= allowed, what + ": a code differs by " + d.max() + " steps at M = " + d.multiplier());
            if (d.multiplier() < 2) checked++;
        }
        assertTrue(checked >= diffs.size() * 3 / 4, what + ": most random layers have M < 2 (" + checked + " of " + diffs.size() + ")");
    }

    /**
     * With the bias already a multiple of s_in * s_w and single-rounding requantization, the two paths differ only by
     * float rounding in the fake-quant sum and the 31-bit multiplier: at most one step, and almost never. (TFLite's
     * default double rounding first rounds at 2^-right of a step, up to a quarter step off when M is near 1/2.)
     */
    private static void assertNearlyExact(List<Diff> diffs, String what) {
        long elements = 0, off = 0;
        for (Diff d : diffs) {
            assertTrue(d.max() <= 1, what + ": a code differs by " + d.max() + " steps at M = " + d.multiplier());
            elements += d.elements();
            off += d.offByOne();
        }
        assertTrue(off <= elements / 500 + 1, what + ": " + off + " of " + elements + " codes differ by one");
    }

    private static void assertNearlyExactAtEightBits(List<Diff> eightBit, String what) {
        long elements = 0, off = 0;
        for (Diff d : eightBit) {
            assertTrue(d.max() <= 1, what + ": a code differs by " + d.max());
            elements += d.elements();
            off += d.offByOne();
        }
        assertTrue(off <= elements / 200 + 1, what + " at 8-bit weights: " + off + " of " + elements + " codes differ by one");
    }

    /** The cases at 8-bit weights (BITS[t % 3] with t = 0, 3, 6, ...). */
    private static List<Diff> everyThird(List<Diff> diffs) {
        List<Diff> out = new ArrayList<>();
        for (int i = 0; i < diffs.size(); i += 3) out.add(diffs.get(i));
        return out;
    }

    private static final int[] BITS = {8, 4, 2};

    @Test
    void linearLayersWithFusedReluEqualFakeQuantWithinOneStepAtEveryWidth() {
        SplittableRandom r = new SplittableRandom(11);
        List<Diff> diffs = new ArrayList<>(), onGrid = new ArrayList<>();
        try (Backend backend = TestBackends.cpu(2)) {
            for (int t = 0; t < 36; t++) {
                try (LayerContext ctx = new LayerContext(backend, t)) {
                    int in = r.nextInt(3, 60), outs = r.nextInt(2, 24), n = 7;
                    List<Layer> ls = new ArrayList<>();
                    ls.add(new Linear(ctx, in, outs, r.nextBoolean()));
                    if (r.nextBoolean()) ls.add(new ReLU(ctx, Shape.of(outs)));
                    Case c = new Case(new Sequential(ls), new int[] {in}, BITS[t % 3], BITS[(t / 3) % 3], t % 2 == 0);
                    float[] x = gaussian(r, n * in, 1.5, 0.3);
                    diffs.add(compare(backend, c, x, n, false));
                    onGrid.add(compare(backend, c, x, n, true));
                }
            }
        }
        assertWithinOneStep(diffs, "Linear");
        assertNearlyExactAtEightBits(everyThird(diffs), "Linear");
        assertNearlyExact(onGrid, "Linear, bias on the s_in * s_w grid");
    }

    @Test
    void convolutionsWithPaddingStrideReluAndMaxPoolEqualFakeQuantWithinOneStep() {
        SplittableRandom r = new SplittableRandom(12);
        List<Diff> diffs = new ArrayList<>(), onGrid = new ArrayList<>();
        try (Backend backend = TestBackends.cpu(2)) {
            for (int t = 0; t < 36; t++) {
                try (LayerContext ctx = new LayerContext(backend, 100 + t)) {
                    int ch = r.nextInt(1, 5), h = r.nextInt(5, 13), w = r.nextInt(5, 13), o = r.nextInt(2, 9);
                    int k = new int[] {1, 3, 5}[r.nextInt(3)], stride = r.nextInt(1, 4), pad = r.nextInt(0, 3);
                    if (h + 2 * pad < k || w + 2 * pad < k) pad = k;
                    Shape sample = Shape.of(ch, h, w);
                    List<Layer> ls = new ArrayList<>();
                    Conv2d conv = new Conv2d(ctx, sample, o, k, stride, pad, r.nextBoolean());
                    ls.add(conv);
                    Shape s = conv.outputShape();
                    if (r.nextBoolean()) ls.add(new ReLU(ctx, s));
                    if (s.dim(1) >= 2 && s.dim(2) >= 2 && r.nextBoolean()) {
                        MaxPool2d pool = new MaxPool2d(ctx, s, 2, 2);
                        ls.add(pool);
                        s = pool.outputShape();
                        if (r.nextBoolean()) ls.add(new ReLU(ctx, s)); // after the pool: still fused
                    }
                    if (r.nextBoolean()) ls.add(new Flatten(s));
                    Case c = new Case(new Sequential(ls), sample.dims(), BITS[t % 3], BITS[(t / 3) % 3], t % 2 == 1);
                    int n = 3;
                    float[] x = gaussian(r, n * ch * h * w, 1.0, 0.5);
                    diffs.add(compare(backend, c, x, n, false));
                    onGrid.add(compare(backend, c, x, n, true));
                }
            }
        }
        assertWithinOneStep(diffs, "Conv2d");
        assertNearlyExactAtEightBits(everyThird(diffs), "Conv2d");
        assertNearlyExact(onGrid, "Conv2d, bias on the s_in * s_w grid");
    }

    /** Gives a model's batch norms random statistics and folds them, as export does. */
    private static void randomBatchNormsThenFold(Model m, SplittableRandom r) {
        for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) {
            String name = e.getKey();
            int c = Math.toIntExact(e.getValue().numel());
            float[] v;
            if (name.endsWith("running_var")) v = gaussianAbs(r, c, 0.5, 0.2);
            else if (name.endsWith("running_mean")) v = gaussian(r, c, 0.3, 0);
            else if (isBatchNormParameter(m, name)) v = name.endsWith(".weight") ? gaussian(r, c, 0.6, 0.2) : gaussian(r, c, 0.2, 0);
            else continue;
            m.backend().upload(v, e.getValue());
        }
        BatchNormFolding.fold(m);
    }

    private static boolean isBatchNormParameter(Model m, String name) {
        String module = name.substring(0, name.lastIndexOf('.'));
        return m.stateDict().containsKey(module + ".running_mean");
    }

    private static float[] gaussianAbs(SplittableRandom r, int n, double scale, double floor) {
        float[] v = gaussian(r, n, scale, 0);
        for (int i = 0; i < n; i++) v[i] = (float) (Math.abs(v[i]) + floor);
        return v;
    }

    @Test
    void foldedBatchNormStagesOfDenseAndCnnSmallEqualFakeQuantWithinOneStep() {
        SplittableRandom r = new SplittableRandom(13);
        List<Diff> dense = new ArrayList<>(), conv = new ArrayList<>(), onGrid = new ArrayList<>();
        try (Backend backend = TestBackends.cpu(2)) {
            for (int t = 0; t < 6; t++) {
                try (Model m = ModelFactory.create(new ModelConfig("dense", new int[] {9}, 3, List.of(16, 8), 0f, true), backend, t)) {
                    randomBatchNormsThenFold(m, r);
                    List<Layer> kids = m.network().children(); // Linear, BN, ReLU, Linear, BN, ReLU, Linear
                    Case c = new Case(new Sequential(kids.subList(0, 3)), new int[] {9}, BITS[t % 3], 8, t % 2 == 0);
                    float[] x = gaussian(r, 11 * 9, 1, 0);
                    dense.add(compare(backend, c, x, 11, false));
                    onGrid.add(compare(backend, c, x, 11, true));
                }
                try (Model m = ModelFactory.create(new ModelConfig("cnn-small", new int[] {2, 10, 10}, 3, List.of(), 0f, false), backend, t)) {
                    randomBatchNormsThenFold(m, r);
                    List<Layer> kids = m.network().children(); // Conv, BN, ReLU, Pool, Conv, BN, ReLU, Pool, Flatten, ...
                    Case c = new Case(new Sequential(kids.subList(0, 4)), new int[] {2, 10, 10}, BITS[t % 3], BITS[(t + 1) % 3], t % 2 == 1);
                    float[] x = gaussian(r, 4 * 200, 1, 0.2);
                    conv.add(compare(backend, c, x, 4, false));
                    onGrid.add(compare(backend, c, x, 4, true));
                }
            }
        }
        assertWithinOneStep(dense, "Linear + folded BatchNorm1d + ReLU");
        assertWithinOneStep(conv, "Conv2d + folded BatchNorm2d + ReLU + MaxPool2d");
        assertNearlyExact(onGrid, "folded batch norm stages, bias on the s_in * s_w grid");
    }

    @Test
    void unfoldedBatchNormIsRefusedNamingIt() {
        try (Backend backend = TestBackends.cpu(1);
             Model m = ModelFactory.create(new ModelConfig("dense", new int[] {4}, 2, List.of(5), 0f, true), backend, 1)) {
            float[] var = new float[5];
            Arrays.fill(var, 4f);
            m.backend().upload(var, m.stateDict().get("net.1.running_var"));
            ActivationGrid g = new ActivationGrid(8, false, 0.1f, 10);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IntegerModel.compile(NetworkGraph.of(m), backend,
                    p -> new IntegerModel.LayerQuantization(8, new float[] {0.01f}, g), null, IntegerModel.Rounding.DOUBLE));
            assertTrue(e.getMessage().contains("net.1") && e.getMessage().contains("not folded"), e.getMessage());
        }
    }

    @Test
    void sixteenBitAccumulatorSaturatesWhereThirtyTwoBitsComputeTheFakeQuantResult() {
        // 64 inputs at the top code times weights at the top code: 64 * 127 * 127 = 1,032,256 > 32,767.
        try (Backend backend = TestBackends.cpu(1); LayerContext ctx = new LayerContext(backend, 3)) {
            Linear lin = new Linear(ctx, 64, 2, true);
            float[] w = new float[128];
            Arrays.fill(w, 0, 64, 0.5f); // channel 0: every weight at +127 * (0.5 / 127)
            for (int j = 64; j < 128; j++) w[j] = j % 2 == 0 ? 0.5f : -0.5f; // channel 1: alternating, partial sums stay small
            backend.upload(w, lin.parameters().get(0).value());
            backend.upload(new float[] {0.25f, -0.25f}, lin.parameters().get(1).value());
            Sequential net = new Sequential(List.of(lin));
            float[] x = new float[64];
            Arrays.fill(x, 2f);
            ActivationGrid in = new ActivationGrid(8, true, 2f / 127, 0);
            float[] scales = {0.5f / 127, 0.5f / 127};
            IntegerModel im = IntegerModel.compile(NetworkGraph.of("net", net), backend,
                    p -> new IntegerModel.LayerQuantization(8, scales, in), null, IntegerModel.Rounding.DOUBLE);
            IntegerModel.Result r32 = im.run(x, 0, 1, new NaiveIntGemm(), 32, new IntegerModel.Workspace());
            IntegerModel.Result r16 = im.run(x, 0, 1, new NaiveIntGemm(), 16, new IntegerModel.Workspace());
            assertEquals(0, r32.accumulatorSaturations()[0], "32 bits hold 1,032,256");
            assertEquals(64 + 0.25, r32.logits()[0], 1e-4, "64 * 2 * 0.5 + bias, exact in 32 bits");
            assertEquals(-0.25, r32.logits()[1], 1e-4);
            // Channel 0 passes 32,767 at its third product and stays clamped: 62 saturations; channel 1 none.
            assertEquals(62, r16.accumulatorSaturations()[0]);
            assertEquals(32767 * (2.0 / 127) * (0.5 / 127) + 0.25, r16.logits()[0], 1e-4);
            assertEquals(-0.25, r16.logits()[1], 1e-4, "the channel that never saturates is exact");
        }
    }

    @Test
    void residualNetworksAndLayersBeforeTheFirstWeightLayerAreRefused() {
        try (Backend backend = TestBackends.cpu(1);
             Model m = ModelFactory.create(new ModelConfig("resnet9", new int[] {3, 8, 8}, 10, List.of(), 0f, false), backend, 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetworkGraph.of(m));
            assertTrue(e.getMessage().contains("Residual") || e.getMessage().contains("residual"), e.getMessage());
        }
        try (Backend backend = TestBackends.cpu(1); LayerContext ctx = new LayerContext(backend, 1)) {
            Sequential s = new Sequential(List.of(new ReLU(ctx, Shape.of(4)), new Linear(ctx, 4, 2, true)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetworkGraph.of("net", s));
            assertTrue(e.getMessage().contains("net.0") && e.getMessage().contains("ReLU"), e.getMessage());
        }
    }

    @Test
    void wholeModelRunsAgreeWithFakeQuantLogitsClosely() {
        // Every stage within one step compounds to small logit differences; predictions agree.
        SplittableRandom r = new SplittableRandom(14);
        try (Backend backend = TestBackends.cpu(2);
             Model m = ModelFactory.create(new ModelConfig("cnn-small", new int[] {1, 12, 12}, 4, List.of(), 0.25f, false), backend, 4)) {
            randomBatchNormsThenFold(m, r);
            int n = 16;
            float[] x = gaussian(r, n * 144, 1, 0);
            Map<String, IntegerModel.LayerQuantization> q = new HashMap<>();
            List<WeightLayerRef> wls = m.weightLayers();
            List<FakeQuantLayer> attached = new ArrayList<>();
            try (TensorScope scope = new TensorScope()) {
                // Calibrate every input range on this batch with the model in float, then attach frozen quantizers.
                float[] h = x;
                int[] shape = {n, 1, 12, 12};
                List<Layer> kids = m.network().children();
                int stage = 0;
                Tensor cur = Tensor.of(scope, h, shape);
                for (Layer l : kids) {
                    if (l instanceof QuantizableLayer ql) {
                        WeightLayerRef wl = wls.get(stage++);
                        float[] w = wl.weight().value().toFloatArray();
                        float[] ws = weightScales(w, wl.outChannels(), 8);
                        ActivationGrid g = grid(cur.toFloatArray(), 8, false);
                        q.put(wl.path(), new IntegerModel.LayerQuantization(8, ws, g));
                        FakeQuantize wq = new FakeQuantize(backend, QuantSpec.weights(8), wl.outChannels());
                        FakeQuantize iq = new FakeQuantize(backend, QuantSpec.activations(8), 1);
                        wq.setParameters(ws, new int[wl.outChannels()]);
                        iq.setParameters(new float[] {g.scale()}, new int[] {g.zeroPoint()});
                        FakeQuantLayer fq = new FakeQuantLayer(wq, iq);
                        attached.add(fq);
                        ql.setQuantizedForward(fq);
                    }
                    cur = l.forward(cur, false);
                }
                float[] fake = cur.toFloatArray();
                IntegerModel im = IntegerModel.compile(NetworkGraph.of(m), backend, q::get, null, IntegerModel.Rounding.DOUBLE);
                IntegerModel.Result res = im.run(x, 0, n, new NaiveIntGemm(), 32, new IntegerModel.Workspace());
                double range = 0;
                for (float v : fake) range = Math.max(range, Math.abs(v));
                int agree = 0;
                for (int i = 0; i < n; i++) {
                    if (Simulation.argmax(fake, i * 4, 4) == Simulation.argmax(res.logits(), i * 4, 4)) agree++;
                    for (int j = 0; j < 4; j++) {
                        assertEquals(fake[i * 4 + j], res.logits()[i * 4 + j], 0.05 * range, "logit " + i + "," + j);
                    }
                }
                assertTrue(agree >= n - 1, agree + " of " + n + " predictions agree");
            } finally {
                for (WeightLayerRef wl : wls) ((QuantizableLayer) wl.layer()).setQuantizedForward(null);
                attached.forEach(FakeQuantLayer::close);
            }
        }
    }
}
