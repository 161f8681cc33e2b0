package org.edgeq.interop;

import org.edgeq.tensor.Shape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One layer read from an ONNX graph, in EdgeQ's terms: the closed family of layer types EdgeQ builds, each with its
 * weights laid out as EdgeQ (and PyTorch) hold them, so that they can be compared with an architecture's layers and
 * copied into its state dict in forward order.
 */
public sealed interface GraphLayer {

    /** EdgeQ's layer type, as {@link org.edgeq.nn.LayerShape#type()} names it (BatchNorm without its 1d/2d). */
    String type();

    /** The per-sample output for a per-sample {@code input}; refuses an input the layer cannot take. */
    Shape outputShape(Shape input);

    /** The layer's tensors by EdgeQ's local names ({@code weight}, {@code bias}, {@code running_mean} ...) in EdgeQ's order. */
    default Map<String, Weights> tensors() {
        return Map.of();
    }

    /** A tensor's values, row-major, with its shape. */
    record Weights(Shape shape, float[] values) {
        public Weights {
            if (shape.numel() != values.length) throw new IllegalArgumentException(shape + " needs " + shape.numel() + " values, got " + values.length);
        }
    }

    /** Gemm, or MatMul followed by the Add of its bias: EdgeQ's Linear, weight [out, in]. */
    record Dense(Weights weight, Weights bias) implements GraphLayer {
        public String type() {
            return "Linear";
        }

        public Shape outputShape(Shape input) {
            if (input.rank() != 1 || input.dim(0) != weight.shape().dim(1)) {
                throw new IllegalArgumentException("a Linear of weight " + weight.shape() + " cannot take input " + input);
            }
            return Shape.of(weight.shape().dim(0));
        }

        public Map<String, Weights> tensors() {
            Map<String, Weights> m = new LinkedHashMap<>();
            m.put("weight", weight);
            m.put("bias", bias);
            return m;
        }
    }

    /** Conv with a square kernel, one stride and one padding on every side: EdgeQ's Conv2d, weight [out, in, k, k]. */
    record Conv(Weights weight, Weights bias, int stride, int padding) implements GraphLayer {
        public String type() {
            return "Conv2d";
        }

        public Shape outputShape(Shape input) {
            int k = weight.shape().dim(2);
            if (input.rank() != 3 || input.dim(0) != weight.shape().dim(1)) {
                throw new IllegalArgumentException("a Conv2d of weight " + weight.shape() + " cannot take input " + input);
            }
            return Shape.of(weight.shape().dim(0), (input.dim(1) + 2 * padding - k) / stride + 1, (input.dim(2) + 2 * padding - k) / stride + 1);
        }

        public Map<String, Weights> tensors() {
            Map<String, Weights> m = new LinkedHashMap<>();
            m.put("weight", weight);
            if (bias != null) m.put("bias", bias);
            return m;
        }
    }

    /** BatchNormalization in inference form: EdgeQ's BatchNorm with its running statistics. */
    record Norm(Weights weight, Weights bias, Weights runningMean, Weights runningVar) implements GraphLayer {
        public String type() {
            return "BatchNorm";
        }

        public Shape outputShape(Shape input) {
            if (input.dim(0) != weight.shape().dim(0)) {
                throw new IllegalArgumentException("a BatchNorm of " + weight.shape().dim(0) + " channels cannot take input " + input);
            }
            return input;
        }

        public Map<String, Weights> tensors() {
            Map<String, Weights> m = new LinkedHashMap<>();
            m.put("weight", weight);
            m.put("bias", bias);
            m.put("running_mean", runningMean);
            m.put("running_var", runningVar);
            return m;
        }
    }

    /** Relu. */
    record Relu() implements GraphLayer {
        public String type() {
            return "ReLU";
        }

        public Shape outputShape(Shape input) {
            return input;
        }
    }

    /** MaxPool with a square window and no padding. */
    record Pool(int window, int stride) implements GraphLayer {
        public String type() {
            return "MaxPool2d";
        }

        public Shape outputShape(Shape input) {
            if (input.rank() != 3) throw new IllegalArgumentException("a MaxPool2d cannot take input " + input);
            return Shape.of(input.dim(0), (input.dim(1) - window) / stride + 1, (input.dim(2) - window) / stride + 1);
        }
    }

    /** Flatten from axis 1. */
    record Flatten() implements GraphLayer {
        public String type() {
            return "Flatten";
        }

        public Shape outputShape(Shape input) {
            return Shape.of(Math.toIntExact(input.numel()));
        }
    }

    /** An Add of a block's input to its output: EdgeQ's Residual around {@code body}. */
    record Residual(List<GraphLayer> body) implements GraphLayer {
        public Residual {
            body = List.copyOf(body);
        }

        public String type() {
            return "Residual";
        }

        public Shape outputShape(Shape input) {
            Shape s = input;
            for (GraphLayer l : body) s = l.outputShape(s);
            if (!s.equals(input)) throw new IllegalArgumentException("a residual body maps " + input + " to " + s);
            return s;
        }
    }

    /** Every layer's tensors in forward order, a residual's body in place: the order of EdgeQ's state dict. */
    static List<Weights> flatTensors(List<GraphLayer> layers) {
        List<Weights> out = new ArrayList<>();
        for (GraphLayer l : layers) {
            if (l instanceof Residual r) out.addAll(flatTensors(r.body()));
            else out.addAll(l.tensors().values());
        }
        return out;
    }
}
