package org.edgeq.onnx;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ai.onnx.proto.OnnxMl;
import org.edgeq.backend.ConvGeometry;
import org.edgeq.backend.PoolGeometry;
import org.edgeq.data.Preprocessing;
import org.edgeq.data.Standardizer;
import org.edgeq.export.TensorEncoding;
import org.edgeq.nn.BatchNorm;
import org.edgeq.nn.Conv2d;
import org.edgeq.nn.Dropout;
import org.edgeq.nn.Flatten;
import org.edgeq.nn.Layer;
import org.edgeq.nn.Linear;
import org.edgeq.nn.MaxPool2d;
import org.edgeq.nn.Model;
import org.edgeq.nn.Parameter;
import org.edgeq.nn.ReLU;
import org.edgeq.nn.Residual;
import org.edgeq.nn.Sequential;
import org.edgeq.quant.fake.ActivationRanges;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;

/**
 * Translates a model's inference forward pass (dropout off, batch norms on their running statistics) into an ONNX
 * model (opset {@value #OPSET}, NCHW as EdgeQ): the graph maps the raw input rows, standardised inside the graph
 * (Sub, Mul by 1/std as EdgeQ does), to the model's outputs, a regression prediction in the target's own units (Mul
 * by its std, Add its mean, as EdgeQ undoes its target scaling). Quantized models are written in QDQ form: 8-bit
 * affine weights as int8 initializers behind a per-channel (axis 0) or per-tensor DequantizeLinear, each weight layer's
 * 8-bit asymmetric input quantizer as QuantizeLinear/DequantizeLinear (uint8); weights of other widths or codebooks
 * as their dequantized FP32 values, and activation grids QDQ cannot express as EdgeQ's fake-quantize formula in
 * float ops (Mul, Round, Clip, Mul). Metadata (model's metadata_props) says what each weight was.
 */
public final class OnnxExporter {
    /** ONNX opset the graph is written for (per-channel DequantizeLinear needs 13). */
    public static final int OPSET = 13;
    /** Name of the graph's input: the raw (unstandardised) rows, [N, input shape...]. */
    public static final String INPUT = "input";
    /** Name of the graph's output: logits (classification) or the prediction in the target's units (regression). */
    public static final String OUTPUT = "output";

    private final Model model;
    private final Standardizer features;
    private final Standardizer target;
    private final Map<String, StoredCodes> codes;
    private final Map<String, ActivationRanges.Range> activations;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private OnnxGraph graph;

    /**
     * @param scaling     the scaling the model was trained with: its feature standardisation goes in front of the
     *                    model, its regression target's scaling is undone behind it (null: none)
     * @param codes       integer codes of quantized weights by state-dict name (empty for an FP32 model)
     * @param activations each weight layer's frozen input quantizer by layer path (empty when activations are FP32)
     */
    public OnnxExporter(Model model, Preprocessing scaling, Map<String, StoredCodes> codes,
                        Map<String, ActivationRanges.Range> activations) {
        this.model = model;
        this.features = scaling == null ? null : scaling.features();
        this.target = scaling == null ? null : scaling.target();
        this.codes = codes == null ? Map.of() : codes;
        this.activations = activations == null ? Map.of() : activations;
        if (features != null && features.featureCount() != model.inputShape().numel()) {
            throw new IllegalArgumentException("the standardisation has " + features.featureCount() + " features, the model reads "
                    + model.inputShape().numel() + " values per sample");
        }
        if (target != null && (target.featureCount() != 1 || model.outputShape().numel() != 1)) {
            throw new IllegalArgumentException("a target scaling of " + target.featureCount() + " columns for a model of "
                    + model.outputShape().numel() + " outputs; regression models have one of each");
        }
    }

    /** Adds a metadata_props entry (e.g. class names) to the exported model. */
    public OnnxExporter withMetadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** The ONNX model. */
    public OnnxMl.ModelProto build() {
        graph = new OnnxGraph("edgeq_" + model.config().architecture());
        int[] in = model.inputShape().dims();
        graph.floatInput(INPUT, in);
        String x = INPUT;
        if (features != null) {
            float[] inv = new float[features.featureCount()];
            for (int j = 0; j < inv.length; j++) inv[j] = 1f / features.std()[j];
            x = graph.node("Sub", "standardise", x, graph.floats("standardise.mean", features.mean(), in));
            x = graph.node("Mul", "standardise", x, graph.floats("standardise.inv_std", inv, in));
        }
        String y = emit(Model.ROOT, model.network(), x);
        if (target != null) {
            // The network predicts the standardised target; undoing that here, as EdgeQModel.predict does (y * std +
            // mean in float), gives whoever runs the file the prediction in the target's units, as it takes raw rows.
            y = graph.node("Mul", "destandardise_target", y, graph.floats("destandardise_target.std", target.std(), 1));
            y = graph.node("Add", "destandardise_target", y, graph.floats("destandardise_target.mean", target.mean(), 1));
            metadata.put("edgeq.target_scale", "applied in the graph: output = network * " + target.std()[0] + " + " + target.mean()[0]);
        }
        graph.alias(y, OUTPUT);
        graph.floatOutput(OUTPUT, model.outputShape().dims());
        OnnxMl.ModelProto.Builder m = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(7) // the IR version of opset 13 (ONNX 1.8)
                .setProducerName("edgeq")
                .setModelVersion(1)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph.build());
        metadata.put("edgeq.input", "raw rows " + Shape.of(in) + (features == null ? ", not standardised" : ", standardised inside the graph"));
        metadata.forEach((k, v) -> m.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    private String emit(String path, Layer layer, String x) {
        return switch (layer) {
            case Sequential s -> children(path, s.children(), x);
            case Residual r -> graph.node("Add", path, x, children(path, r.children(), x));
            case Linear l -> weightLayer(path, l, x);
            case Conv2d c -> weightLayer(path, c, x);
            case BatchNorm b -> batchNorm(path, b, x);
            case ReLU r -> graph.node("Relu", path, x);
            case MaxPool2d p -> maxPool(path, p.geometry(), x);
            case Flatten f -> graph.node("Flatten", path, Map.of("axis", 1), x);
            case Dropout d -> x; // inference: identity
            default -> throw new IllegalArgumentException("layer " + path + " (" + layer.type() + ") has no ONNX translation");
        };
    }

    private String children(String path, List<Layer> children, String x) {
        String h = x;
        for (int i = 0; i < children.size(); i++) h = emit(path + "." + i, children.get(i), h);
        return h;
    }

    private String weightLayer(String path, Layer layer, String x) {
        String input = quantizeInput(path, x);
        Parameter w = null;
        Parameter b = null;
        for (Parameter p : layer.parameters()) {
            if (p.name().equals("weight")) w = p;
            if (p.name().equals("bias")) b = p;
        }
        String weight = weight(path + ".weight", w.value());
        String bias = b == null ? null : dequantized(path + ".bias", b.value());
        if (layer instanceof Linear) {
            return bias == null ? graph.node("Gemm", path, Map.of("transB", 1), input, weight)
                    : graph.node("Gemm", path, Map.of("transB", 1), input, weight, bias);
        }
        ConvGeometry g = ((Conv2d) layer).geometry();
        Map<String, Object> attrs = Map.of("kernel_shape", new int[] {g.kernel(), g.kernel()},
                "strides", new int[] {g.stride(), g.stride()},
                "pads", new int[] {g.padding(), g.padding(), g.padding(), g.padding()});
        return bias == null ? graph.node("Conv", path, attrs, input, weight) : graph.node("Conv", path, attrs, input, weight, bias);
    }

    /** The weight as an int8 QDQ initializer where its codes are 8-bit affine, else its FP32 values. */
    private String weight(String name, Tensor value) {
        int[] dims = value.shape().dims();
        StoredCodes c = codes.get(name);
        if (c != null && c.encoding() == TensorEncoding.AFFINE && c.bits() == 8 && zerosFit(c)) {
            // Stored codes are unsigned [0, 255] with shifted zero points; subtracting 128 from both keeps every value.
            int[] q = new int[c.codes().length];
            for (int i = 0; i < q.length; i++) q[i] = c.codes()[i] - 128;
            int[] z = new int[c.groups()];
            for (int g = 0; g < z.length; g++) z[g] = c.zeros()[g] - 128;
            String codesName = graph.bytes(name + ".quantized", true, q, dims);
            boolean perChannel = c.groups() > 1;
            String scale = perChannel ? graph.floats(name + ".scale", c.scales(), c.groups()) : graph.floats(name + ".scale", c.scales());
            String zero = perChannel ? graph.bytes(name + ".zero_point", true, z, c.groups()) : graph.bytes(name + ".zero_point", true, z);
            metadata.put("edgeq.quant." + name, String.format(Locale.ROOT, "int8 QDQ, %s, DequantizeLinear",
                    perChannel ? "per channel (axis 0)" : "per tensor"));
            return perChannel ? graph.node("DequantizeLinear", name, Map.of("axis", 0), codesName, scale, zero)
                    : graph.node("DequantizeLinear", name, codesName, scale, zero);
        }
        return dequantized(name, value);
    }

    /** The tensor's FP32 values; a quantized one (other widths, codebooks, biases) is described in the metadata. */
    private String dequantized(String name, Tensor value) {
        StoredCodes c = codes.get(name);
        if (c != null) {
            metadata.put("edgeq.quant." + name, String.format(Locale.ROOT, "%s %d-bit, %s; stored here as its dequantized FP32 values",
                    c.encoding() == TensorEncoding.AFFINE ? "affine" : "codebook", c.bits(),
                    c.groups() > 1 ? c.groups() + " groups (per output channel)" : "per tensor"));
        }
        return graph.floats(name, host(value), value.shape().dims());
    }

    private static boolean zerosFit(StoredCodes c) {
        for (int z : c.zeros()) if (z < 0 || z > 255) return false;
        return true;
    }

    /** The weight layer's input as its frozen input quantizer sees it (EdgeQ's fake quantization), or x. */
    private String quantizeInput(String path, String x) {
        ActivationRanges.Range r = activations.get(path);
        if (r == null) return x;
        String scale = graph.floats(path + ".input_scale", new float[] {r.scale()});
        if (r.bits() == 8 && !r.symmetric() && r.zeroPoint() >= 0 && r.zeroPoint() <= 255) {
            String zero = graph.bytes(path + ".input_zero_point", false, new int[] {r.zeroPoint()});
            metadata.put("edgeq.quant." + path + ".input", "uint8 QDQ, per tensor, QuantizeLinear/DequantizeLinear");
            String q = graph.node("QuantizeLinear", path + ".input", x, scale, zero);
            return graph.node("DequantizeLinear", path + ".input", q, scale, zero);
        }
        // Grids QDQ cannot hold (other widths, the symmetric [-(2^(b-1)-1), 2^(b-1)-1] range): EdgeQ's own formula
        // clamp(round(x * (1/s)), qmin - z, qmax - z) * s, rounding half to even as ONNX's Round does.
        int qmin = r.symmetric() ? -((1 << (r.bits() - 1)) - 1) : 0;
        int qmax = r.symmetric() ? (1 << (r.bits() - 1)) - 1 : (1 << r.bits()) - 1;
        metadata.put("edgeq.quant." + path + ".input", String.format(Locale.ROOT,
                "%d-bit %s fake quantization as float ops (Mul, Round, Clip, Mul)", r.bits(), r.symmetric() ? "symmetric" : "asymmetric"));
        String inv = graph.floats(path + ".input_inv_scale", new float[] {1f / r.scale()});
        String lo = graph.floats(path + ".input_lo", new float[] {qmin - r.zeroPoint()});
        String hi = graph.floats(path + ".input_hi", new float[] {qmax - r.zeroPoint()});
        String h = graph.node("Round", path + ".input", graph.node("Mul", path + ".input", x, inv));
        return graph.node("Mul", path + ".input", graph.node("Clip", path + ".input", h, lo, hi), scale);
    }

    private String batchNorm(String path, BatchNorm b, String x) {
        int c = b.inputShape().dim(0);
        List<Parameter> p = b.parameters();
        Map<String, Tensor> buffers = b.buffers();
        return graph.node("BatchNormalization", path, Map.of("epsilon", BatchNorm.EPS), x,
                dequantized(path + ".weight", p.get(0).value()),
                dequantized(path + ".bias", p.get(1).value()),
                graph.floats(path + ".running_mean", host(buffers.get("running_mean")), c),
                graph.floats(path + ".running_var", host(buffers.get("running_var")), c));
    }

    private String maxPool(String path, PoolGeometry g, String x) {
        return graph.node("MaxPool", path, Map.of("kernel_shape", new int[] {g.window(), g.window()},
                "strides", new int[] {g.stride(), g.stride()}), x);
    }

    private static float[] host(Tensor t) {
        if (!t.isHost()) throw new IllegalArgumentException("ONNX export reads host tensors; the model lives on a device");
        return t.toFloatArray();
    }
}
