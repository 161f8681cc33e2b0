package org.edgeq.interop;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import org.edgeq.data.BoundedInput;
import org.edgeq.interop.GraphLayer.Weights;
import org.edgeq.nn.BatchNorm;
import org.edgeq.tensor.Shape;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an ONNX model (ONNX's own protobuf messages, {@code ai.onnx.proto.OnnxMl}) into EdgeQ's layers: a chain of
 * Gemm, MatMul+Add, Conv, BatchNormalization, Relu, MaxPool and Flatten nodes, with Adds of a block's input for
 * residual blocks. Any other op is refused by name before anything else is looked at, and so is any attribute EdgeQ's
 * layers cannot honour (a dilation, a group, a padded pool).
 */
public final class OnnxGraphReader {
    /** The op types EdgeQ imports, as their names appear in a graph. */
    public static final Set<String> OPS = Set.of("Gemm", "MatMul", "Add", "Conv", "BatchNormalization", "Relu", "MaxPool", "Flatten",
            "Identity");
    private static final String OPS_TEXT = "Gemm, MatMul+Add, Conv, BatchNormalization, Relu, MaxPool, Flatten, Add (residual) and "
            + "Identity";

    /**
     * An ONNX graph as EdgeQ layers.
     *
     * @param inputShape the graph input's per-sample shape where the file gives it (empty when a size is symbolic)
     * @param layers     the layers in forward order
     * @param standardisesInput whether the graph begins by standardising its input (Sub of a constant, then Mul or
     *                   Div by one, as {@code edgeq export} writes): those two nodes are not layers, and EdgeQ's own
     *                   scaling, fitted on the dataset, takes their place
     * @param scalesOutput whether the graph ends by undoing a regression target's standardisation (Mul by a constant,
     *                   then Add of one, each a scalar or [1], as {@code edgeq export} writes): those nodes are not
     *                   layers either, and EdgeQ's own target scaling, fitted on the dataset, takes their place
     */
    public record Graph(Optional<Shape> inputShape, List<GraphLayer> layers, boolean standardisesInput, boolean scalesOutput) {
    }

    private final Path file;
    private final Map<String, TensorProto> initializers = new HashMap<>();

    private OnnxGraphReader(Path file) {
        this.file = file;
    }

    /** Parses {@code file} (at most {@link BoundedInput#MODEL_FILE_CAP} bytes) into EdgeQ's layers. */
    public static Graph read(Path file) throws IOException {
        byte[] bytes = BoundedInput.readAllBytes(file, BoundedInput.MODEL_FILE_CAP, reason -> new ImportRefusedException(file, reason));
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ImportRefusedException(file, "not an ONNX model (" + e.getMessage() + ")");
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) throw new ImportRefusedException(file, "not an ONNX model (no graph nodes)");
        return new OnnxGraphReader(file).graph(model.getGraph());
    }

    private Graph graph(GraphProto g) throws ImportRefusedException {
        for (TensorProto t : g.getInitializerList()) initializers.put(t.getName(), t);
        List<ValueInfoProto> inputs = g.getInputList().stream().filter(v -> !initializers.containsKey(v.getName())).toList();
        int prefix = inputs.size() == 1 ? standardisationNodes(g, inputs.get(0).getName()) : 0;
        int suffix = inputs.size() == 1 && g.getOutputCount() == 1 ? targetScaleNodes(g, prefix) : 0;
        List<NodeProto> chain = g.getNodeList().subList(prefix, g.getNodeCount() - suffix);
        for (NodeProto n : chain) {
            if (!OPS.contains(n.getOpType()) || !n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
                throw refused(n, "op '" + n.getOpType() + "'" + (n.getDomain().isEmpty() ? "" : " of domain '" + n.getDomain() + "'")
                        + " is not one EdgeQ has; it imports " + OPS_TEXT);
            }
        }
        if (inputs.size() != 1 || g.getOutputCount() != 1) {
            throw new ImportRefusedException(file, "the graph has " + inputs.size() + " data inputs and " + g.getOutputCount()
                    + " outputs; EdgeQ imports models of one input and one output");
        }
        String current = prefix == 0 ? inputs.get(0).getName() : g.getNode(prefix - 1).getOutput(0);
        List<GraphLayer> layers = new ArrayList<>();
        Map<String, Integer> startOf = new HashMap<>(); // tensor name -> how many layers came before it
        startOf.put(current, 0);
        boolean matMulWithoutBias = false;
        for (NodeProto n : chain) {
            List<String> data = n.getInputList().stream().filter(i -> !i.isEmpty() && !initializers.containsKey(i)).toList();
            if (n.getOpType().equals("Add") && data.size() == 2) {
                String skip = data.get(0).equals(current) ? data.get(1) : data.get(0);
                Integer start = startOf.get(skip);
                if (!data.contains(current) || start == null || start >= layers.size()) {
                    throw refused(n, "Add of '" + data.get(0) + "' and '" + data.get(1) + "' is not a residual block's output plus its input");
                }
                List<GraphLayer> body = new ArrayList<>(layers.subList(start, layers.size()));
                layers.subList(start, layers.size()).clear();
                layers.add(new GraphLayer.Residual(body));
                matMulWithoutBias = false;
            } else {
                if (data.size() != 1 || !data.get(0).equals(current)) {
                    throw refused(n, "reads " + data + ", not the output '" + current + "' of the node before it; EdgeQ imports a chain "
                            + "of layers (with Adds of a block's input for residual blocks)");
                }
                if (n.getOpType().equals("Identity")) {
                    // a name for the value before it (edgeq export names its output so): no layer
                } else if (n.getOpType().equals("Add")) {
                    if (!matMulWithoutBias) throw refused(n, "Add of a constant that is not the bias of the MatMul before it");
                    GraphLayer.Dense d = (GraphLayer.Dense) layers.removeLast();
                    layers.add(new GraphLayer.Dense(d.weight(), vector(n, constant(n, 1), d.weight().shape().dim(0), "bias")));
                    matMulWithoutBias = false;
                } else {
                    layers.add(layer(n));
                    matMulWithoutBias = n.getOpType().equals("MatMul");
                }
            }
            if (n.getOutputCount() < 1) throw refused(n, "has no output");
            current = n.getOutput(0);
            startOf.put(current, layers.size());
        }
        // With a target scaling at the end, the last layer's output is what its Mul reads (targetScaleNodes checked that).
        String end = suffix == 0 ? g.getOutput(0).getName() : g.getNode(g.getNodeCount() - suffix).getInput(0);
        if (!current.equals(end)) {
            throw new ImportRefusedException(file, "the graph's output '" + end + "' is not the last node's output '" + current + "'");
        }
        return new Graph(perSampleShape(inputs.get(0)), List.copyOf(layers), prefix > 0, suffix > 0);
    }

    private GraphLayer layer(NodeProto n) throws ImportRefusedException {
        return switch (n.getOpType()) {
            case "Gemm" -> gemm(n);
            case "MatMul" -> {
                Weights w = matrix(n, constant(n, 1), false);
                yield new GraphLayer.Dense(w, new Weights(Shape.of(w.shape().dim(0)), new float[w.shape().dim(0)]));
            }
            case "Conv" -> conv(n);
            case "BatchNormalization" -> norm(n);
            case "Relu" -> new GraphLayer.Relu();
            case "MaxPool" -> pool(n);
            case "Flatten" -> {
                if (intAttr(n, "axis", 1) != 1) throw refused(n, "Flatten from axis " + intAttr(n, "axis", 1) + "; EdgeQ flattens from axis 1");
                yield new GraphLayer.Flatten();
            }
            default -> throw refused(n, "op '" + n.getOpType() + "' is not one EdgeQ has; it imports " + OPS_TEXT);
        };
    }

    private GraphLayer gemm(NodeProto n) throws ImportRefusedException {
        if (floatAttr(n, "alpha", 1f) != 1f || floatAttr(n, "beta", 1f) != 1f || intAttr(n, "transA", 0) != 0) {
            throw refused(n, "Gemm with alpha, beta or transA other than 1, 1, 0; EdgeQ's Linear is x·Wᵀ + b");
        }
        Weights w = matrix(n, constant(n, 1), intAttr(n, "transB", 0) == 1);
        int out = w.shape().dim(0);
        Weights b = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? vector(n, constant(n, 2), out, "bias")
                : new Weights(Shape.of(out), new float[out]); // no bias adds zero, which EdgeQ's Linear then holds
        return new GraphLayer.Dense(w, b);
    }

    private GraphLayer conv(NodeProto n) throws ImportRefusedException {
        TensorProto wt = constant(n, 1);
        if (wt.getDimsCount() != 4 || wt.getDims(2) != wt.getDims(3)) {
            throw refused(n, "Conv weight '" + wt.getName() + "' has dims " + wt.getDimsList() + "; EdgeQ's Conv2d has square 2-d kernels [out, in, k, k]");
        }
        if (intAttr(n, "group", 1) != 1) throw refused(n, "Conv with group " + intAttr(n, "group", 1) + "; EdgeQ's Conv2d has group 1");
        if (!stringAttr(n, "auto_pad", "NOTSET").equals("NOTSET")) throw refused(n, "Conv with auto_pad; EdgeQ needs explicit pads");
        for (long d : intsAttr(n, "dilations")) if (d != 1) throw refused(n, "Conv with dilation " + d + "; EdgeQ's Conv2d has dilation 1");
        int stride = uniform(n, "strides", intsAttr(n, "strides"), 1);
        int padding = uniform(n, "pads", intsAttr(n, "pads"), 0);
        Weights w = weights(n, wt, "weight");
        Weights b = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? vector(n, constant(n, 2), (int) wt.getDims(0), "bias") : null;
        return new GraphLayer.Conv(w, b, stride, padding);
    }

    private GraphLayer norm(NodeProto n) throws ImportRefusedException {
        float eps = floatAttr(n, "epsilon", 1e-5f);
        if (eps != BatchNorm.EPS) throw refused(n, "BatchNormalization epsilon " + eps + "; EdgeQ's BatchNorm uses " + BatchNorm.EPS);
        if (intAttr(n, "training_mode", 0) != 0 || n.getOutputCount() > 1) throw refused(n, "BatchNormalization in training mode; export the model in eval mode");
        if (n.getInputCount() != 5) throw refused(n, "BatchNormalization needs scale, bias, mean and variance inputs");
        Weights scale = weights(n, constant(n, 1), "scale");
        int c = Math.toIntExact(scale.shape().numel());
        return new GraphLayer.Norm(vector(n, constant(n, 1), c, "scale"), vector(n, constant(n, 2), c, "bias"),
                vector(n, constant(n, 3), c, "mean"), vector(n, constant(n, 4), c, "variance"));
    }

    private GraphLayer pool(NodeProto n) throws ImportRefusedException {
        long[] kernel = intsAttr(n, "kernel_shape");
        if (kernel.length != 2 || kernel[0] != kernel[1] || kernel[0] < 1 || kernel[0] > 1 << 16) throw refused(n, "MaxPool kernel " + Arrays.toString(kernel) + "; EdgeQ pools square windows");
        if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty()) throw refused(n, "MaxPool with an indices output");
        if (intAttr(n, "ceil_mode", 0) != 0) throw refused(n, "MaxPool with ceil_mode 1; EdgeQ rounds pooled sizes down");
        if (!stringAttr(n, "auto_pad", "NOTSET").equals("NOTSET")) throw refused(n, "MaxPool with auto_pad; EdgeQ pools without padding");
        for (long d : intsAttr(n, "dilations")) if (d != 1) throw refused(n, "MaxPool with dilation " + d);
        if (uniform(n, "pads", intsAttr(n, "pads"), 0) != 0) throw refused(n, "MaxPool with padding; EdgeQ pools without padding");
        return new GraphLayer.Pool((int) kernel[0], uniform(n, "strides", intsAttr(n, "strides"), 1));
    }

    /** A [rows, cols] initializer as EdgeQ's [out, in]: transposed unless it is stored [out, in] already. */
    private Weights matrix(NodeProto n, TensorProto t, boolean outByIn) throws ImportRefusedException {
        if (t.getDimsCount() != 2) throw refused(n, "weight '" + t.getName() + "' has dims " + t.getDimsList() + "; a Linear weight is 2-d");
        Weights w = weights(n, t, "weight");
        if (outByIn) return w;
        int rows = w.shape().dim(0);
        int cols = w.shape().dim(1);
        float[] transposed = new float[rows * cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) transposed[c * rows + r] = w.values()[r * cols + c];
        return new Weights(Shape.of(cols, rows), transposed);
    }

    private Weights vector(NodeProto n, TensorProto t, int length, String role) throws ImportRefusedException {
        Weights w = weights(n, t, role);
        if (w.shape().rank() == 0 || w.shape().numel() != length || w.shape().dim(w.shape().rank() - 1) != length) {
            throw refused(n, role + " '" + t.getName() + "' has dims " + t.getDimsList() + " where [" + length + "] is needed");
        }
        return new Weights(Shape.of(length), w.values());
    }

    private Weights weights(NodeProto n, TensorProto t, String role) throws ImportRefusedException {
        if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            throw refused(n, role + " '" + t.getName() + "' is of ONNX data type " + t.getDataType() + "; EdgeQ imports FLOAT (1) tensors");
        }
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw refused(n, role + " '" + t.getName() + "' is stored outside the file; save the model with its weights inside");
        }
        int[] dims = new int[t.getDimsCount()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            long d = t.getDims(i);
            if (d < 0 || d > Integer.MAX_VALUE) throw refused(n, role + " '" + t.getName() + "' has dims " + t.getDimsList());
            dims[i] = (int) d;
            count *= d;
            if (count > Integer.MAX_VALUE) throw refused(n, role + " '" + t.getName() + "' has dims " + t.getDimsList() + ", too many values");
        }
        float[] values = new float[(int) count];
        if (!t.getRawData().isEmpty()) {
            if (t.getRawData().size() != 4L * count) {
                throw refused(n, role + " '" + t.getName() + "' holds " + t.getRawData().size() + " bytes where dims " + t.getDimsList() + " need " + 4 * count);
            }
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN); // ONNX stores raw data little-endian
            raw.asFloatBuffer().get(values);
        } else {
            if (t.getFloatDataCount() != count) {
                throw refused(n, role + " '" + t.getName() + "' holds " + t.getFloatDataCount() + " values where dims " + t.getDimsList() + " need " + count);
            }
            for (int i = 0; i < values.length; i++) values[i] = t.getFloatData(i);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) throw refused(n, role + " '" + t.getName() + "' element " + i + " is " + values[i] + " (weights must be finite)");
        }
        return new Weights(Shape.of(dims), values);
    }

    private TensorProto constant(NodeProto n, int input) throws ImportRefusedException {
        if (n.getInputCount() <= input || n.getInput(input).isEmpty()) throw refused(n, n.getOpType() + " lacks its input " + input);
        TensorProto t = initializers.get(n.getInput(input));
        if (t == null) throw refused(n, "input '" + n.getInput(input) + "' is not an initializer; EdgeQ imports weights stored as initializers");
        return t;
    }

    private int uniform(NodeProto n, String name, long[] values, int fallback) throws ImportRefusedException {
        if (values.length == 0) return fallback;
        for (long v : values) {
            if (v != values[0]) throw refused(n, n.getOpType() + " " + name + " " + Arrays.toString(values) + "; EdgeQ uses one value for every side");
        }
        if (values[0] < (name.equals("pads") ? 0 : 1) || values[0] > 1 << 16) {
            throw refused(n, n.getOpType() + " " + name + " " + values[0] + " is out of range");
        }
        return (int) values[0];
    }

    private static Optional<AttributeProto> attr(NodeProto n, String name) {
        return n.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst();
    }

    private static long intAttr(NodeProto n, String name, long fallback) {
        return attr(n, name).map(AttributeProto::getI).orElse(fallback);
    }

    private static float floatAttr(NodeProto n, String name, float fallback) {
        return attr(n, name).map(AttributeProto::getF).orElse(fallback);
    }

    private static String stringAttr(NodeProto n, String name, String fallback) {
        return attr(n, name).map(a -> a.getS().toStringUtf8()).orElse(fallback);
    }

    private static long[] intsAttr(NodeProto n, String name) {
        return attr(n, name).map(a -> a.getIntsList().stream().mapToLong(Long::longValue).toArray()).orElse(new long[0]);
    }

    /**
     * 2 when the graph begins with an input standardisation: Sub of a constant from the graph input, then Mul or Div
     * of its result by a constant (what {@code edgeq export} writes); else 0.
     */
    private int standardisationNodes(GraphProto g, String input) {
        if (g.getNodeCount() < 3) return 0;
        NodeProto sub = g.getNode(0), scale = g.getNode(1);
        boolean scales = byConstant(sub, "Sub", input)
                && (byConstant(scale, "Mul", sub.getOutput(0)) || byConstant(scale, "Div", sub.getOutput(0)));
        return scales ? 2 : 0;
    }

    /**
     * How many nodes end the graph by undoing a regression target's standardisation: Mul of the output of the node
     * before it (a layer's, at or after {@code first}) by a constant, then Add of a constant, each a FLOAT scalar or
     * [1] (what {@code edgeq export} writes), with the Identity nodes after them that name the result the graph's
     * output; else 0.
     */
    private int targetScaleNodes(GraphProto g, int first) {
        int end = g.getNodeCount();
        while (end > first && g.getNode(end - 1).getOpType().equals("Identity")) end--;
        int mul = end - 2;
        if (mul <= first || g.getNode(mul - 1).getOutputCount() < 1) return 0;
        NodeProto scale = g.getNode(mul), shift = g.getNode(mul + 1);
        if (!byOneConstant(scale, "Mul", g.getNode(mul - 1).getOutput(0)) || !byOneConstant(shift, "Add", scale.getOutput(0))) return 0;
        String value = shift.getOutput(0);
        for (NodeProto identity : g.getNodeList().subList(end, g.getNodeCount())) {
            if (identity.getInputCount() != 1 || !identity.getInput(0).equals(value) || identity.getOutputCount() != 1) return 0;
            value = identity.getOutput(0);
        }
        return value.equals(g.getOutput(0).getName()) ? g.getNodeCount() - mul : 0;
    }

    /** Whether {@code n} is {@code op}(value, c) with one output, c an initializer. */
    private boolean byConstant(NodeProto n, String op, String value) {
        return n.getOpType().equals(op) && n.getInputCount() == 2 && n.getInput(0).equals(value) && n.getOutputCount() == 1
                && initializers.containsKey(n.getInput(1));
    }

    /** Whether {@code n} is {@code op}(value, c) with one output, c a FLOAT initializer holding one value (a scalar or [1]). */
    private boolean byOneConstant(NodeProto n, String op, String value) {
        if (!byConstant(n, op, value)) return false;
        TensorProto c = initializers.get(n.getInput(1));
        return c.getDataType() == TensorProto.DataType.FLOAT_VALUE && (c.getDimsCount() == 0 || c.getDimsCount() == 1 && c.getDims(0) == 1);
    }

    /** The input's dims after the batch dimension, when every one is a number. */
    private static Optional<Shape> perSampleShape(ValueInfoProto input) {
        if (!input.hasType() || !input.getType().hasTensorType() || !input.getType().getTensorType().hasShape()) return Optional.empty();
        TensorShapeProto shape = input.getType().getTensorType().getShape();
        if (shape.getDimCount() < 2) return Optional.empty();
        int[] dims = new int[shape.getDimCount() - 1];
        for (int i = 1; i < shape.getDimCount(); i++) {
            TensorShapeProto.Dimension d = shape.getDim(i);
            if (!d.hasDimValue() || d.getDimValue() <= 0 || d.getDimValue() > Integer.MAX_VALUE) return Optional.empty();
            dims[i - 1] = (int) d.getDimValue();
        }
        return Optional.of(Shape.of(dims));
    }

    private ImportRefusedException refused(NodeProto n, String reason) {
        return new ImportRefusedException(file, "node '" + (n.getName().isEmpty() ? n.getOutputCount() > 0 ? n.getOutput(0) : "?" : n.getName())
                + "' (" + n.getOpType() + "): " + reason);
    }

}
