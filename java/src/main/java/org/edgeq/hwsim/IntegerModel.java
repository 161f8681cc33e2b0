package org.edgeq.hwsim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.edgeq.backend.Backend;
import org.edgeq.backend.ConvGeometry;
import org.edgeq.backend.PoolGeometry;
import org.edgeq.nn.BatchNorm;
import org.edgeq.nn.Layer;
import org.edgeq.nn.Model;
import org.edgeq.nn.Parameter;
import org.edgeq.nn.WeightLayerRef;
import org.edgeq.quant.core.IntegerGrid;
import org.edgeq.quant.fake.FakeQuantLayer;
import org.edgeq.quant.fake.FakeQuantize;
import org.edgeq.quant.fake.QatHook;
import org.edgeq.tensor.Tensor;

/**
 * A quantized network compiled for integer-only inference, the way an int8 accelerator or TFLite's integer
 * kernels run it: the input is quantized once with the first layer's input grid; every Linear and Conv2d (im2col +
 * {@link IntGemm}) multiplies stored activation codes by symmetric per-output-channel weight codes in an
 * accumulator of a chosen width that saturates; an int32 output stage adds the bias (in units of s_in * s_w, with
 * the input zero-point term folded in, as gemmlowp does) and requantizes by a Q31 multiplier and shift
 * ({@link FixedPoint}) into the next layer's input grid, with a following ReLU fused into the clamp; max pools run on
 * the codes (quantization is monotone, so pooling codes equals quantizing the pooled values); the output layer's
 * accumulators are dequantized to float logits (TFLite's final Dequantize), unless an output grid is given.
 *
 * <p>Where the accumulator never saturates, every code equals the fake-quant model's within one step (the fake-quant
 * model adds a float bias and rounds once in float; here the bias is rounded to an integer and the multiplier to
 * 31 bits). Batch norms must be folded before ({@link org.edgeq.quant.fake.BatchNormFolding}): a folded one is an
 * identity plus a shift, which joins the bias.
 *
 * <p>Compiled models are immutable; {@link #run} is thread-safe with one {@link Workspace} per thread.
 */
public final class IntegerModel {
    private final ActivationGrid inputGrid;
    private final List<IntStage> stages;
    private final int inputFeatures;
    private final int outputs;
    private final boolean dequantizedOutput;
    private final Rounding rounding;

    /** How the output stage rounds the product of an accumulator and a Q31 multiplier. */
    public enum Rounding {
        /** gemmlowp / TFLite's default: SaturatingRoundingDoublingHighMul, then RoundingDivideByPOT. */
        DOUBLE,
        /** TFLite built with TFLITE_SINGLE_ROUNDING: one 64-bit product, one rounding shift. */
        SINGLE;

        /** The command-line name. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * How one weight layer is quantized.
     *
     * @param weightBits   2..8; symmetric codes in [-(2^(b-1) - 1), 2^(b-1) - 1]
     * @param weightScales one per output channel (a single scale applies to every channel)
     * @param input        the grid of the layer's input
     */
    public record LayerQuantization(int weightBits, float[] weightScales, ActivationGrid input) {
        public LayerQuantization {
            if (weightBits < 2 || weightBits > 8) throw new IllegalArgumentException("weight bits must be 2..8 for integer inference, got " + weightBits);
            for (float s : weightScales) {
                if (!(s > 0) || !Float.isFinite(s)) throw new IllegalArgumentException("weight scales must be finite and > 0, got " + s);
            }
        }
    }

    /** One compiled weight layer with what follows it. */
    record IntStage(String path, NetworkGraph.Stage graph, int weightBits, byte[] weights, float[] weightScales,
                    int[] bias, int saturatedBiases, ActivationGrid in, ActivationGrid out,
                    FixedPoint.QuantizedMultiplier[] multipliers, double[] dequantize, int clampLow, int clampHigh) {
    }

    private IntegerModel(ActivationGrid inputGrid, List<IntStage> stages, int inputFeatures, int outputs, boolean dequantizedOutput,
                         Rounding rounding) {
        this.rounding = rounding;
        this.inputGrid = inputGrid;
        this.stages = List.copyOf(stages);
        this.inputFeatures = inputFeatures;
        this.outputs = outputs;
        this.dequantizedOutput = dequantizedOutput;
    }

    /**
     * Compiles {@code model} with the quantizers {@code hook} attached to it (weights per channel symmetric, inputs
     * per tensor), as fake-quant evaluation uses them; batch norms must already be folded.
     */
    public static IntegerModel compile(Model model, QatHook hook, Rounding rounding) {
        NetworkGraph graph = NetworkGraph.of(model);
        List<WeightLayerRef> wls = model.weightLayers();
        if (hook.layers().size() != wls.size()) {
            throw new IllegalArgumentException("the hook quantizes " + hook.layers().size() + " layers, the model has " + wls.size());
        }
        Map<String, LayerQuantization> byPath = new HashMap<>();
        for (int i = 0; i < wls.size(); i++) byPath.put(wls.get(i).path(), quantizationOf(wls.get(i), hook.layers().get(i)));
        return compile(graph, model.backend(), byPath::get, null, rounding);
    }

    /** The quantization a frozen fake-quant layer applies, refusing what integer inference cannot take. */
    static LayerQuantization quantizationOf(WeightLayerRef wl, FakeQuantLayer fq) {
        FakeQuantize w = fq.weightQuantizer();
        FakeQuantize in = fq.inputQuantizer();
        if (w == null || in == null) {
            throw new IllegalArgumentException("layer " + wl.path() + " needs both weight and input quantizers for integer inference");
        }
        if (!w.spec().symmetric()) throw new IllegalArgumentException("layer " + wl.path() + ": integer inference takes symmetric weights");
        if (!w.initialised() || !in.initialised()) {
            throw new IllegalArgumentException("layer " + wl.path() + ": its quantizers have observed nothing yet");
        }
        if (in.spec().perChannel()) throw new IllegalArgumentException("layer " + wl.path() + ": activations must be quantized per tensor");
        ActivationGrid grid = new ActivationGrid(in.spec().bits(), in.spec().symmetric(), in.scales()[0], in.zeroPoints()[0]);
        return new LayerQuantization(w.spec().bits(), w.scales(), grid);
    }

    /**
     * Compiles the stages of {@code graph}.
     *
     * @param quantization each weight layer's quantization by module path
     * @param outputGrid   null: the last layer's accumulators are dequantized to float; else they are requantized
     *                     into this grid
     * @param rounding     how requantization rounds
     */
    public static IntegerModel compile(NetworkGraph graph, Backend backend, Function<String, LayerQuantization> quantization,
                                       ActivationGrid outputGrid, Rounding rounding) {
        List<NetworkGraph.Stage> gs = graph.stages();
        NetworkGraph.Stage lastStage = gs.getLast();
        if (outputGrid == null && (lastStage.relu() || !lastStage.pools().isEmpty())) {
            throw new IllegalArgumentException("layer " + lastStage.path() + " is the output layer but a ReLU or max pool follows it; "
                    + "integer inference dequantizes the output layer's accumulators (give an output grid to requantize)");
        }
        List<IntStage> out = new ArrayList<>();
        for (int i = 0; i < gs.size(); i++) {
            NetworkGraph.Stage s = gs.get(i);
            LayerQuantization q = quantization.apply(s.path());
            if (q == null) throw new IllegalArgumentException("no quantization for layer " + s.path());
            ActivationGrid next;
            if (i + 1 < gs.size()) {
                LayerQuantization nq = quantization.apply(gs.get(i + 1).path());
                if (nq == null) throw new IllegalArgumentException("no quantization for layer " + gs.get(i + 1).path());
                next = nq.input();
            } else {
                next = outputGrid;
            }
            out.add(compileStage(s, backend, q, next));
        }
        int features = 1;
        for (int d : graph.inputShape()) features *= d;
        return new IntegerModel(quantization.apply(gs.getFirst().path()).input(), out, features,
                Math.toIntExact(gs.getLast().outputs()), outputGrid == null, rounding);
    }

    private static IntStage compileStage(NetworkGraph.Stage s, Backend backend, LayerQuantization q, ActivationGrid next) {
        int o = s.outChannels(), k = s.depth();
        float[] w = download(backend, param(s.layer(), "weight"));
        Parameter bp = param(s.layer(), "bias");
        double[] bias = new double[o];
        if (bp != null) {
            float[] b = download(backend, bp);
            for (int c = 0; c < o; c++) bias[c] = b[c];
        }
        if (s.batchNorm() != null) addFoldedShift(s, backend, bias);
        float[] scales = channelScales(s, q, o);
        int qmax = IntegerGrid.qmax(q.weightBits(), true);
        byte[] codes = new byte[o * k];
        float[] used = scales.clone();
        for (int c = 0; c < o; c++) {
            float inv = 1f / scales[c];
            boolean allZero = true;
            for (int j = 0; j < k; j++) {
                float r = (float) Math.rint(w[c * k + j] * inv);
                r = r < -qmax ? -qmax : r > qmax ? qmax : r;
                int code = r != r ? 0 : (int) r;
                codes[c * k + j] = (byte) code;
                allZero &= code == 0;
            }
            // A channel without a non-zero code computes its bias alone, whatever its scale: take 1, so that the
            // bias in units of s_in * s_w does not overflow int32 for the tiny scale of an all-zero channel.
            if (allZero) used[c] = 1f;
        }
        ActivationGrid in = q.input();
        int[] intBias = new int[o];
        int saturated = 0;
        for (int c = 0; c < o; c++) {
            long rowSum = 0;
            for (int j = 0; j < k; j++) rowSum += codes[c * k + j];
            double unit = (double) in.scale() * used[c];
            double rounded = Math.rint(bias[c] / unit);
            // sum (q - z) w = sum q w - z * sum w: the zero-point term joins the bias (gemmlowp's offset).
            double total = rounded - (double) in.storedZero() * rowSum;
            if (total > Integer.MAX_VALUE || total < Integer.MIN_VALUE) saturated++;
            intBias[c] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, total));
        }
        FixedPoint.QuantizedMultiplier[] multipliers = null;
        double[] dequantize = null;
        int low = 0, high = 0;
        if (next != null) {
            multipliers = new FixedPoint.QuantizedMultiplier[o];
            for (int c = 0; c < o; c++) {
                double m = (double) in.scale() * used[c] / next.scale();
                try {
                    multipliers[c] = FixedPoint.quantizeMultiplier(m);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("layer " + s.path() + " channel " + c + ": " + e.getMessage());
                }
            }
            low = s.relu() ? Math.max(next.storedMin(), next.storedZero()) : next.storedMin();
            high = next.storedMax();
        } else {
            dequantize = new double[o];
            for (int c = 0; c < o; c++) dequantize[c] = (double) in.scale() * used[c];
        }
        return new IntStage(s.path(), s, q.weightBits(), codes, used, intBias, saturated, in, next, multipliers, dequantize, low, high);
    }

    private static float[] channelScales(NetworkGraph.Stage s, LayerQuantization q, int o) {
        float[] given = q.weightScales();
        if (given.length == o) return given.clone();
        if (given.length == 1) {
            float[] all = new float[o];
            Arrays.fill(all, given[0]);
            return all;
        }
        throw new IllegalArgumentException("layer " + s.path() + " has " + o + " output channels but " + given.length + " weight scales");
    }

    /** A folded batch norm is y = x + beta (scale exactly 1, mean 0, as BatchNormFolding leaves it): beta joins the bias. */
    private static void addFoldedShift(NetworkGraph.Stage s, Backend backend, double[] bias) {
        BatchNorm bn = s.batchNorm();
        float[] gamma = download(backend, param(bn, "weight"));
        float[] beta = download(backend, param(bn, "bias"));
        float[] mean = download(backend, bn.buffers().get("running_mean"));
        float[] var = download(backend, bn.buffers().get("running_var"));
        for (int c = 0; c < bias.length; c++) {
            float invStd = (float) (1.0 / Math.sqrt(var[c] + (double) BatchNorm.EPS)); // as the CPU backend computes it
            if (gamma[c] * invStd != 1f || mean[c] != 0f) {
                throw new IllegalArgumentException("batch norm " + s.bnPath() + " is not folded into " + s.path()
                        + " (fold it first: BatchNormFolding.fold)");
            }
            bias[c] += beta[c];
        }
    }

    private static Parameter param(Layer layer, String name) {
        for (Parameter p : layer.parameters()) if (p.name().equals(name)) return p;
        return null;
    }

    private static float[] download(Backend backend, Parameter p) {
        return download(backend, p.value());
    }

    private static float[] download(Backend backend, Tensor t) {
        float[] a = new float[Math.toIntExact(t.numel())];
        backend.download(t, a);
        return a;
    }

    public Rounding rounding() {
        return rounding;
    }

    public ActivationGrid inputGrid() {
        return inputGrid;
    }

    /** Module paths of the weight layers, in order. */
    public List<String> layerPaths() {
        return stages.stream().map(IntStage::path).toList();
    }

    /** Features per sample. */
    public int inputFeatures() {
        return inputFeatures;
    }

    /** Outputs per sample. */
    public int outputs() {
        return outputs;
    }

    /** Biases per layer that did not fit int32 and were saturated at compile time (normally none). */
    public int[] saturatedBiases() {
        return stages.stream().mapToInt(IntStage::saturatedBiases).toArray();
    }

    /** Weight codes of a layer ([out, depth], row-major), a copy. */
    public byte[] weightCodes(int layer) {
        return stages.get(layer).weights().clone();
    }

    /** Weight scales of a layer as used (an all-zero channel's scale is 1), a copy. */
    public float[] weightScales(int layer) {
        return stages.get(layer).weightScales().clone();
    }

    /** Scratch buffers of one thread. */
    public static final class Workspace {
        private byte[] a;
        private byte[] b;
        private byte[] patches;
        private int[] acc;

        private static byte[] grow(byte[] buf, long need) {
            return buf != null && buf.length >= need ? buf : new byte[Math.toIntExact(need)];
        }
    }

    /**
     * The outcome of one batch.
     *
     * @param logits      dequantized outputs [n, outputs] (null when an output grid was given)
     * @param codes       stored output codes [n, outputs] (null when dequantized)
     * @param accumulatorSaturations per layer: partial sums the GEMM clamped (IntGemm's count)
     * @param outputStageSaturations per layer: accumulator + bias sums clamped to int32 in the output stage
     */
    public record Result(float[] logits, byte[] codes, long[] accumulatorSaturations, long[] outputStageSaturations) {
    }

    /** Runs {@code n} samples of {@code input} (row-major [n, features], starting at sample {@code first}). */
    public Result run(float[] input, int first, int n, IntGemm gemm, int accBits, Workspace ws) {
        if (n < 0 || (long) (first + n) * inputFeatures > input.length) {
            throw new IllegalArgumentException("input holds " + input.length / Math.max(1, inputFeatures) + " samples, asked for " + first + "+" + n);
        }
        long[] accSat = new long[stages.size()];
        long[] outSat = new long[stages.size()];
        byte[] cur = ws.a = Workspace.grow(ws.a, (long) n * inputFeatures);
        int base = first * inputFeatures;
        for (int i = 0; i < n * inputFeatures; i++) cur[i] = inputGrid.quantize(input[base + i]);
        byte[] other = ws.b;
        float[] logits = null;
        byte[] codes = null;
        for (int li = 0; li < stages.size(); li++) {
            IntStage st = stages.get(li);
            NetworkGraph.Stage g = st.graph();
            int o = g.outChannels(), k = g.depth();
            int positions = g.kind() instanceof NetworkGraph.Convolution c ? c.geometry().outHeight() * c.geometry().outWidth() : 1;
            long m = (long) n * positions;
            byte[] lhs = cur;
            if (g.kind() instanceof NetworkGraph.Convolution c) {
                ws.patches = Workspace.grow(ws.patches, m * k);
                im2col(cur, ws.patches, n, c.geometry(), (byte) st.in().storedZero());
                lhs = ws.patches;
            }
            if (ws.acc == null || ws.acc.length < m * o) ws.acc = new int[Math.toIntExact(m * o)];
            int[] acc = ws.acc;
            accSat[li] = gemm.gemm(lhs, st.weights(), acc, Math.toIntExact(m), o, k, accBits);
            boolean last = li == stages.size() - 1;
            if (last && st.out() == null) {
                logits = new float[Math.toIntExact((long) n * o * positions)];
                outSat[li] = dequantize(st, acc, logits, n, positions, o);
                continue;
            }
            other = Workspace.grow(other, (long) n * g.layerOutputs());
            outSat[li] = requantize(st, acc, other, n, positions, o, rounding);
            byte[] t = cur;
            cur = other;
            other = t;
            for (PoolGeometry p : g.pools()) {
                long size = (long) n * p.channels() * p.outHeight() * p.outWidth();
                other = Workspace.grow(other, size);
                maxPool(cur, other, n, p);
                t = cur;
                cur = other;
                other = t;
            }
            if (last) codes = Arrays.copyOf(cur, Math.toIntExact((long) n * g.outputs()));
        }
        ws.a = cur;
        ws.b = other;
        return new Result(logits, codes, accSat, outSat);
    }

    /**
     * Patches of every output position of every sample, [n * OH * OW, C * k * k] (the A operand of the GEMM), padding
     * holding the zero point. Each (channel, kernel row) of a patch is k contiguous input bytes, copied as a run where
     * the window lies inside the row and element by element only at the borders.
     */
    static void im2col(byte[] x, byte[] patches, int n, ConvGeometry g, byte zero) {
        int c = g.inChannels(), h = g.height(), w = g.width(), kk = g.kernel(), stride = g.stride(), pad = g.padding();
        int oh = g.outHeight(), ow = g.outWidth(), plane = h * w;
        int dst = 0;
        for (int s = 0; s < n; s++) {
            int sample = s * c * plane;
            for (int y = 0; y < oh; y++) {
                int y0 = y * stride - pad;
                for (int xx = 0; xx < ow; xx++) {
                    int x0 = xx * stride - pad;
                    boolean inside = x0 >= 0 && x0 + kk <= w;
                    for (int ch = 0; ch < c; ch++) {
                        int src = sample + ch * plane;
                        for (int i = 0; i < kk; i++) {
                            int iy = y0 + i;
                            if (iy < 0 || iy >= h) {
                                for (int j = 0; j < kk; j++) patches[dst + j] = zero;
                            } else if (inside && kk == 3) { // the 3x3 kernels of every EdgeQ CNN: unrolled
                                int from = src + iy * w + x0;
                                patches[dst] = x[from];
                                patches[dst + 1] = x[from + 1];
                                patches[dst + 2] = x[from + 2];
                            } else if (inside) {
                                System.arraycopy(x, src + iy * w + x0, patches, dst, kk);
                            } else {
                                int row = src + iy * w;
                                for (int j = 0; j < kk; j++) {
                                    int ix = x0 + j;
                                    patches[dst + j] = ix >= 0 && ix < w ? x[row + ix] : zero;
                                }
                            }
                            dst += kk;
                        }
                    }
                }
            }
        }
    }

    /**
     * Output stage: acc + bias in int32 (saturating, counted), requantized, offset, clamped; NCHW for convolutions.
     * Channel-major so that each channel's constants stay in registers and the writes are sequential.
     */
    private static long requantize(IntStage st, int[] acc, byte[] out, int n, int positions, int o, Rounding rounding) {
        long saturated = 0;
        int zero = st.out().storedZero(), low = st.clampLow(), high = st.clampHigh();
        int[] bias = st.bias();
        FixedPoint.QuantizedMultiplier[] mul = st.multipliers();
        boolean single = rounding == Rounding.SINGLE;
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < o; c++) {
                int q = mul[c].multiplier(), shift = mul[c].shift();
                long b = bias[c];
                int src = s * positions * o + c;
                int dst = (s * o + c) * positions;
                for (int p = 0; p < positions; p++, src += o) {
                    long t = acc[src] + b;
                    if (t > Integer.MAX_VALUE) {
                        t = Integer.MAX_VALUE;
                        saturated++;
                    } else if (t < Integer.MIN_VALUE) {
                        t = Integer.MIN_VALUE;
                        saturated++;
                    }
                    int v = (single ? FixedPoint.multiplyByQuantizedMultiplierSingleRounding((int) t, q, shift)
                            : FixedPoint.multiplyByQuantizedMultiplierFast((int) t, q, shift)) + zero;
                    out[dst + p] = (byte) (v < low ? low : v > high ? high : v);
                }
            }
        }
        return saturated;
    }

    /** The output layer: acc + bias in int32 (saturating, counted), times s_in * s_w per channel; NCHW for convolutions. */
    private static long dequantize(IntStage st, int[] acc, float[] logits, int n, int positions, int o) {
        long saturated = 0;
        int[] bias = st.bias();
        double[] scale = st.dequantize();
        for (int s = 0; s < n; s++) {
            for (int p = 0; p < positions; p++) {
                int row = (s * positions + p) * o;
                for (int c = 0; c < o; c++) {
                    long t = (long) acc[row + c] + bias[c];
                    if (t > Integer.MAX_VALUE) {
                        t = Integer.MAX_VALUE;
                        saturated++;
                    } else if (t < Integer.MIN_VALUE) {
                        t = Integer.MIN_VALUE;
                        saturated++;
                    }
                    logits[(s * o + c) * positions + p] = (float) (t * scale[c]);
                }
            }
        }
        return saturated;
    }

    static void maxPool(byte[] x, byte[] y, int n, PoolGeometry p) {
        int c = p.channels(), h = p.height(), w = p.width(), win = p.window(), stride = p.stride();
        int oh = p.outHeight(), ow = p.outWidth();
        int dst = 0;
        if (win == 2 && stride == 2) { // cnn-small's and cnn-seed's pools
            for (int plane = 0; plane < n * c; plane++) {
                int base = plane * h * w;
                for (int y0 = 0; y0 < oh; y0++) {
                    int r0 = base + 2 * y0 * w, r1 = r0 + w;
                    for (int x0 = 0; x0 < ow; x0++) {
                        int j = 2 * x0;
                        y[dst++] = (byte) Math.max(Math.max(x[r0 + j], x[r0 + j + 1]), Math.max(x[r1 + j], x[r1 + j + 1]));
                    }
                }
            }
            return;
        }
        for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < c; ch++) {
                int plane = (s * c + ch) * h * w;
                for (int y0 = 0; y0 < oh; y0++) {
                    for (int x0 = 0; x0 < ow; x0++) {
                        int best = Byte.MIN_VALUE;
                        for (int i = 0; i < win; i++) {
                            int r = plane + (y0 * stride + i) * w + x0 * stride;
                            for (int j = 0; j < win; j++) best = Math.max(best, x[r + j]);
                        }
                        y[dst++] = (byte) best;
                    }
                }
            }
        }
    }
}
