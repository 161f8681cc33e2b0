package org.edgeq.prune;

import org.edgeq.nn.Model;
import org.edgeq.nn.WeightLayerRef;

import java.util.ArrayList;
import java.util.List;

/**
 * How sparse a model's weights are: zero weights per weight layer and over all of them (-0 counts as zero). Biases
 * and batch-norm tensors are not counted, also where the seed's rule pruned them: they are a small share of a
 * model and the figure stays comparable across scopes.
 *
 * @param layers  one entry per Linear or Conv2d layer, in forward order, the output layer included
 * @param zeros   zero weights over all layers
 * @param weights weights over all layers
 */
public record Sparsity(List<LayerSparsity> layers, long zeros, long weights) {

    /** One layer's figures. */
    public record LayerSparsity(String path, long zeros, long weights) {
        public double sparsity() {
            return weights == 0 ? 0 : (double) zeros / weights;
        }
    }

    /** Fraction of zero weights over all weight layers. */
    public double overall() {
        return weights == 0 ? 0 : (double) zeros / weights;
    }

    /** Counts the zeros of every weight layer of {@code model} (downloads the weights). */
    public static Sparsity of(Model model) {
        List<LayerSparsity> rows = new ArrayList<>();
        long zeros = 0, total = 0;
        for (WeightLayerRef l : model.weightLayers()) {
            float[] w = Pruner.weights(model, l);
            long z = 0;
            for (float v : w) if (v == 0f) z++;
            rows.add(new LayerSparsity(l.path(), z, w.length));
            zeros += z;
            total += w.length;
        }
        return new Sparsity(List.copyOf(rows), zeros, total);
    }

    /** One line per layer and a total, for the CLI. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        for (LayerSparsity l : layers) {
            sb.append(String.format("%-12s %9d / %9d  %6.2f%%%n", l.path(), l.zeros(), l.weights(), 100 * l.sparsity()));
        }
        sb.append(String.format("%-12s %9d / %9d  %6.2f%%%n", "total", zeros, weights, 100 * overall()));
        return sb.toString();
    }
}
