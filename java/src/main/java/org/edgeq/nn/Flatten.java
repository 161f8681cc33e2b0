package org.edgeq.nn;

import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;

/** Reshapes [N, C, H, W] (or any [N, ...]) to [N, C*H*W] as a view; no data moves. */
public final class Flatten implements Layer {
    private final Shape input;
    private final int[] batchDims;

    public Flatten(Shape input) {
        this.input = input;
        this.batchDims = new int[input.rank() + 1];
        System.arraycopy(input.dims(), 0, batchDims, 1, input.rank());
    }

    @Override
    public String type() {
        return "Flatten";
    }

    @Override
    public Shape inputShape() {
        return input;
    }

    @Override
    public Shape outputShape() {
        return Shape.of(Math.toIntExact(input.numel()));
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        if (x.numel() != (long) x.dim(0) * input.numel()) {
            throw new IllegalArgumentException("Flatten expects [N, " + input + "], got " + x.shape());
        }
        return x.reshape(x.dim(0), Math.toIntExact(input.numel()));
    }

    @Override
    public Tensor backward(Tensor dy, boolean needInputGrad) {
        if (!needInputGrad) return null;
        int[] dims = batchDims.clone();
        dims[0] = dy.dim(0);
        return dy.reshape(dims);
    }
}
