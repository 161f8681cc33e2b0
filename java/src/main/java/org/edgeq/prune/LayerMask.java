package org.edgeq.prune;

import org.edgeq.nn.WeightLayer;

/**
 * Which weights of one layer survive pruning, as host values: {@code keep[i]} is 1 for a kept weight and 0 for a
 * removed one, in the weight tensor's row-major order.
 */
public record LayerMask(WeightLayer layer, float[] keep) {

    public LayerMask {
        if (keep.length != layer.weight().numel()) {
            throw new IllegalArgumentException(layer.path() + ": mask of " + keep.length + " for weight "
                    + layer.weight().value().shape());
        }
    }

    /** Number of weights this mask removes. */
    public long pruned() {
        long n = 0;
        for (float k : keep) if (k == 0f) n++;
        return n;
    }
}
