package org.edgeq.prune;

import org.edgeq.nn.Model;
import org.edgeq.nn.Parameter;

/**
 * Which elements of one parameter tensor (a weight, a bias, a batch-norm scale or shift) survive pruning, as host
 * values: {@code keep[i]} is 1 for a kept element and 0 for a removed one, in the tensor's row-major order.
 */
public record ParameterMask(Parameter parameter, float[] keep) {

    public ParameterMask {
        if (keep.length != parameter.numel()) {
            throw new IllegalArgumentException(parameter.name() + ": mask of " + keep.length + " for tensor "
                    + parameter.value().shape());
        }
    }

    /** Number of elements this mask removes. */
    public long pruned() {
        long n = 0;
        for (float k : keep) if (k == 0f) n++;
        return n;
    }

    /**
     * The mask that removes exactly the zeros {@code parameter} holds now (-0 included): how an exported pruned
     * model's masks are recovered, since pruning left its removed elements exactly zero.
     */
    public static ParameterMask ofZeros(Model model, Parameter parameter) {
        float[] w = Pruner.values(model, parameter);
        float[] keep = new float[w.length];
        for (int i = 0; i < w.length; i++) keep[i] = w[i] == 0f ? 0f : 1f;
        return new ParameterMask(parameter, keep);
    }
}
