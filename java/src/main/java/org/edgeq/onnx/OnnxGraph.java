package org.edgeq.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;

/**
 * An ONNX graph under construction through ONNX's own protobuf message classes ({@link OnnxMl}): initializers,
 * nodes and fresh value names, so that the exporter reads as one line per operator.
 */
final class OnnxGraph {
    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
    private int next;

    OnnxGraph(String name) {
        graph.setName(name);
    }

    /** A value name not used before, e.g. "net.0/Gemm_3". */
    String fresh(String hint) {
        return hint + "_" + next++;
    }

    /** An FP32 initializer (raw little-endian data) named {@code name}. */
    String floats(String name, float[] values, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return raw(name, OnnxMl.TensorProto.DataType.FLOAT, b.array(), dims);
    }

    /** An INT8 or UINT8 initializer holding one byte per value (values already in the type's range). */
    String bytes(String name, boolean signed, int[] values, int... dims) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) b[i] = (byte) values[i];
        return raw(name, signed ? OnnxMl.TensorProto.DataType.INT8 : OnnxMl.TensorProto.DataType.UINT8, b, dims);
    }

    private String raw(String name, OnnxMl.TensorProto.DataType type, byte[] data, int... dims) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
                .setRawData(ByteString.copyFrom(data));
        for (int d : dims) t.addDims(d);
        graph.addInitializer(t);
        return name;
    }

    /** Adds a node {@code op}(inputs) with one fresh output and the given attributes (long, long[] or float). */
    String node(String op, String outputHint, Map<String, Object> attributes, String... inputs) {
        String out = fresh(outputHint + "/" + op);
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(out).addOutput(out);
        for (String in : inputs) n.addInput(in);
        attributes.forEach((k, v) -> n.addAttribute(attribute(k, v)));
        graph.addNode(n);
        return out;
    }

    String node(String op, String outputHint, String... inputs) {
        return node(op, outputHint, Map.of(), inputs);
    }

    private static OnnxMl.AttributeProto attribute(String name, Object value) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name);
        switch (value) {
            case Integer i -> a.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(i);
            case Long l -> a.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(l);
            case Float f -> a.setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(f);
            case int[] ints -> {
                a.setType(OnnxMl.AttributeProto.AttributeType.INTS);
                for (int i : ints) a.addInts(i);
            }
            default -> throw new IllegalArgumentException("unsupported attribute " + name + " of " + value.getClass());
        }
        return a.build();
    }

    /** Declares the graph's FP32 input or output with a symbolic batch dimension "N" followed by {@code dims}. */
    void floatInput(String name, int... dims) {
        graph.addInput(valueInfo(name, dims));
    }

    void floatOutput(String name, int... dims) {
        graph.addOutput(valueInfo(name, dims));
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, int... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        for (int d : dims) shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        OnnxMl.TypeProto type = OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape)).build();
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    /** Names {@code value} {@code name} through an Identity node, so that the graph output has its declared name. */
    void alias(String value, String name) {
        graph.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Identity").setName(name).addInput(value).addOutput(name));
    }

    OnnxMl.GraphProto build() {
        return graph.build();
    }
}
