package org.edgeq.metrics;

import org.edgeq.nn.LayerShape;
import org.edgeq.nn.Model;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Builds {@link ModelProfile}s: from shapes alone (an architecture never built, every parameter counted as non-zero)
 * or from a built model, whose weights are read (downloaded from a device) to count the non-zeros.
 */
public final class ModelProfiler {
    private ModelProfiler() {
    }

    /** The profile of layers never built: dense (no zeros), stored as F32, no file. */
    public static ModelProfile fromShapes(List<LayerShape> shapes, LayerBits bits) {
        List<LayerProfile> rows = new ArrayList<>(shapes.size());
        for (LayerShape s : shapes) {
            long params = s.parameterCount();
            Shape w = s.isWeightLayer() ? s.weight() : null;
            long weights = w == null ? 0 : w.numel();
            rows.add(row(s, params, params, weights, weights, bits, f32Bytes(s)));
        }
        return new ModelProfile(rows, null);
    }

    /** The profile of {@code model} with its non-zeros counted and its tensors stored as F32. */
    public static ModelProfile of(Model model, LayerBits bits) {
        return of(model, bits, null);
    }

    /**
     * The profile of {@code model} with its non-zeros counted. {@code storedBytes} gives the bytes a state-dict tensor
     * (by full name) takes where it is stored, e.g. its encoded size in an export; null means F32.
     */
    public static ModelProfile of(Model model, LayerBits bits, ToLongFunction<String> storedBytes) {
        Map<String, Tensor> state = model.stateDict();
        List<LayerProfile> rows = new ArrayList<>();
        for (LayerShape s : model.layerShapes()) {
            long params = 0;
            long nonzeros = 0;
            long weights = 0;
            long nonzeroWeights = 0;
            for (String local : s.parameters().keySet()) {
                Tensor t = state.get(s.path() + "." + local);
                long n = t.numel();
                long nz = nonzeros(model, t);
                params += n;
                nonzeros += nz;
                if (s.isWeightLayer() && local.equals("weight")) {
                    weights = n;
                    nonzeroWeights = nz;
                }
            }
            long bytes;
            if (storedBytes == null) {
                bytes = f32Bytes(s);
            } else {
                bytes = 0;
                for (String local : s.parameters().keySet()) bytes += storedBytes.applyAsLong(s.path() + "." + local);
                for (String local : s.buffers().keySet()) bytes += storedBytes.applyAsLong(s.path() + "." + local);
            }
            rows.add(row(s, params, nonzeros, weights, nonzeroWeights, bits, bytes));
        }
        return new ModelProfile(rows, null);
    }

    private static LayerProfile row(LayerShape s, long params, long nonzeros, long weights, long nonzeroWeights, LayerBits bits, long bytes) {
        long dense = MacCount.dense(s);
        long effective = Math.multiplyExact(nonzeroWeights, MacCount.usesPerWeight(s));
        if (weights > 0 && dense != Math.multiplyExact(weights, MacCount.usesPerWeight(s))) {
            throw new IllegalStateException(s.path() + ": " + dense + " MACs is not " + weights + " weights x " + MacCount.usesPerWeight(s) + " uses");
        }
        return new LayerProfile(s.path(), s.type(), s.outputShape(), params, nonzeros, weights, nonzeroWeights, dense, effective,
                bits.weightBits(s.path()), bits.activationBits(s.path()), bytes);
    }

    private static long f32Bytes(LayerShape s) {
        long elements = s.parameterCount();
        for (Shape b : s.buffers().values()) elements += b.numel();
        return 4 * elements;
    }

    private static long nonzeros(Model model, Tensor t) {
        float[] v = new float[Math.toIntExact(t.numel())];
        model.backend().download(t, v);
        long nz = 0;
        for (float x : v) if (x != 0f) nz++; // -0 counts as zero, as the results' sparsity counts it
        return nz;
    }
}
