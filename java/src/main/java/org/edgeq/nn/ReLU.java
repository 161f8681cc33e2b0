package org.edgeq.nn;

import org.edgeq.backend.Backend;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;

/** Rectified linear unit, max(x, 0) elementwise. */
public final class ReLU implements Layer {
    private final Backend backend;
    private final Shape shape;
    private final BatchBuffer y;
    private final BatchBuffer dx;
    private Tensor out;

    public ReLU(LayerContext ctx, Shape shape) {
        this.backend = ctx.backend();
        this.shape = shape;
        this.y = ctx.batchBuffer(shape);
        this.dx = ctx.batchBuffer(shape);
    }

    @Override
    public String type() {
        return "ReLU";
    }

    @Override
    public Shape inputShape() {
        return shape;
    }

    @Override
    public Shape outputShape() {
        return shape;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        out = y.rows(x.dim(0));
        backend.relu(x, out);
        return out;
    }

    @Override
    public Tensor backward(Tensor dy, boolean needInputGrad) {
        if (!needInputGrad) return null;
        Tensor d = dx.rows(dy.dim(0));
        backend.reluBackward(out, dy, d);
        return d;
    }
}
