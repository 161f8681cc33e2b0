package org.edgeq.quant.fake;

import java.util.Arrays;
import java.util.Map;
import java.util.function.BiConsumer;

import org.edgeq.backend.Backend;
import org.edgeq.nn.BatchNorm;
import org.edgeq.nn.Model;
import org.edgeq.nn.WeightLayerRef;
import org.edgeq.tensor.Tensor;

/**
 * Folds each batch normalisation that directly follows a Linear or Conv2d (its next sibling in the same
 * Sequential) into that layer, so that an exported, quantized model quantizes the weights it really computes with.
 * With k = gamma / sqrt(running_var + eps) per output channel: w' = w * k and b' = (b - running_mean) * k + beta.
 * The BatchNorm stays in the model as an identity (gamma 1, mean 0, var 1 - eps) that adds b' when the layer has no
 * bias to hold it, so inference outputs are unchanged. Training-mode batch statistics no longer apply afterwards:
 * fold right before export.
 */
public final class BatchNormFolding {
    private BatchNormFolding() {
    }

    /** Folds every foldable BatchNorm of {@code model} in place and returns how many were folded. */
    public static int fold(Model model) {
        return fold(model, (layer, factors) -> { });
    }

    /**
     * As {@link #fold(Model)}, telling {@code folded} each rewritten layer and its per-output-channel factors k
     * (e.g. so that learned per-channel weight scales can be multiplied by |k|).
     */
    public static int fold(Model model, BiConsumer<WeightLayerRef, float[]> folded) {
        Map<String, Tensor> state = model.stateDict();
        Backend backend = model.backend();
        int count = 0;
        for (WeightLayerRef wl : model.weightLayers()) {
            int dot = wl.path().lastIndexOf('.');
            String bn = wl.path().substring(0, dot + 1) + (Integer.parseInt(wl.path().substring(dot + 1)) + 1);
            Tensor mean = state.get(bn + ".running_mean");
            if (mean == null) continue;
            Tensor var = state.get(bn + ".running_var"), gamma = state.get(bn + ".weight"), beta = state.get(bn + ".bias");
            int c = wl.outChannels();
            if (mean.numel() != c) {
                throw new IllegalArgumentException("BatchNorm " + bn + " has " + mean.numel() + " channels, layer " + wl.path()
                        + " outputs " + c);
            }
            float[] m = read(backend, mean), v = read(backend, var), g = read(backend, gamma), b = read(backend, beta);
            float[] w = read(backend, wl.weight().value());
            float[] bias = wl.bias() == null ? new float[c] : read(backend, wl.bias().value());
            int inner = w.length / c;
            float[] shift = new float[c];
            float[] factors = new float[c];
            for (int o = 0; o < c; o++) {
                double k = g[o] / Math.sqrt((double) v[o] + BatchNorm.EPS);
                factors[o] = (float) k;
                for (int j = 0; j < inner; j++) w[o * inner + j] = (float) (w[o * inner + j] * k);
                shift[o] = (float) ((bias[o] - m[o]) * k + b[o]);
            }
            backend.upload(w, wl.weight().value());
            float[] ones = new float[c], zeros = new float[c], unitVar = new float[c];
            Arrays.fill(ones, 1f);
            Arrays.fill(unitVar, 1f - BatchNorm.EPS);
            if (wl.bias() != null) {
                backend.upload(shift, wl.bias().value());
                backend.upload(zeros, beta);
            } else {
                backend.upload(shift, beta);
            }
            backend.upload(ones, gamma);
            backend.upload(zeros, mean);
            backend.upload(unitVar, var);
            count++;
            folded.accept(wl, factors);
        }
        return count;
    }

    private static float[] read(Backend backend, Tensor t) {
        float[] a = new float[(int) t.numel()];
        backend.download(t, a);
        return a;
    }
}
