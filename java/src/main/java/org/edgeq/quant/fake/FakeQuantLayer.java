package org.edgeq.quant.fake;

import org.edgeq.nn.QuantizedForward;
import org.edgeq.tensor.Tensor;

/**
 * The fake quantizers of one weight layer: its weight (usually per output channel) and its input (usually per
 * tensor); either may be absent. Attached to a {@link org.edgeq.nn.QuantizableLayer}, it makes the layer compute
 * with quantized operands and route gradients back to the full-precision weight and input (straight-through).
 */
public final class FakeQuantLayer implements QuantizedForward, AutoCloseable {
    private final FakeQuantize weight;
    private final FakeQuantize input;

    public FakeQuantLayer(FakeQuantize weight, FakeQuantize input) {
        this.weight = weight;
        this.input = input;
    }

    /** The weight quantizer, or null. */
    public FakeQuantize weightQuantizer() {
        return weight;
    }

    /** The input (activation) quantizer, or null. */
    public FakeQuantize inputQuantizer() {
        return input;
    }

    @Override
    public Tensor weight(Tensor w, boolean training) {
        return weight == null ? w : weight.forward(w, training);
    }

    @Override
    public Tensor input(Tensor x, boolean training) {
        return input == null ? x : input.forward(x, training);
    }

    @Override
    public void weightBackward(Tensor w, Tensor dWeight) {
        if (weight != null) weight.backward(w, dWeight);
    }

    @Override
    public void inputBackward(Tensor x, Tensor dx) {
        if (input != null) input.backward(x, dx);
    }

    @Override
    public boolean needsInputGradient() {
        return input != null && input.spec().learnedStep();
    }

    @Override
    public void close() {
        if (weight != null) weight.close();
        if (input != null) input.close();
    }
}
