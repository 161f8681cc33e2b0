package org.edgeq.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.edgeq.tensor.Shape;

/**
 * Appends layers while tracking the per-sample shape, so architectures read as a list of layers. A builder made by
 * {@link #shapesOnly} plans the same layers without memory ({@link ModelFactory#layerShapes}), so that one description
 * of each architecture serves both building and counting.
 */
public final class NetworkBuilder {
    private final LayerContext ctx;
    private final List<Layer> layers = new ArrayList<>();
    private Shape shape;

    public NetworkBuilder(LayerContext ctx, Shape input) {
        this(ctx, input, true);
    }

    private NetworkBuilder(LayerContext ctx, Shape input, boolean requireContext) {
        if (requireContext && ctx == null) throw new IllegalArgumentException("a network builder needs a layer context (or use shapesOnly)");
        this.ctx = ctx;
        this.shape = input;
    }

    /** A builder whose layers hold shapes only: they cannot run, and nothing is allocated. */
    static NetworkBuilder shapesOnly(Shape input) {
        return new NetworkBuilder(null, input, false);
    }

    private boolean planning() {
        return ctx == null;
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
        return add(planning() ? PlannedLayer.linear(shape, out, true) : new Linear(ctx, shape.dim(0), out, true));
    }

    public NetworkBuilder conv(int out, int kernel, int stride, int padding, boolean bias) {
        return add(planning() ? PlannedLayer.conv(shape, out, kernel, stride, padding, bias)
                : new Conv2d(ctx, shape, out, kernel, stride, padding, bias));
    }

    /** 3x3 convolution with padding 1 (keeps height and width). */
    public NetworkBuilder conv3x3(int out, boolean bias) {
        return conv(out, 3, 1, 1, bias);
    }

    public NetworkBuilder batchNorm() {
        return add(planning() ? PlannedLayer.batchNorm(shape) : new BatchNorm(ctx, shape));
    }

    public NetworkBuilder relu() {
        return add(planning() ? PlannedLayer.elementwise("ReLU", shape) : new ReLU(ctx, shape));
    }

    public NetworkBuilder maxPool(int window) {
        return add(planning() ? PlannedLayer.maxPool(shape, window, window) : new MaxPool2d(ctx, shape, window, window));
    }

    /** Max pooling over the whole remaining height and width (global max pool); needs a square feature map. */
    public NetworkBuilder globalMaxPool() {
        if (shape.dim(1) != shape.dim(2)) throw new IllegalArgumentException("global max pool needs a square map, got " + shape);
        return add(planning() ? PlannedLayer.maxPool(shape, shape.dim(1), shape.dim(1)) : new MaxPool2d(ctx, shape, shape.dim(1), shape.dim(1)));
    }

    public NetworkBuilder dropout(float p) {
        if (!(p > 0f)) return this;
        if (planning() && p >= 1f) throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        return add(planning() ? PlannedLayer.elementwise("Dropout", shape) : new Dropout(ctx, shape, p));
    }

    public NetworkBuilder flatten() {
        return add(new Flatten(shape));
    }

    /** A sub-sequence as one child, e.g. PyTorch's {@code conv_bn} blocks. */
    public NetworkBuilder block(Consumer<NetworkBuilder> body) {
        NetworkBuilder inner = new NetworkBuilder(ctx, shape, false);
        body.accept(inner);
        return add(inner.build());
    }

    public NetworkBuilder residual(Consumer<NetworkBuilder> body) {
        NetworkBuilder inner = new NetworkBuilder(ctx, shape, false);
        body.accept(inner);
        return add(planning() ? PlannedLayer.residual(inner.layers) : new Residual(ctx, inner.layers));
    }

    public Sequential build() {
        return new Sequential(layers);
    }
}
