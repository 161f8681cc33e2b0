package org.edgeq.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;

/**
 * One layer of a model as shapes only: what counting parameters, MACs and bytes needs, the same whether it comes from
 * a built {@link Model} ({@link Model#layerShapes()}) or from a configuration alone ({@link ModelFactory#layerShapes},
 * which allocates nothing). Rows come in module order: every leaf layer, and each residual block (its addition) before
 * its body, as {@link Model#summary()} lists them.
 *
 * @param path          the layer's state-dict prefix, e.g. {@code net.0}
 * @param type          PyTorch-like class name (Linear, Conv2d, BatchNorm1d/2d, ReLU, MaxPool2d, Dropout, Flatten, Residual)
 * @param inputShape    per-sample input shape
 * @param outputShape   per-sample output shape
 * @param parameters    trainable tensors' shapes by local name ("weight", "bias"), in registration order
 * @param buffers       non-trainable state's shapes by local name ("running_mean", ...)
 * @param macsPerSample the layer's own {@link Layer#macsPerSample()}
 */
public record LayerShape(String path, String type, Shape inputShape, Shape outputShape, Map<String, Shape> parameters,
                         Map<String, Shape> buffers, long macsPerSample) {

    public LayerShape {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        buffers = Collections.unmodifiableMap(new LinkedHashMap<>(buffers));
    }

    /** Elements of the trainable tensors. */
    public long parameterCount() {
        long n = 0;
        for (Shape s : parameters.values()) n += s.numel();
        return n;
    }

    /** Shape of the weight, or null for a layer without one. */
    public Shape weight() {
        return parameters.get("weight");
    }

    /** Whether the layer multiplies by a weight matrix or kernel (Linear, Conv2d), as {@link Model#weightLayers()}. */
    public boolean isWeightLayer() {
        return type.equals("Linear") || type.equals("Conv2d");
    }

    /** The row {@code edgeq info} prints: F32 parameters and buffers, a residual block's additions as its MACs. */
    public LayerSummary summary() {
        long elements = parameterCount();
        for (Shape s : buffers.values()) elements += s.numel();
        long macs = type.equals("Residual") ? inputShape.numel() : macsPerSample;
        return new LayerSummary(path, type, outputShape, parameterCount(), macs, 4 * elements);
    }

    /** The rows of the layer tree under {@code root}, named from {@code prefix}. */
    static List<LayerShape> of(String prefix, Layer root) {
        List<LayerShape> rows = new ArrayList<>();
        collect(prefix, root, rows);
        return List.copyOf(rows);
    }

    private static void collect(String prefix, Layer layer, List<LayerShape> rows) {
        List<Layer> children = layer.children();
        if (children.isEmpty() || layer.type().equals("Residual")) rows.add(one(prefix, layer));
        for (int i = 0; i < children.size(); i++) collect(prefix + "." + i, children.get(i), rows);
    }

    private static LayerShape one(String path, Layer layer) {
        Map<String, Shape> params = new LinkedHashMap<>();
        Map<String, Shape> buffers = new LinkedHashMap<>();
        if (layer instanceof PlannedLayer p) {
            params.putAll(p.parameterShapes());
            buffers.putAll(p.bufferShapes());
        } else {
            for (Parameter p : layer.parameters()) params.put(p.name(), p.value().shape());
            for (Map.Entry<String, Tensor> e : layer.buffers().entrySet()) buffers.put(e.getKey(), e.getValue().shape());
        }
        return new LayerShape(path, layer.type(), layer.inputShape(), layer.outputShape(), params, buffers, layer.macsPerSample());
    }
}
