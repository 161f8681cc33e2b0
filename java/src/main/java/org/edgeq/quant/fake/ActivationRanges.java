package org.edgeq.quant.fake;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.edgeq.nn.Model;
import org.edgeq.nn.WeightLayerRef;
import org.edgeq.quant.observe.ObserverKind;

/**
 * The frozen per-tensor input quantizers of a model's weight layers, as an export keeps them (JSON: layer path →
 * bits, symmetric, scale, zero point), and their restoration on a loaded model, so that a model exported with
 * quantized activations computes the same outputs after loading as when it was measured.
 */
public final class ActivationRanges {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One layer's input quantizer. */
    public record Range(int bits, boolean symmetric, float scale, int zeroPoint) {
    }

    private ActivationRanges() {
    }

    /** The input quantizers {@code hook} attached to {@code model}, as JSON; null when none quantizes inputs. */
    public static String toJson(Model model, QatHook hook) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        List<WeightLayerRef> layers = model.weightLayers();
        for (int i = 0; i < layers.size(); i++) {
            FakeQuantize in = hook.layers().get(i).inputQuantizer();
            if (in == null) continue;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("bits", in.spec().bits());
            r.put("symmetric", in.spec().symmetric());
            r.put("scale", in.scales()[0]);
            r.put("zero_point", in.zeroPoints()[0]);
            out.put(layers.get(i).path(), r);
        }
        if (out.isEmpty()) return null;
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write activation ranges", e);
        }
    }

    /** Parses what {@link #toJson} wrote; a malformed entry throws IllegalArgumentException naming it. */
    public static Map<String, Range> fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("activation ranges are not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException("activation ranges must be a JSON object");
        Map<String, Range> out = new LinkedHashMap<>();
        root.fields().forEachRemaining(e -> {
            JsonNode r = e.getValue();
            if (!r.hasNonNull("bits") || !r.hasNonNull("scale") || !r.hasNonNull("zero_point")) {
                throw new IllegalArgumentException("activation range of " + e.getKey() + " needs bits, scale and zero_point");
            }
            // Exports written before the flag existed only had the asymmetric grid.
            boolean symmetric = r.has("symmetric") && r.get("symmetric").asBoolean();
            out.put(e.getKey(), new Range(r.get("bits").asInt(), symmetric, (float) r.get("scale").asDouble(), r.get("zero_point").asInt()));
        });
        return out;
    }

    /**
     * Attaches frozen input quantizers with the saved parameters to every weight layer of {@code model}. The
     * returned hook owns them: keep it open while the model runs. Every weight layer needs a saved range, and all
     * share one grid (bits and symmetry), as the commands that write them produce.
     */
    public static QatHook restore(Model model, Map<String, Range> ranges) {
        List<WeightLayerRef> layers = model.weightLayers();
        Range first = ranges.get(layers.getFirst().path());
        if (first == null) throw new IllegalArgumentException("no activation range for layer " + layers.getFirst().path());
        for (WeightLayerRef wl : layers) {
            Range r = ranges.get(wl.path());
            if (r == null) throw new IllegalArgumentException("no activation range for layer " + wl.path());
            if (r.bits() != first.bits() || r.symmetric() != first.symmetric()) {
                throw new IllegalArgumentException("layer " + wl.path() + " uses another activation grid than " + layers.getFirst().path());
            }
        }
        QuantSpec spec = QuantSpec.perTensor(first.bits(), first.symmetric(), ObserverKind.MIN_MAX);
        QatHook hook = QatHook.prepare(model, new QatConfig(null, spec, 0, 1e-3f));
        for (int i = 0; i < layers.size(); i++) {
            Range r = ranges.get(layers.get(i).path());
            FakeQuantize q = hook.layers().get(i).inputQuantizer();
            q.freezeObserver();
            q.setParameters(new float[] {r.scale()}, new int[] {r.zeroPoint()});
        }
        hook.freeze();
        return hook;
    }
}
