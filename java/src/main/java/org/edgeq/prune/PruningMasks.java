package org.edgeq.prune;

import org.edgeq.nn.Model;
import org.edgeq.nn.WeightLayer;
import org.edgeq.tensor.TensorScope;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pruning masks of one model, one per pruned weight tensor, with the memory they live in: pruning sets them
 * from a {@link Pruner} and zeroes the removed weights, {@link #apply()} zeroes them again after training moved them.
 */
public final class PruningMasks implements AutoCloseable {
    private final Model model;
    private final TensorScope scope = new TensorScope();
    private final Map<String, PruningMask> byPath = new LinkedHashMap<>();

    public PruningMasks(Model model) {
        this.model = model;
    }

    /** Masks of a model pruned once by {@code pruner} at {@code ratio} (the weights are zeroed now). */
    public static PruningMasks prune(Model model, Pruner pruner, double ratio) {
        PruningMasks masks = new PruningMasks(model);
        masks.update(pruner.select(model, ratio));
        return masks;
    }

    /** Sets the masks of the given layers (others keep theirs) and applies every mask. */
    public void update(List<LayerMask> masks) {
        for (LayerMask m : masks) {
            WeightLayer l = m.layer();
            List<WeightLayer> own = model.weightLayers();
            if (l.index() >= own.size() || own.get(l.index()).weight().value() != l.weight().value()) {
                throw new IllegalArgumentException("mask for " + l.path() + " does not belong to this model");
            }
            byPath.computeIfAbsent(l.path(), p -> new PruningMask(model.backend(), scope, l)).set(m);
        }
        apply();
    }

    /** Re-applies every mask: removed weights are exactly zero again. */
    public void apply() {
        for (PruningMask m : byPath.values()) m.apply();
    }

    /** Masks by layer path, in the order they were first set. */
    public List<PruningMask> masks() {
        return Collections.unmodifiableList(new ArrayList<>(byPath.values()));
    }

    public Model model() {
        return model;
    }

    @Override
    public void close() {
        scope.close();
    }
}
