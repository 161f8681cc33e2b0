package org.edgeq.nn;

import org.edgeq.backend.Backend;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;

/**
 * Inverted dropout drawing its mask from the backend's counter-based generator at (seed, offset); the offset
 * advances by the elements used on every training call, so a run is reproducible from the model seed alone.
 * In evaluation it is the identity.
 */
public final class Dropout implements Layer {
    private final Backend backend;
    private final Shape shape;
    private final float p;
    private final long seed;
    private final BatchBuffer y;
    private final BatchBuffer mask;
    private final BatchBuffer dx;
    private long offset;
    private Tensor lastMask;

    public Dropout(LayerContext ctx, Shape shape, float p) {
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        this.backend = ctx.backend();
        this.shape = shape;
        this.p = p;
        this.seed = ctx.nextDropoutSeed();
        this.y = ctx.batchBuffer(shape);
        this.mask = ctx.batchBuffer(shape);
        this.dx = ctx.batchBuffer(shape);
    }

    public float probability() {
        return p;
    }

    /** Where the next training call starts drawing; set it to replay a mask. */
    public long offset() {
        return offset;
    }

    public void setOffset(long offset) {
        this.offset = offset;
    }

    @Override
    public String type() {
        return "Dropout";
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
        if (!training || p == 0f) {
            lastMask = null;
            return x;
        }
        int n = x.dim(0);
        Tensor out = y.rows(n);
        lastMask = mask.rows(n);
        backend.dropout(x, out, lastMask, p, seed, offset);
        offset += x.numel();
        return out;
    }

    @Override
    public Tensor backward(Tensor dy, boolean needInputGrad) {
        if (!needInputGrad) return null;
        if (lastMask == null) return dy;
        Tensor d = dx.rows(dy.dim(0));
        backend.dropoutBackward(dy, lastMask, d);
        return d;
    }
}
