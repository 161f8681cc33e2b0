package org.edgeq.hwsim;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.edgeq.data.Dataset;
import org.edgeq.export.CompressedModelFile;
import org.edgeq.export.EncodedTensor;
import org.edgeq.export.TensorEncoding;
import org.edgeq.nn.Model;
import org.edgeq.nn.WeightLayerRef;
import org.edgeq.quant.core.AffineParams;
import org.edgeq.quant.core.IntegerGrid;
import org.edgeq.quant.fake.ActivationCalibration;
import org.edgeq.quant.fake.ActivationRanges;
import org.edgeq.quant.fake.BatchNormFolding;
import org.edgeq.quant.fake.FakeQuantize;
import org.edgeq.quant.fake.QatConfig;
import org.edgeq.quant.fake.QatHook;
import org.edgeq.quant.fake.QuantSpec;
import org.edgeq.quant.observe.ObserverKind;

/**
 * A model made into the fake-quant model that integer inference is compared with: batch norms folded, frozen
 * fake quantizers on every weight layer (weights symmetric per output channel, inputs per tensor), evaluated through
 * EdgeQ's existing fake-quant path; {@link #compile} gives the {@link IntegerModel} with exactly those quantizers.
 * It comes from a trained FP32 model (quantized here: weight scales from min-max per channel, activation ranges
 * calibrated on training batches) or from an export that carries its activation ranges ('edgeq qat --act-bits N',
 * 'edgeq quantize --method affine --act-bits N'). Closing it detaches the quantizers; the model stays the caller's.
 */
public final class FakeQuantVariant implements AutoCloseable {
    private final Model model;
    private final QatHook hook;
    private final int weightBits;
    private final int activationBits;
    private final boolean symmetricActivations;
    private final String weightsFrom;

    private FakeQuantVariant(Model model, QatHook hook, int weightBits, int activationBits, boolean symmetricActivations, String weightsFrom) {
        this.model = model;
        this.hook = hook;
        this.weightBits = weightBits;
        this.activationBits = activationBits;
        this.symmetricActivations = symmetricActivations;
        this.weightsFrom = weightsFrom;
    }

    /**
     * Quantizes an FP32 model at W{wBits}A{aBits}: folds its batch norms, then calibrates as 'edgeq quantize
     * --act-bits' does: every layer's input range over the first {@code batches} training batches (running min-max),
     * weights per channel from their min-max.
     */
    public static FakeQuantVariant calibrate(Model fp32, Dataset train, int batches, int batchSize, int wBits, int aBits,
                                             boolean symmetricActivations) {
        checkBits(wBits, aBits);
        BatchNormFolding.fold(fp32);
        QuantSpec acts = QuantSpec.perTensor(aBits, symmetricActivations, ObserverKind.MIN_MAX);
        int[] rows = IntStream.range(0, train.size()).toArray();
        QatHook hook = ActivationCalibration.calibrate(fp32, train, rows, batches, batchSize, QuantSpec.weights(wBits), acts);
        return new FakeQuantVariant(fp32, hook, wBits, aBits, symmetricActivations,
                "quantized here: per-channel symmetric min-max weight scales, activation ranges from " + batches + " training batches of "
                        + batchSize);
    }

    /**
     * The fake-quant model of an export loaded into {@code exported}: batch norms folded (an export from QAT has them
     * folded already: a no-op), the metadata's activation ranges as input quantizers, and per-channel weight scales
     * taken from the file's symmetric affine codes where they reproduce the (folded) weights exactly, else found by
     * min-max at the export's width (e.g. a landmark-set export, or a batch norm folded after quantization).
     */
    public static FakeQuantVariant fromExport(Model exported, CompressedModelFile.Contents contents) {
        String json = contents.metadata().get("activations");
        if (json == null) {
            throw new IllegalArgumentException(contents.file() + " carries no activation ranges; integer inference needs them "
                    + "(export with 'edgeq qat --act-bits 8' or 'edgeq quantize --method affine --act-bits 8')");
        }
        Map<String, ActivationRanges.Range> ranges = ActivationRanges.fromJson(json);
        List<WeightLayerRef> layers = exported.weightLayers();
        ActivationRanges.Range first = ranges.get(layers.getFirst().path());
        if (first == null) throw new IllegalArgumentException(contents.file() + ": no activation range for layer " + layers.getFirst().path());
        Integer precisionBits = precisionWeightBits(contents.metadata().get("precision"));
        BatchNormFolding.fold(exported);
        int bits = -1;
        float[][] scales = new float[layers.size()][];
        int exact = 0;
        for (int i = 0; i < layers.size(); i++) {
            WeightLayerRef wl = layers.get(i);
            EncodedTensor t = contents.tensors().stream().filter(e -> e.name().equals(wl.weight().name())).findFirst().orElse(null);
            int layerBits = t != null && t.encoding() == TensorEncoding.AFFINE ? t.bits() : precisionBits == null ? -1 : precisionBits;
            if (layerBits < 2 || layerBits > 8) {
                throw new IllegalArgumentException(contents.file() + ": layer " + wl.path() + " has no integer weight width of 2..8 bits "
                        + "(encoding " + (t == null ? "none" : t.describe()) + ", precision " + contents.metadata().get("precision") + ")");
            }
            if (bits != -1 && layerBits != bits) throw new IllegalArgumentException(contents.file() + ": layers have different weight widths");
            bits = layerBits;
            float[] w = new float[Math.toIntExact(wl.weight().numel())];
            exported.backend().download(wl.weight().value(), w);
            float[] fromFile = t == null ? null : symmetricAffineScales(t, wl.outChannels(), bits);
            if (fromFile != null && reproduces(w, fromFile, bits)) {
                scales[i] = fromFile;
                exact++;
            } else {
                scales[i] = minMaxScales(w, wl.outChannels(), bits);
            }
        }
        QuantSpec acts = QuantSpec.perTensor(first.bits(), first.symmetric(), ObserverKind.MIN_MAX);
        checkBits(bits, first.bits());
        QatHook inputs = ActivationRanges.restore(exported, ranges); // validates that every layer has a range on one grid
        inputs.close();
        QatHook hook = QatHook.prepare(exported, new QatConfig(QuantSpec.weights(bits), acts, 0, 1e-3f));
        for (int i = 0; i < layers.size(); i++) {
            ActivationRanges.Range r = ranges.get(layers.get(i).path());
            FakeQuantize wq = hook.layers().get(i).weightQuantizer();
            wq.setParameters(scales[i], new int[scales[i].length]);
            hook.layers().get(i).inputQuantizer().setParameters(new float[] {r.scale()}, new int[] {r.zeroPoint()});
        }
        hook.freeze();
        String from = exact == layers.size() ? "as exported (the file's symmetric affine codes)"
                : exact + " of " + layers.size() + " layers as exported, the others re-quantized here (per-channel min-max at " + bits + " bits)";
        return new FakeQuantVariant(exported, hook, bits, first.bits(), first.symmetric(), from);
    }

    private static void checkBits(int wBits, int aBits) {
        if (wBits < 2 || wBits > 8) throw new IllegalArgumentException("weight bits must be 2..8 for integer inference, got " + wBits);
        if (aBits < 2 || aBits > 8) throw new IllegalArgumentException("activation bits must be 2..8 for integer inference, got " + aBits);
    }

    /** "w8a8" -> 8, "4" -> 4, else null. */
    static Integer precisionWeightBits(String precision) {
        if (precision == null) return null;
        String p = precision.strip();
        if (p.startsWith("w")) {
            int a = p.indexOf('a');
            p = a < 0 ? p.substring(1) : p.substring(1, a);
        }
        try {
            return Integer.parseInt(p);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Per-output-channel scales of an affine tensor whose grid is the symmetric one ([-(2^(b-1) - 1), 2^(b-1) - 1],
     * stored with zero = 2^(b-1) - 1 after the file's unsigned shift), or null when the grid is another.
     */
    static float[] symmetricAffineScales(EncodedTensor t, int channels, int bits) {
        if (t.encoding() != TensorEncoding.AFFINE || t.bits() != bits) return null;
        int groups = t.groups();
        if (groups != 1 && groups != channels) return null;
        ByteBuffer in = ByteBuffer.wrap(t.data()).order(ByteOrder.LITTLE_ENDIAN);
        float[] s = new float[groups];
        for (int g = 0; g < groups; g++) s[g] = in.getFloat();
        int qmax = IntegerGrid.qmax(bits, true);
        for (int g = 0; g < groups; g++) {
            int zero = in.getInt();
            if (zero != qmax && zero != qmax + 1) return null; // the symmetric grid, shifted by -(qmin) = qmax (or 2^(b-1) for the full signed range)
        }
        float[] out = new float[channels];
        for (int c = 0; c < channels; c++) out[c] = s[groups == 1 ? 0 : c];
        for (float v : out) if (!(v > 0)) return null;
        return out;
    }

    /** Whether every weight is its symmetric code times its channel's scale, as the fake quantizer would give it back. */
    static boolean reproduces(float[] w, float[] scales, int bits) {
        int qmax = IntegerGrid.qmax(bits, true);
        int inner = w.length / scales.length;
        for (int i = 0; i < w.length; i++) {
            float s = scales[i / inner];
            float r = (float) Math.rint(w[i] * (1f / s));
            if (r < -qmax || r > qmax || r * s != w[i]) return false;
        }
        return true;
    }

    /** FakeQuantize's min-max weight scales: per channel, {@link AffineParams}' symmetric rule on the weights' range. */
    static float[] minMaxScales(float[] w, int channels, int bits) {
        IntegerGrid grid = new IntegerGrid(bits, true);
        int inner = w.length / channels;
        float[] s = new float[channels];
        for (int c = 0; c < channels; c++) {
            float lo = 0;
            float hi = 0;
            for (int j = 0; j < inner; j++) {
                lo = Math.min(lo, w[c * inner + j]);
                hi = Math.max(hi, w[c * inner + j]);
            }
            s[c] = AffineParams.scale(lo, hi, grid);
        }
        return s;
    }

    public Model model() {
        return model;
    }

    public QatHook hook() {
        return hook;
    }

    public int weightBits() {
        return weightBits;
    }

    public int activationBits() {
        return activationBits;
    }

    public boolean symmetricActivations() {
        return symmetricActivations;
    }

    /** Where the weight scales came from, for the report. */
    public String weightsFrom() {
        return weightsFrom;
    }

    /** The integer model with exactly this variant's quantizers. */
    public IntegerModel compile(IntegerModel.Rounding rounding) {
        return IntegerModel.compile(model, hook, rounding);
    }

    /** Detaches the quantizers (the model computes in float again; its batch norms stay folded). */
    @Override
    public void close() {
        hook.close();
    }
}
