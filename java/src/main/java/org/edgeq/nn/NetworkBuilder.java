package org.edgeq.nn;

import java.util.ArrayList;
import java.util.List;

import org.edgeq.tensor.Shape;

/** Appends layers while tracking the per-sample shape, so architectures read as a list of layers. */
public final class NetworkBuilder {
    private final LayerContext ctx;
    private final List<Layer> layers = new ArrayList<>();
    private Shape shape;

    public NetworkBuilder(LayerContext ctx, Shape input) {
        this.ctx = ctx;
        this.shape = input;
    }

    public Shape shape() {
        return shape;
    }

    public NetworkBuilder add(Layer layer) {
        layers.add(layer);
        shape = layer.outputShape();
        return this;
    }

    public NetworkBuilder linear(int out) {
        if (shape.rank() != 1) flatten();
        return add(new Linear(ctx, shape.dim(0), out, true));
    }

    public NetworkBuilder conv(int out, int kernel, int stride, int padding, boolean bias) {
        return add(new Conv2d(ctx, shape, out, kernel, stride, padding, bias));
    }

    /** 3x3 convolution with padding 1 (keeps height and width). */
    public NetworkBuilder conv3x3(int out, boolean bias) {
        return conv(out, 3, 1, 1, bias);
    }

    public NetworkBuilder batchNorm() {
        return add(new BatchNorm(ctx, shape));
    }

    public NetworkBuilder relu() {
        return add(new ReLU(ctx, shape));
    }

    public NetworkBuilder maxPool(int window) {
        return add(new MaxPool2d(ctx, shape, window, window));
    }

    /** Max pooling over the whole remaining height and width (global max pool); needs a square feature map. */
    public NetworkBuilder globalMaxPool() {
        if (shape.dim(1) != shape.dim(2)) throw new IllegalArgumentException("global max pool needs a square map, got " + shape);
        return add(new MaxPool2d(ctx, shape, shape.dim(1), shape.dim(1)));
    }

    public NetworkBuilder dropout(float p) {
        return p > 0f ? add(new Dropout(ctx, shape, p)) : this;
    }

    public NetworkBuilder flatten() {
        return add(new Flatten(shape));
    }

    /** A sub-sequence as one child, e.g. PyTorch's {@code conv_bn} blocks. */
    public NetworkBuilder block(java.util.function.Consumer<NetworkBuilder> body) {
        NetworkBuilder inner = new NetworkBuilder(ctx, shape);
        body.accept(inner);
        return add(inner.build());
    }

    public NetworkBuilder residual(java.util.function.Consumer<NetworkBuilder> body) {
        NetworkBuilder inner = new NetworkBuilder(ctx, shape);
        body.accept(inner);
        return add(new Residual(ctx, inner.layers));
    }

    public Sequential build() {
        return new Sequential(layers);
    }
}
