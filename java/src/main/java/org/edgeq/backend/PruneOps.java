package org.edgeq.backend;

import org.edgeq.tensor.Tensor;

/** The pruning family of the {@link Backend} SPI: applying a weight mask. */
public sealed interface PruneOps permits Backend {

    /**
     * x *= mask elementwise, in place: the pruning mask (1 keeps a weight, 0 removes it) applied to a weight
     * tensor. A 0 in the mask gives exactly +0 or -0 for every finite x, so pruned weights compare equal to zero.
     */
    void applyMask(Tensor x, Tensor mask);
}
