package org.edgeq.interop;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import org.edgeq.tensor.Shape;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds ONNX graphs the way {@code torch.onnx.export} lays them out (weights as raw little-endian initializers, Gemm
 * with transB=1, Conv with explicit pads), with ONNX's own protobuf classes: the test's independent writer of the files
 * {@link OnnxGraphReader} reads.
 */
public final class OnnxGraphs {
    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("test");
    private String current;
    private int counter;

    /** A graph whose input is a batch of {@code perSample}-shaped samples (batch size symbolic, as exports mark it). */
    public OnnxGraphs(int... perSample) {
        current = "input";
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        for (int d : perSample) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        graph.addInput(ValueInfoProto.newBuilder().setName("input").setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))));
    }

    /** The name of the tensor the next node reads. */
    public String current() {
        return current;
    }

    public String initializer(String name, float[] values, int... dims) {
        ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(raw));
        for (int d : dims) t.addDims(d);
        graph.addInitializer(t);
        return name;
    }

    /** Appends a node reading {@code inputs} (the current tensor first where the op reads it) and makes its output current. */
    public OnnxGraphs node(String op, List<String> inputs, AttributeProto... attributes) {
        String out = op.toLowerCase() + "_" + (counter++);
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName("/" + out).addOutput(out);
        inputs.forEach(n::addInput);
        for (AttributeProto a : attributes) n.addAttribute(a);
        graph.addNode(n);
        current = out;
        return this;
    }

    /** torch.nn.Linear as exported: Gemm(x, W[out, in], b) with transB=1. */
    public OnnxGraphs gemm(String name, float[] weight, Shape shape, float[] bias) {
        String w = initializer(name + ".weight", weight, shape.dims());
        String b = initializer(name + ".bias", bias, shape.dim(0));
        return node("Gemm", List.of(current, w, b), ints("transB", 1), floats("alpha", 1f), floats("beta", 1f));
    }

    /** A Linear as MatMul(x, Wᵀ[in, out]) then Add(·, b). */
    public OnnxGraphs matMulAdd(String name, float[] weight, Shape shape, float[] bias) {
        int out = shape.dim(0);
        int in = shape.dim(1);
        float[] transposed = new float[weight.length];
        for (int o = 0; o < out; o++) for (int i = 0; i < in; i++) transposed[i * out + o] = weight[o * in + i];
        String w = initializer(name + ".weight_t", transposed, in, out);
        node("MatMul", List.of(current, w));
        String b = initializer(name + ".bias", bias, out);
        return node("Add", List.of(current, b));
    }

    /** torch.nn.Conv2d(k, stride 1, padding k/2), bias optional. */
    public OnnxGraphs conv(String name, float[] weight, Shape shape, float[] bias) {
        String w = initializer(name + ".weight", weight, shape.dims());
        int k = shape.dim(2);
        List<String> inputs = bias == null ? List.of(current, w) : List.of(current, w, initializer(name + ".bias", bias, shape.dim(0)));
        return node("Conv", inputs, ints("kernel_shape", k, k), ints("pads", k / 2, k / 2, k / 2, k / 2), ints("strides", 1, 1),
                ints("dilations", 1, 1), ints("group", 1));
    }

    public OnnxGraphs batchNorm(String name, float[] weight, float[] bias, float[] mean, float[] var) {
        int c = weight.length;
        return node("BatchNormalization", List.of(current, initializer(name + ".weight", weight, c), initializer(name + ".bias", bias, c),
                initializer(name + ".running_mean", mean, c), initializer(name + ".running_var", var, c)), floats("epsilon", 1e-5f),
                floats("momentum", 0.9f));
    }

    public OnnxGraphs relu() {
        return node("Relu", List.of(current));
    }

    public OnnxGraphs maxPool(int window) {
        return node("MaxPool", List.of(current), ints("kernel_shape", window, window), ints("strides", window, window),
                ints("pads", 0, 0, 0, 0), ints("ceil_mode", 0));
    }

    public OnnxGraphs flatten() {
        return node("Flatten", List.of(current), ints("axis", 1));
    }

    /** The residual Add of {@code skip} (the block's input) and the current tensor. */
    public OnnxGraphs addResidual(String skip) {
        return node("Add", List.of(current, skip));
    }

    /** Writes the model (opset 17, producer "pytorch" as an export says) with the current tensor as the output. */
    public Path write(Path file) throws IOException {
        graph.addOutput(ValueInfoProto.newBuilder().setName(current));
        ModelProto model = ModelProto.newBuilder().setIrVersion(8).setProducerName("pytorch").setProducerVersion("2.3.0")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).setGraph(graph).build();
        Files.write(file, model.toByteArray());
        return file;
    }

    public static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
        if (values.length == 1 && !name.equals("kernel_shape") && !name.equals("pads") && !name.equals("strides") && !name.equals("dilations")) {
            return a.setType(AttributeProto.AttributeType.INT).setI(values[0]).build();
        }
        for (long v : values) a.addInts(v);
        return a.setType(AttributeProto.AttributeType.INTS).build();
    }

    public static AttributeProto floats(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }
}
