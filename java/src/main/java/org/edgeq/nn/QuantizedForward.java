package org.edgeq.nn;

import org.edgeq.tensor.Tensor;

/**
 * What a {@link QuantizableLayer} calls to fake-quantize its weight and its input in the forward pass and to route
 * gradients back through the quantizers (straight-through) in the backward pass; quantization-aware training
 * attaches one per weight layer. Returned tensors are owned by the implementation and stay valid until its next
 * call, so the steady state allocates nothing.
 */
public interface QuantizedForward {

    /** The weight to multiply by in place of {@code w}: {@code w} itself or a quantized copy. */
    Tensor weight(Tensor w, boolean training);

    /** The input to use in place of the batch {@code x}: {@code x} itself or a quantized copy. */
    Tensor input(Tensor x, boolean training);

    /**
     * Turns {@code dWeight}, in place, from the gradient with respect to the quantized weight into the gradient
     * with respect to the full-precision weight {@code w}.
     */
    void weightBackward(Tensor w, Tensor dWeight);

    /** Turns {@code dx}, in place, from the gradient with respect to the quantized input into that of {@code x}. */
    void inputBackward(Tensor x, Tensor dx);

    /** Whether {@link #inputBackward} must run even where the layer's input gradient is not needed (a learned input step). */
    default boolean needsInputGradient() {
        return false;
    }
}
