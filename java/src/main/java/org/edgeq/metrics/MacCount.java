package org.edgeq.metrics;

import org.edgeq.nn.LayerShape;
import org.edgeq.tensor.Shape;

/**
 * Multiply-accumulates of one inference of one sample, counted from shapes alone (never by running a model): a Linear
 * layer does in x out, a Conv2d layer out x in x k x k at each of its Hout x Wout output positions. Bias additions,
 * batch norm (which folds into the preceding convolution at inference), ReLU, pooling and residual additions are not
 * multiply-accumulates and count zero.
 */
public final class MacCount {
    private MacCount() {
    }

    /** A Linear layer's MACs: one per weight. */
    public static long linear(long in, long out) {
        return Math.multiplyExact(in, out);
    }

    /** A Conv2d layer's MACs: each of its out x in x k x k weights once per output position. */
    public static long conv2d(long out, long in, long kernelHeight, long kernelWidth, long outHeight, long outWidth) {
        return Math.multiplyExact(Math.multiplyExact(Math.multiplyExact(out, in), Math.multiplyExact(kernelHeight, kernelWidth)),
                Math.multiplyExact(outHeight, outWidth));
    }

    /** The layer's dense MACs per sample from its weight and output shapes; zero for layers without a weight. */
    public static long dense(LayerShape layer) {
        Shape w = layer.weight();
        return switch (layer.type()) {
            case "Linear" -> linear(w.dim(1), w.dim(0));
            case "Conv2d" -> conv2d(w.dim(0), w.dim(1), w.dim(2), w.dim(3), layer.outputShape().dim(1), layer.outputShape().dim(2));
            default -> 0;
        };
    }

    /**
     * How many times each weight of the layer is used in one inference: 1 for Linear, Hout x Wout for Conv2d, 0
     * without a weight. Dense MACs are weights x uses, and effective MACs are non-zero weights x uses, exactly.
     */
    public static long usesPerWeight(LayerShape layer) {
        return switch (layer.type()) {
            case "Linear" -> 1;
            case "Conv2d" -> Math.multiplyExact((long) layer.outputShape().dim(1), layer.outputShape().dim(2));
            default -> 0;
        };
    }
}
