package org.edgeq.quant;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.edgeq.backend.Backend;
import org.edgeq.nn.Model;
import org.edgeq.nn.Parameter;
import org.edgeq.nn.WeightLayer;
import org.edgeq.tensor.Tensor;

/**
 * Applies a weight quantizer to a whole {@link Model} under the seed's rules, in place: the dequantized values
 * are written back into the parameter tensors, and the quantized form of each rewritten tensor is returned by
 * parameter name (in module order) for export. Tensors not in the result stay FP32.
 *
 * <p>Which tensors each method touches (weight layers are the model's Linear and Conv2d layers):
 * <ul>
 *   <li>mid-rise: the weight and the bias of every weight layer, each tensor quantized on its own;</li>
 *   <li>regular and stochastic rounding: the weight and bias of every weight layer, rounded to one landmark set
 *       per layer built from the weight and bias pooled together (per channel: channel c's set from weight row c
 *       plus bias[c]); stochastic draws use stream key 2·index for a layer's weight and 2·index + 1 for its bias;</li>
 *   <li>multi-point: the weights of every weight layer except the first and the last; all biases stay FP32;</li>
 *   <li>affine: the weight of every weight layer; biases stay FP32 (integer inference keeps them at 32 bits).</li>
 * </ul>
 */
public final class ModelQuantizer {

    private ModelQuantizer() {
    }

    /** Quantizes every tensor the seed's rules give {@code quantizer} at {@code bits}; see the class comment. */
    public static Map<String, QuantizedTensor> apply(Model model, WeightQuantizer quantizer, int bits) {
        return apply(model, layer -> quantizer, bits);
    }

    /**
     * As {@link #apply(Model, WeightQuantizer, int)} with a quantizer chosen per layer (e.g. a per-layer point
     * budget for multi-point); the rules follow each layer's quantizer's method.
     */
    public static Map<String, QuantizedTensor> apply(Model model, Function<WeightLayer, WeightQuantizer> perLayer, int bits) {
        Backend backend = model.backend();
        Map<String, QuantizedTensor> out = new LinkedHashMap<>();
        for (WeightLayer layer : model.weightLayers()) {
            WeightQuantizer q = perLayer.apply(layer);
            if (q == null) continue;
            quantizeLayer(backend, layer, q, bits, out);
        }
        return Collections.unmodifiableMap(out);
    }

    /** Names of the parameters {@code method} rewrites in {@code model}, in module order. */
    public static List<String> touchedParameters(Model model, QuantMethod method) {
        return model.weightLayers().stream()
                .flatMap(l -> java.util.stream.Stream.of(l.weight(), l.bias())
                        .filter(p -> p != null && touches(method, l, p == l.bias())))
                .map(Parameter::name).toList();
    }

    /** Whether {@code method} rewrites the weight (isBias false) or bias of {@code layer}. */
    public static boolean touches(QuantMethod method, WeightLayer layer, boolean isBias) {
        return switch (method) {
            case MID_RISE, ROUNDING, STOCHASTIC -> true;
            case MULTIPOINT -> !isBias && !layer.isFirst() && !layer.isLast();
            case AFFINE -> !isBias;
        };
    }

    private static void quantizeLayer(Backend backend, WeightLayer layer, WeightQuantizer q, int bits, Map<String, QuantizedTensor> out) {
        Parameter w = layer.weight();
        Parameter b = layer.bias();
        float[] wv = download(backend, w.value());
        float[] bv = b == null ? null : download(backend, b.value());
        int[] wShape = w.value().shape().dims();
        switch (q) {
            case LandmarkQuantizer lq -> {
                float[] pooled = bv == null ? wv : concat(wv, bv);
                long wKey = 2L * layer.index();
                if (lq.granularity() == Granularity.PER_CHANNEL) {
                    int channels = wShape[0];
                    int inner = wv.length / channels;
                    LandmarkSet[] sets = new LandmarkSet[channels];
                    for (int c = 0; c < channels; c++) {
                        float[] chan = Arrays.copyOfRange(wv, c * inner, (c + 1) * inner + (bv == null ? 0 : 1));
                        if (bv != null) chan[inner] = bv[c];
                        sets[c] = lq.setKind().build(chan, bits);
                    }
                    write(backend, w, lq.quantizePerChannel(wv, wShape, sets, wKey), out);
                    if (b != null) write(backend, b, lq.quantizePerChannel(bv, b.value().shape().dims(), sets, wKey + 1), out);
                } else {
                    LandmarkSet set = lq.setKind().build(pooled, bits);
                    write(backend, w, lq.quantize(wv, wShape, set, wKey), out);
                    if (b != null) write(backend, b, lq.quantize(bv, b.value().shape().dims(), set, wKey + 1), out);
                }
            }
            case MidRiseQuantizer mq -> {
                write(backend, w, mq.quantize(wv, wShape, bits), out);
                if (b != null) write(backend, b, mq.quantize(bv, b.value().shape().dims(), bits), out);
            }
            case MultiPointQuantizer mp -> {
                if (touches(QuantMethod.MULTIPOINT, layer, false)) write(backend, w, mp.quantize(wv, wShape, bits), out);
            }
            case AffineQuantizer aq -> write(backend, w, aq.quantize(wv, wShape, bits), out);
        }
    }

    private static void write(Backend backend, Parameter p, QuantizedTensor qt, Map<String, QuantizedTensor> out) {
        backend.upload(qt.dequantize(), p.value());
        out.put(p.name(), qt);
    }

    static float[] download(Backend backend, Tensor t) {
        float[] v = new float[Math.toIntExact(t.numel())];
        backend.download(t, v);
        return v;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
