package org.edgeq.prune;

import org.edgeq.nn.Model;
import org.edgeq.nn.Parameter;
import org.edgeq.nn.WeightLayerRef;

import java.util.ArrayList;
import java.util.List;

/**
 * A rule that decides which elements of a model's parameters to remove given a pruning ratio, looking at their
 * current values; it returns masks and changes nothing (see {@link PruningMasks} to apply and hold them).
 */
public sealed interface Pruner permits SeedMagnitudePruner, LayerMagnitudePruner, GlobalMagnitudePruner, StructuredSparsity24 {

    /**
     * Masks for every parameter tensor this rule prunes, at {@code ratio} in [0, 1): the fraction to remove (the
     * exact meaning is each rule's: the seed's rank rule, an exact count, or fixed at 1/2 for 2:4).
     */
    List<ParameterMask> select(Model model, double ratio);

    /** Short name for reports and the CLI, e.g. {@code seed}, {@code layer}, {@code global}, {@code 2:4}. */
    String name();

    /** The model's weight layers a rule may prune: all but the output layer unless {@code includeOutput}. */
    static List<WeightLayerRef> prunableLayers(Model model, boolean includeOutput) {
        List<WeightLayerRef> out = new ArrayList<>();
        for (WeightLayerRef l : model.weightLayers()) if (includeOutput || !l.isLast()) out.add(l);
        return out;
    }

    static void checkRatio(double ratio) {
        if (!(ratio >= 0 && ratio < 1)) throw new IllegalArgumentException("pruning ratio must be in [0, 1), got " + ratio);
    }

    /** A host copy of a layer's weight values. */
    static float[] weights(Model model, WeightLayerRef layer) {
        return values(model, layer.weight());
    }

    /** A host copy of a parameter's values. */
    static float[] values(Model model, Parameter parameter) {
        float[] w = new float[Math.toIntExact(parameter.numel())];
        model.backend().download(parameter.value(), w);
        return w;
    }
}
