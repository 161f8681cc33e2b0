package org.edgeq.quant;

import org.edgeq.quant.core.Granularity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.edgeq.backend.Backend;
import org.edgeq.nn.Model;
import org.edgeq.nn.Parameter;
import org.edgeq.nn.WeightLayerRef;
import org.edgeq.tensor.Tensor;

/**
 * Applies a weight quantizer to a whole {@link Model}, in place, under the seed's rules of which tensors each
 * method touches (the one place that decides it): the dequantized values are written back into the parameters and
 * the quantized form of each rewritten tensor is returned by parameter name, in {@link Model#parameters()} order
 * (PyTorch's named_parameters order), for export. Tensors not in the result stay FP32.
 *
 * <ul>
 *   <li>mid-rise (the seed's): every parameter tensor on its own, batch-norm weight and bias included;</li>
 *   <li>regular and stochastic rounding (the seed's): every parameter tensor, rounded to ONE set per module (the
 *       parameter name minus its last component) built from that module's weight and bias pooled (flattened weight,
 *       then bias; a module without bias uses its weight alone; a batch-norm module its own gamma and beta);
 *       stochastic draws use stream key 2i for weight layer i's weight and 2i + 1 for its bias, and 2(L + j),
 *       2(L + j) + 1 for the j-th other module (batch norm) of a model with L weight layers;</li>
 *   <li>multi-point, the seed's and EdgeQ's grid search: every parameter except index 0, the last one and every
 *       {@code .bias}, so the output weight and batch-norm gammas ARE quantized; the seed's draws use the
 *       parameter index as stream key;</li>
 *   <li>affine (EdgeQ): the weight of every weight layer (Linear, Conv2d); biases stay FP32 (integer inference keeps
 *       them at 32 bits).</li>
 * </ul>
 * Per-channel granularity (EdgeQ) applies to weight-layer weights: a landmark set per output channel from that
 * weight row plus its bias element (which is rounded with it), a Δ per row for mid-rise; every other tensor is
 * quantized per tensor.
 */
public final class ModelQuantizer {

    private ModelQuantizer() {
    }

    /** Quantizes every tensor the rules above give {@code quantizer} at {@code bits}. */
    public static Map<String, QuantizedTensor> apply(Model model, WeightQuantizer quantizer, int bits) {
        Backend backend = model.backend();
        List<Parameter> params = model.parameters();
        Map<String, QuantizedTensor> out = new LinkedHashMap<>();
        if (quantizer instanceof LandmarkQuantizer lq) {
            applyLandmarks(model, lq, bits, out);
            return reorder(params, out);
        }
        for (int i = 0; i < params.size(); i++) {
            if (touches(quantizer.method(), model, i)) out.put(params.get(i).name(), quantizeAlone(model, backend, quantizer, i, bits));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * As {@link #apply(Model, WeightQuantizer, int)} with a quantizer chosen per parameter name (null: leave it), e.g.
     * a multi-point point budget; each tensor follows its quantizer's method's rules. Landmark methods are refused
     * here, since they quantize a module's tensors together.
     */
    public static Map<String, QuantizedTensor> apply(Model model, Function<String, WeightQuantizer> perTensor, int bits) {
        Backend backend = model.backend();
        List<Parameter> params = model.parameters();
        Map<String, QuantizedTensor> out = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            WeightQuantizer q = perTensor.apply(params.get(i).name());
            if (q == null) continue;
            if (q instanceof LandmarkQuantizer) throw new IllegalArgumentException("landmark methods round a module's tensors together: use apply(model, quantizer, bits)");
            if (touches(q.method(), model, i)) out.put(params.get(i).name(), quantizeAlone(model, backend, q, i, bits));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Names of the parameters {@code method} rewrites in {@code model}, in {@link Model#parameters()} order. */
    public static List<String> touchedParameters(Model model, QuantMethod method) {
        List<Parameter> params = model.parameters();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) if (touches(method, model, i)) names.add(params.get(i).name());
        return List.copyOf(names);
    }

    /** Whether {@code method} rewrites parameter {@code index} of {@code model.parameters()}; see the class comment. */
    public static boolean touches(QuantMethod method, Model model, int index) {
        List<Parameter> params = model.parameters();
        String name = params.get(index).name();
        return switch (method) {
            case MID_RISE, ROUNDING, STOCHASTIC -> true;
            case MULTIPOINT, MULTIPOINT_GRID -> index != 0 && index != params.size() - 1 && !name.endsWith(".bias");
            case AFFINE -> weightLayerWeights(model).contains(name);
        };
    }

    private static QuantizedTensor quantizeAlone(Model model, Backend backend, WeightQuantizer q, int index, int bits) {
        Parameter p = model.parameters().get(index);
        float[] v = download(backend, p.value());
        int[] shape = p.value().shape().dims();
        boolean rows = weightLayerWeights(model).contains(p.name());
        QuantizedTensor qt = switch (q) {
            case MidRiseQuantizer mq -> (rows ? mq : new MidRiseQuantizer(Granularity.PER_TENSOR, mq.range())).quantize(v, shape, bits);
            case MultiPointQuantizer mp -> mp.quantize(v, shape, bits, index);
            case MultiPointGridQuantizer grid -> grid.quantize(v, shape, bits);
            case AffineQuantizer aq -> aq.quantize(v, shape, bits);
            case LandmarkQuantizer lq -> throw new IllegalStateException("landmark quantizers go through applyLandmarks");
        };
        backend.upload(qt.dequantize(), p.value());
        return qt;
    }

    /** One set per module from its weight and bias pooled; both tensors rounded to it. */
    private static void applyLandmarks(Model model, LandmarkQuantizer lq, int bits, Map<String, QuantizedTensor> out) {
        Backend backend = model.backend();
        Map<String, Integer> layerIndex = new HashMap<>();
        for (WeightLayerRef l : model.weightLayers()) layerIndex.put(l.path(), l.index());
        int others = 0;
        for (Map.Entry<String, List<Parameter>> module : modules(model).entrySet()) {
            Parameter w = find(module.getValue(), ".weight");
            Parameter b = find(module.getValue(), ".bias");
            if (w == null) throw new IllegalArgumentException("module " + module.getKey() + " has no weight to build a landmark set from");
            Integer layer = layerIndex.get(module.getKey());
            long key = 2L * (layer != null ? layer : model.weightLayers().size() + others++);
            float[] wv = download(backend, w.value());
            float[] bv = b == null ? null : download(backend, b.value());
            int[] wShape = w.value().shape().dims();
            if (layer != null && lq.granularity() == Granularity.PER_CHANNEL && wShape.length >= 1) {
                int channels = wShape[0];
                int inner = wv.length / channels;
                LandmarkSet[] sets = new LandmarkSet[channels];
                for (int c = 0; c < channels; c++) {
                    float[] chan = Arrays.copyOfRange(wv, c * inner, (c + 1) * inner + (bv == null ? 0 : 1));
                    if (bv != null) chan[inner] = bv[c];
                    sets[c] = lq.setKind().build(chan, bits);
                }
                write(backend, w, lq.quantizePerChannel(wv, wShape, sets, key), out);
                if (b != null) write(backend, b, lq.quantizePerChannel(bv, b.value().shape().dims(), sets, key + 1), out);
            } else {
                LandmarkSet set = lq.setKind().build(bv == null ? wv : concat(wv, bv), bits);
                write(backend, w, lq.quantize(wv, wShape, set, key), out);
                if (b != null) write(backend, b, lq.quantize(bv, b.value().shape().dims(), set, key + 1), out);
            }
        }
    }

    /** Parameters grouped by module (name minus its last component), modules in order of first appearance. */
    private static Map<String, List<Parameter>> modules(Model model) {
        Map<String, List<Parameter>> m = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            String name = p.name();
            m.computeIfAbsent(name.substring(0, Math.max(0, name.lastIndexOf('.'))), k -> new ArrayList<>()).add(p);
        }
        return m;
    }

    private static Parameter find(List<Parameter> params, String suffix) {
        for (Parameter p : params) if (p.name().endsWith(suffix)) return p;
        return null;
    }

    private static Set<String> weightLayerWeights(Model model) {
        Set<String> s = new HashSet<>();
        for (WeightLayerRef l : model.weightLayers()) s.add(l.weight().name());
        return s;
    }

    private static Map<String, QuantizedTensor> reorder(List<Parameter> params, Map<String, QuantizedTensor> found) {
        Map<String, QuantizedTensor> out = new LinkedHashMap<>();
        for (Parameter p : params) if (found.containsKey(p.name())) out.put(p.name(), found.get(p.name()));
        return Collections.unmodifiableMap(out);
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
