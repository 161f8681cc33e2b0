package org.edgeq.interop;

import org.edgeq.nn.LayerShape;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.ModelPresets;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of EdgeQ's architectures an imported graph is, layer for layer: the graph's layers and EdgeQ's planned
 * layers ({@link ModelFactory#layerShapes}) are written as the same list of steps (type, weight shapes, output shape;
 * dropout left out, since an exported graph has none) and must be equal. The weights then go into EdgeQ's state dict
 * in forward order.
 */
public final class GraphArchitecture {
    private GraphArchitecture() {
    }

    /** A named architecture to try. */
    public record Candidate(String label, ModelConfig config) {
    }

    /**
     * The architectures a graph on {@code inputShape} with these layers may be: for a graph without convolutions a dense
     * network with the graph's hidden widths (and batch normalisation if the graph has it); otherwise cnn-small,
     * cnn-seed and resnet9.
     */
    public static List<Candidate> candidates(List<GraphLayer> layers, int[] inputShape, int outputs) {
        List<GraphLayer> flat = leaves(layers);
        if (flat.stream().noneMatch(l -> l instanceof GraphLayer.Conv)) {
            List<Integer> hidden = new ArrayList<>();
            List<GraphLayer.Dense> dense = flat.stream().filter(l -> l instanceof GraphLayer.Dense).map(l -> (GraphLayer.Dense) l).toList();
            for (int i = 0; i + 1 < dense.size(); i++) hidden.add(dense.get(i).weight().shape().dim(0));
            boolean norm = flat.stream().anyMatch(l -> l instanceof GraphLayer.Norm);
            return List.of(new Candidate("dense " + hidden, new ModelConfig("dense", inputShape.clone(), outputs, hidden, 0f, norm)));
        }
        if (inputShape.length != 3) return List.of();
        return List.of(new Candidate("cnn-small", ModelPresets.cnnSmall(inputShape, outputs)),
                new Candidate("cnn-seed", ModelPresets.cnnSeed(inputShape, outputs)),
                new Candidate("resnet9", ModelPresets.resnet9(inputShape, outputs)));
    }

    /** The outputs of the graph's last Linear (the classes), or 0 when it has none. */
    public static int outputs(List<GraphLayer> layers) {
        List<GraphLayer> flat = leaves(layers);
        for (int i = flat.size() - 1; i >= 0; i--) if (flat.get(i) instanceof GraphLayer.Dense d) return d.weight().shape().dim(0);
        return 0;
    }

    /** The graph's steps, or the first step that cannot take its input, as one line. */
    public static List<String> steps(List<GraphLayer> layers, Shape input) {
        List<String> out = new ArrayList<>();
        steps(layers, input, out);
        return out;
    }

    private static Shape steps(List<GraphLayer> layers, Shape input, List<String> out) {
        Shape s = input;
        for (GraphLayer l : layers) {
            if (l instanceof GraphLayer.Residual r) {
                out.add("Residual(");
                s = steps(r.body(), s, out);
                out.add(")");
                continue;
            }
            s = l.outputShape(s);
            Map<String, Shape> shapes = new LinkedHashMap<>();
            l.tensors().forEach((k, v) -> shapes.put(k, v.shape()));
            out.add(step(l.type(), shapes, s));
        }
        return s;
    }

    /** EdgeQ's steps for {@code config}. */
    public static List<String> steps(ModelConfig config) {
        List<String> out = new ArrayList<>();
        Deque<String> open = new ArrayDeque<>();
        for (LayerShape row : ModelFactory.layerShapes(config)) {
            while (!open.isEmpty() && !row.path().startsWith(open.peek() + ".")) {
                open.pop();
                out.add(")");
            }
            if (row.type().equals("Dropout")) continue;
            if (row.type().equals("Residual")) {
                open.push(row.path());
                out.add("Residual(");
                continue;
            }
            Map<String, Shape> shapes = new LinkedHashMap<>(row.parameters());
            shapes.putAll(row.buffers());
            out.add(step(row.type().startsWith("BatchNorm") ? "BatchNorm" : row.type(), shapes, row.outputShape()));
        }
        while (!open.isEmpty()) {
            open.pop();
            out.add(")");
        }
        return out;
    }

    private static String step(String type, Map<String, Shape> tensors, Shape output) {
        StringBuilder b = new StringBuilder(type);
        tensors.forEach((k, v) -> b.append(' ').append(k).append(v));
        return b.append(" -> ").append(output).toString();
    }

    /**
     * Why the graph's steps differ from the architecture's, as one line naming the first differing step; null when
     * they are the same.
     */
    public static String difference(List<String> graph, String label, List<String> edgeq) {
        for (int i = 0; i < Math.max(graph.size(), edgeq.size()); i++) {
            String g = i < graph.size() ? graph.get(i) : "(end of graph)";
            String e = i < edgeq.size() ? edgeq.get(i) : "(end of " + label + ")";
            if (!g.equals(e)) return "step " + (i + 1) + " of the graph is " + g + " where " + label + " has " + e;
        }
        return null;
    }

    /** The graph's weights under EdgeQ's names for {@code config}, whose steps the graph's equal, as host tensors of {@code scope}. */
    public static Map<String, Tensor> stateDict(Path file, List<GraphLayer> layers, ModelConfig config, TensorScope scope)
            throws ImportRefusedException {
        Map<String, Shape> names = ModelFactory.stateShapes(config);
        List<GraphLayer.Weights> tensors = GraphLayer.flatTensors(layers);
        if (tensors.size() != names.size()) {
            throw new ImportRefusedException(file, "the graph holds " + tensors.size() + " tensors where " + config.architecture() + " has " + names.size());
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        int i = 0;
        for (var e : names.entrySet()) {
            GraphLayer.Weights w = tensors.get(i++);
            if (!w.shape().equals(e.getValue())) {
                throw new ImportRefusedException(file, "tensor " + i + " of the graph is " + w.shape() + " where " + e.getKey() + " is " + e.getValue());
            }
            out.put(e.getKey(), Tensor.of(scope, w.values(), e.getValue().dims()));
        }
        return out;
    }

    private static List<GraphLayer> leaves(List<GraphLayer> layers) {
        List<GraphLayer> out = new ArrayList<>();
        for (GraphLayer l : layers) {
            if (l instanceof GraphLayer.Residual r) out.addAll(leaves(r.body()));
            else out.add(l);
        }
        return out;
    }
}
