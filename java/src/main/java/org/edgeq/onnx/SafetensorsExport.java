package org.edgeq.onnx;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.edgeq.checkpoint.SafetensorsWriter;
import org.edgeq.export.TensorEncoding;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

/**
 * Writes a model's weights for other tools as safetensors, with PyTorch's state-dict names: either every tensor as
 * the FP32 values the model computes with (quantized weights dequantized), or quantized weights as their integer
 * codes (U8 for up to 8 bits, I32 above) with each one's scales, zero points or codebook as JSON in the file's
 * {@code __metadata__} under the tensor's name (see docs/interop.md).
 */
public final class SafetensorsExport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsExport() {
    }

    /** Every state tensor as FP32 (quantized ones dequantized), written atomically. */
    public static void writeDequantized(Path file, ExportableModel m) throws IOException {
        SafetensorsWriter.write(file, m.model().stateDict(), header(m, "dequantized"));
    }

    /** Quantized tensors as integer codes plus their parameters in the metadata, the rest FP32; written atomically. */
    public static void writePacked(Path file, ExportableModel m) throws IOException {
        Map<String, String> meta = header(m, "packed");
        try (TensorScope scope = new TensorScope()) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (var e : m.model().stateDict().entrySet()) {
                StoredCodes c = m.codes().get(e.getKey());
                if (c == null) {
                    out.put(e.getKey(), e.getValue());
                    continue;
                }
                out.put(e.getKey(), codes(scope, c));
                meta.put(e.getKey(), describe(c));
            }
            SafetensorsWriter.write(file, out, meta);
        }
    }

    private static Tensor codes(TensorScope scope, StoredCodes c) {
        if (c.bits() > 8) {
            Tensor t = Tensor.host(scope, DType.I32, c.shape());
            t.copyFrom(c.codes());
            return t;
        }
        Tensor t = Tensor.host(scope, DType.U8, c.shape());
        for (int i = 0; i < c.codes().length; i++) t.segment().set(ValueLayout.JAVA_BYTE, i, (byte) c.codes()[i]);
        return t;
    }

    /** The JSON a reader needs to turn the codes back into values (fields documented in docs/interop.md). */
    static String describe(StoredCodes c) {
        Map<String, Object> d = new LinkedHashMap<>();
        boolean affine = c.encoding() == TensorEncoding.AFFINE;
        d.put("encoding", affine ? "affine" : "codebook");
        d.put("bits", c.bits());
        d.put("axis", c.groups() > 1 ? 0 : null);
        if (affine) {
            d.put("scale", c.scales());
            d.put("zero_point", c.zeros());
        } else {
            int size = c.scales().length / c.groups();
            List<float[]> books = new ArrayList<>();
            for (int g = 0; g < c.groups(); g++) books.add(java.util.Arrays.copyOfRange(c.scales(), g * size, (g + 1) * size));
            d.put("codebook", books);
        }
        try {
            return JSON.writeValueAsString(d);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the description of " + c.name(), e);
        }
    }

    private static Map<String, String> header(ExportableModel m, String form) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("edgeq.export", form);
        meta.put("edgeq.architecture", m.model().config().architecture());
        if (!m.activations().isEmpty()) {
            Map<String, Object> act = new LinkedHashMap<>();
            m.activations().forEach((k, r) -> act.put(k, Map.of("bits", r.bits(), "symmetric", r.symmetric(), "scale", r.scale(), "zero_point", r.zeroPoint())));
            try {
                meta.put("edgeq.activations", JSON.writeValueAsString(act));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write activation ranges", e);
            }
        }
        return meta;
    }
}
