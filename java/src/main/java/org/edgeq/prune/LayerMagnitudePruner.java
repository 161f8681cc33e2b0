package org.edgeq.prune;

import org.edgeq.nn.Model;
import org.edgeq.nn.WeightLayerRef;

import java.util.ArrayList;
import java.util.List;

/**
 * Layer-wise magnitude pruning to an exact count: in every prunable layer remove the round(ratio · n) weights of
 * smallest magnitude (ties: earlier index first). Unlike the seed's rank rule ({@link SeedMagnitudePruner}) it reaches the requested sparsity
 * in every layer whatever the ties, which gradual pruning needs (the zeros of its earlier steps are all ties).
 */
public record LayerMagnitudePruner(boolean includeOutputLayer) implements Pruner {

    public LayerMagnitudePruner() {
        this(false);
    }

    @Override
    public String name() {
        return "layer";
    }

    @Override
    public List<ParameterMask> select(Model model, double ratio) {
        Pruner.checkRatio(ratio);
        List<ParameterMask> masks = new ArrayList<>();
        for (WeightLayerRef l : Pruner.prunableLayers(model, includeOutputLayer)) {
            float[] w = Pruner.weights(model, l);
            masks.add(new ParameterMask(l.weight(), MagnitudeOrder.keepAllButSmallest(w, (int) MagnitudeOrder.countAt(ratio, w.length))));
        }
        return masks;
    }
}
