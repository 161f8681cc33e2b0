package org.edgeq.prune;

import org.edgeq.backend.Backend;
import org.edgeq.nn.Parameter;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

/**
 * The mask of one parameter tensor, kept on the model's backend beside it (1 keeps, 0 removes), so re-applying it
 * after an optimizer step is one backend op and no host traffic.
 */
public final class PruningMask {
    private final Parameter parameter;
    private final Tensor mask;
    private final Backend backend;
    private long pruned;

    PruningMask(Backend backend, TensorScope scope, Parameter parameter) {
        this.backend = backend;
        this.parameter = parameter;
        this.mask = backend.allocate(scope, DType.F32, parameter.value().shape());
        backend.fill(mask, 1f);
    }

    public Parameter parameter() {
        return parameter;
    }

    /** The mask tensor, same shape as the parameter; owned by the {@link PruningMasks} that made it. */
    public Tensor tensor() {
        return mask;
    }

    /** A host copy of the mask (1 keep, 0 removed). */
    public float[] keep() {
        float[] k = new float[Math.toIntExact(mask.numel())];
        backend.download(mask, k);
        return k;
    }

    /** Elements this mask removes. */
    public long pruned() {
        return pruned;
    }

    /** Replaces the mask with new host values (1 keep, 0 remove). */
    void set(float[] keep) {
        backend.upload(keep, mask);
        long n = 0;
        for (float k : keep) if (k == 0f) n++;
        pruned = n;
    }

    /** parameter *= mask: removed elements become exactly zero (w · 0, so -0 where w was negative, as the seed's). */
    public void apply() {
        backend.applyMask(parameter.value(), mask);
    }
}
