package org.edgeq.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.edgeq.backend.Backend;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;

/**
 * A network built from a {@link ModelConfig}: the root {@link Sequential} (PyTorch attribute name {@code net}),
 * its backend, and the memory of its parameters and activation buffers, all freed by {@link #close()}.
 */
public final class Model implements AutoCloseable {
    /** Attribute name of the root module, the first component of every state-dict key. */
    public static final String ROOT = "net";

    private final ModelConfig config;
    private final Sequential net;
    private final LayerContext context;
    private final List<Parameter> parameters;
    private final Map<String, Tensor> state;
    private final List<Dropout> dropouts;
    private final List<WeightLayerRef> weightLayers;

    Model(ModelConfig config, Sequential net, LayerContext context) {
        this.config = config;
        this.net = net;
        this.context = context;
        List<Parameter> params = new ArrayList<>();
        Map<String, Tensor> st = new LinkedHashMap<>();
        List<Dropout> drops = new ArrayList<>();
        walk(ROOT, net, params, st, drops);
        this.parameters = Collections.unmodifiableList(params);
        this.state = Collections.unmodifiableMap(st);
        this.dropouts = List.copyOf(drops);
        List<String> paths = new ArrayList<>();
        List<Layer> found = new ArrayList<>();
        collectWeightLayers(ROOT, net, paths, found);
        List<WeightLayerRef> wl = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            Layer l = found.get(i);
            Parameter w = null;
            Parameter b = null;
            for (Parameter p : l.parameters()) {
                if (p.name().equals("weight")) w = p.prefixed(paths.get(i));
                if (p.name().equals("bias")) b = p.prefixed(paths.get(i));
            }
            wl.add(new WeightLayerRef(paths.get(i), l, w, b, i, found.size()));
        }
        this.weightLayers = List.copyOf(wl);
    }

    private static void collectWeightLayers(String prefix, Layer layer, List<String> paths, List<Layer> found) {
        if (layer instanceof Linear || layer instanceof Conv2d) {
            paths.add(prefix);
            found.add(layer);
        }
        List<Layer> children = layer.children();
        for (int i = 0; i < children.size(); i++) collectWeightLayers(prefix + "." + i, children.get(i), paths, found);
    }

    private static void walk(String prefix, Layer layer, List<Parameter> params, Map<String, Tensor> st, List<Dropout> drops) {
        for (Parameter p : layer.parameters()) {
            Parameter named = p.prefixed(prefix);
            params.add(named);
            st.put(named.name(), named.value());
        }
        layer.buffers().forEach((k, v) -> st.put(prefix + "." + k, v));
        if (layer instanceof Dropout d) drops.add(d);
        List<Layer> children = layer.children();
        for (int i = 0; i < children.size(); i++) walk(prefix + "." + i, children.get(i), params, st, drops);
    }

    public ModelConfig config() {
        return config;
    }

    public Backend backend() {
        return context.backend();
    }

    /** The root module (PyTorch attribute {@link #ROOT}), e.g. for tools that walk the layers in forward order. */
    public Sequential network() {
        return net;
    }

    /** Per-sample input shape. */
    public Shape inputShape() {
        return net.inputShape();
    }

    /** Per-sample output shape. */
    public Shape outputShape() {
        return net.outputShape();
    }

    /** Runs a batch [N, input...]; the result is owned by the model and valid until the next forward. */
    public Tensor forward(Tensor x, boolean training) {
        if (x.numel() != (long) x.dim(0) * net.inputShape().numel()) {
            throw new IllegalArgumentException("model expects [N, " + net.inputShape() + "] input, got " + x.shape());
        }
        Tensor in = x;
        if (x.shape().rank() != net.inputShape().rank() + 1) {
            int[] dims = new int[net.inputShape().rank() + 1];
            dims[0] = x.dim(0);
            System.arraycopy(net.inputShape().dims(), 0, dims, 1, net.inputShape().rank());
            in = x.reshape(dims);
        }
        return net.forward(in, training);
    }

    /** Back-propagates the gradient of the loss with respect to the last output; fills every parameter's grad. */
    public void backward(Tensor dOutput) {
        net.backward(dOutput, false);
    }

    /** Trainable parameters with full PyTorch names, in module order. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /**
     * Every tensor of the model state (parameters and running statistics) by PyTorch name, in module order. It
     * omits BatchNorm's {@code num_batches_tracked} counters (only used by PyTorch when momentum is None), so a
     * PyTorch model loads it with {@code load_state_dict(..., strict=False)} or after adding those keys.
     */
    public Map<String, Tensor> stateDict() {
        return state;
    }

    public long parameterCount() {
        long n = 0;
        for (Parameter p : parameters) n += p.numel();
        return n;
    }

    /** Linear and Conv2d layers in forward order, with their parameters: what quantization and pruning rewrite. */
    public List<WeightLayerRef> weightLayers() {
        return weightLayers;
    }

    /** Dropout layers, for callers that save or replay the random stream (see {@link Dropout#offset()}). */
    public List<Dropout> dropouts() {
        return dropouts;
    }

    /** One row per leaf layer, in module order. */
    public List<LayerSummary> summary() {
        return layerShapes().stream().map(LayerShape::summary).toList();
    }

    /** Every leaf layer (and each residual block) as shapes, in module order: what {@link ModelFactory#layerShapes} plans. */
    public List<LayerShape> layerShapes() {
        return LayerShape.of(ROOT, net);
    }

    /** Frees parameters and buffers; the model is unusable afterwards. */
    @Override
    public void close() {
        context.close();
    }
}
