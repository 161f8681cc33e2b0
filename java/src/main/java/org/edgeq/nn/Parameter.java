package org.edgeq.nn;

import org.edgeq.tensor.Tensor;

/**
 * A trainable tensor with its gradient and a PyTorch-style name ({@code weight} inside a layer, {@code net.0.weight}
 * once a {@link Model} has prefixed it with the layer's path).
 *
 * <p>Backward passes overwrite {@code grad} (they do not accumulate), so no zeroing is needed between steps.
 */
public record Parameter(String name, Tensor value, Tensor grad) {

    /** The same tensors under {@code prefix + "." + name}. */
    public Parameter prefixed(String prefix) {
        return new Parameter(prefix.isEmpty() ? name : prefix + "." + name, value, grad);
    }

    public long numel() {
        return value.numel();
    }
}
