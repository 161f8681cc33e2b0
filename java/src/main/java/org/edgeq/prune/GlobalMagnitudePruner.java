package org.edgeq.prune;

import org.edgeq.nn.Model;
import org.edgeq.nn.WeightLayerRef;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Global magnitude pruning: one threshold over the weights of all prunable layers together, removing exactly
 * round(ratio · total) of them (ties broken by layer order, then index), so layers with many small weights give
 * up more than others.
 */
public record GlobalMagnitudePruner(boolean includeOutputLayer) implements Pruner {

    public GlobalMagnitudePruner() {
        this(false);
    }

    @Override
    public String name() {
        return "global";
    }

    @Override
    public List<ParameterMask> select(Model model, double ratio) {
        Pruner.checkRatio(ratio);
        List<WeightLayerRef> layers = Pruner.prunableLayers(model, includeOutputLayer);
        List<float[]> weights = new ArrayList<>();
        long total = 0;
        for (WeightLayerRef l : layers) {
            float[] w = Pruner.weights(model, l);
            weights.add(w);
            total += w.length;
        }
        if (total > Integer.MAX_VALUE) throw new IllegalArgumentException("global pruning over " + total + " weights: too many for one ordering");
        long[] keys = new long[(int) total];
        int at = 0;
        for (float[] w : weights) {
            for (int i = 0; i < w.length; i++, at++) keys[at] = MagnitudeOrder.key(w[i], at);
        }
        Arrays.sort(keys);
        int remove = (int) MagnitudeOrder.countAt(ratio, total);
        List<float[]> keeps = new ArrayList<>();
        for (float[] w : weights) {
            float[] k = new float[w.length];
            Arrays.fill(k, 1f);
            keeps.add(k);
        }
        int[] offsets = new int[layers.size() + 1];
        for (int i = 0; i < layers.size(); i++) offsets[i + 1] = offsets[i] + weights.get(i).length;
        for (int i = 0; i < remove; i++) {
            int g = MagnitudeOrder.index(keys[i]);
            int layer = Arrays.binarySearch(offsets, g);
            // binarySearch finds an exact offset (first weight of a layer) or the insertion point after it.
            layer = layer >= 0 ? layer : -layer - 2;
            while (offsets[layer + 1] == offsets[layer]) layer++; // skip empty layers sharing the offset
            keeps.get(layer)[g - offsets[layer]] = 0f;
        }
        List<ParameterMask> masks = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) masks.add(new ParameterMask(layers.get(i).weight(), keeps.get(i)));
        return masks;
    }
}
