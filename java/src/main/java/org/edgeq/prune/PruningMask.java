package org.edgeq.prune;

import org.edgeq.backend.Backend;
import org.edgeq.nn.WeightLayer;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

/**
 * The mask of one weight tensor, kept on the model's backend beside the weight (1 keeps, 0 removes), so
 * re-applying it after an optimizer step is one backend op and no host traffic.
 */
public final class PruningMask {
    private final WeightLayer layer;
    private final Tensor mask;
    private final Backend backend;
    private long pruned;

    PruningMask(Backend backend, TensorScope scope, WeightLayer layer) {
        this.backend = backend;
        this.layer = layer;
        this.mask = backend.allocate(scope, DType.F32, layer.weight().value().shape());
        backend.fill(mask, 1f);
    }

    public WeightLayer layer() {
        return layer;
    }

    /** The mask tensor, same shape as the weight; owned by the {@link PruningMasks} that made it. */
    public Tensor tensor() {
        return mask;
    }

    /** Weights this mask removes. */
    public long pruned() {
        return pruned;
    }

    /** Replaces the mask with new host values (1 keep, 0 remove). */
    void set(LayerMask m) {
        backend.upload(m.keep(), mask);
        pruned = m.pruned();
    }

    /** weight *= mask: removed weights become exactly zero. */
    public void apply() {
        backend.applyMask(layer.weight().value(), mask);
    }
}
