package org.edgeq.nn;

import org.edgeq.backend.Backend;
import org.edgeq.backend.PoolGeometry;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;

/** Max pooling over square windows of NCHW batches (no padding; a trailing row or column that does not fill a window is dropped, as in PyTorch). */
public final class MaxPool2d implements Layer {
    private final Backend backend;
    private final PoolGeometry geometry;
    private final BatchBuffer y;
    private final BatchBuffer argmax;
    private final BatchBuffer dx;
    private PoolGeometry batchGeometry;
    private Tensor indices;

    public MaxPool2d(LayerContext ctx, Shape input, int window, int stride) {
        if (input.rank() != 3) throw new IllegalArgumentException("MaxPool2d expects a [C, H, W] input, got " + input);
        this.backend = ctx.backend();
        this.geometry = new PoolGeometry(1, input.dim(0), input.dim(1), input.dim(2), window, stride);
        this.y = ctx.batchBuffer(outputShape());
        this.argmax = ctx.batchBuffer(DType.I32, outputShape());
        this.dx = ctx.batchBuffer(input);
    }

    /** Window, stride and channels, for a batch of one. */
    public PoolGeometry geometry() {
        return geometry;
    }

    public int window() {
        return geometry.window();
    }

    @Override
    public String type() {
        return "MaxPool2d";
    }

    @Override
    public Shape inputShape() {
        return Shape.of(geometry.channels(), geometry.height(), geometry.width());
    }

    @Override
    public Shape outputShape() {
        return Shape.of(geometry.channels(), geometry.outHeight(), geometry.outWidth());
    }

    private PoolGeometry geometryFor(int n) {
        if (batchGeometry == null || batchGeometry.batch() != n) batchGeometry = geometry.withBatch(n);
        return batchGeometry;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        if (x.shape().rank() != 4 || !Shape.of(x.dim(1), x.dim(2), x.dim(3)).equals(inputShape())) {
            throw new IllegalArgumentException("MaxPool2d expects [N, " + inputShape() + "], got " + x.shape());
        }
        int n = x.dim(0);
        Tensor out = y.rows(n);
        indices = argmax.rows(n);
        backend.maxPool2d(x, out, indices, geometryFor(n));
        return out;
    }

    @Override
    public Tensor backward(Tensor dy, boolean needInputGrad) {
        if (!needInputGrad) return null;
        int n = dy.dim(0);
        Tensor d = dx.rows(n);
        backend.maxPool2dBackward(dy, indices, d, geometryFor(n));
        return d;
    }

    @Override
    public long macsPerSample() {
        return 0;
    }
}
