package org.edgeq.nn;

import java.util.List;

import org.edgeq.backend.Backend;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;

/**
 * A residual block y = x + f(x) where f is a sequence of layers that keeps the shape (ResNet9's
 * {@code Residual(conv-bn-relu, conv-bn-relu)}). Children are named like a Sequential's ("0", "1", ...), i.e. the
 * PyTorch equivalent is a Sequential subclass whose forward adds its input.
 */
public final class Residual implements Layer {
    private final Backend backend;
    private final Sequential body;
    private final BatchBuffer y;
    private final BatchBuffer dx;

    public Residual(LayerContext ctx, List<Layer> body) {
        this.backend = ctx.backend();
        this.body = new Sequential(body);
        if (!this.body.inputShape().equals(this.body.outputShape())) {
            throw new IllegalArgumentException("residual body must keep the shape, maps " + this.body.inputShape() + " to " + this.body.outputShape());
        }
        this.y = ctx.batchBuffer(this.body.outputShape());
        this.dx = ctx.batchBuffer(this.body.inputShape());
    }

    @Override
    public String type() {
        return "Residual";
    }

    @Override
    public Shape inputShape() {
        return body.inputShape();
    }

    @Override
    public Shape outputShape() {
        return body.outputShape();
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Tensor f = body.forward(x, training);
        Tensor out = y.rows(x.dim(0));
        backend.copy(f, out);
        backend.axpy(1f, x, out);
        return out;
    }

    @Override
    public Tensor backward(Tensor dy, boolean needInputGrad) {
        Tensor g = body.backward(dy, true);
        if (!needInputGrad) return null;
        Tensor d = dx.rows(dy.dim(0));
        backend.copy(dy, d);
        backend.axpy(1f, g, d);
        return d;
    }

    @Override
    public List<Layer> children() {
        return body.children();
    }
}
