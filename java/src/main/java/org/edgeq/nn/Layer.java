package org.edgeq.nn;

import java.util.List;
import java.util.Map;

import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;

/**
 * One module of a network with an explicit forward and backward pass over {@link org.edgeq.backend.Backend} ops.
 *
 * <p>Contract: {@link #forward} keeps a reference to its input until the next forward, so the caller must not
 * overwrite the input before {@link #backward}. Neither pass mutates its argument; outputs live in buffers the
 * layer owns and stay valid until the layer's next call. Parameter gradients are overwritten by each backward.
 * Shapes in {@link #outputShape} and {@link #macsPerSample} are per sample (no batch axis).
 */
public interface Layer {

    /** PyTorch-like class name, e.g. "Linear", for summaries. */
    String type();

    /** Per-sample input shape this layer was built for. */
    Shape inputShape();

    /** Per-sample output shape. */
    Shape outputShape();

    /** Runs the layer on a batch [N, input...] and returns [N, output...]. */
    Tensor forward(Tensor x, boolean training);

    /**
     * Gradient of the loss with respect to the input given {@code dy}, the gradient with respect to the last
     * output; fills parameter gradients. Returns null when {@code needInputGrad} is false.
     */
    Tensor backward(Tensor dy, boolean needInputGrad);

    /** Trainable parameters with local names ("weight", "bias"), in PyTorch registration order. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** Non-trainable state with local names (e.g. "running_mean"), in PyTorch registration order. */
    default Map<String, Tensor> buffers() {
        return Map.of();
    }

    /** Sub-modules, named "0", "1", ... by position as in PyTorch's Sequential. */
    default List<Layer> children() {
        return List.of();
    }

    /** Multiply-accumulates of a forward pass over one sample, excluding children. */
    default long macsPerSample() {
        return 0;
    }
}
