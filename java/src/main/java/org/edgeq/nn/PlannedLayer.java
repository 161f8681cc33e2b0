package org.edgeq.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.edgeq.backend.ConvGeometry;
import org.edgeq.backend.PoolGeometry;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;

/**
 * A layer as {@link ModelFactory#layerShapes} plans it: its type, shapes, parameter and buffer shapes and MACs, with
 * no memory behind it, so that a model of any size can be described without allocating its weights. It never leaves
 * this package and cannot run: {@link #forward} and {@link #backward} refuse.
 */
final class PlannedLayer implements Layer {
    private final String type;
    private final Shape input;
    private final Shape output;
    private final Map<String, Shape> parameters;
    private final Map<String, Shape> buffers;
    private final long macs;
    private final List<Layer> children;

    private PlannedLayer(String type, Shape input, Shape output, Map<String, Shape> parameters, Map<String, Shape> buffers,
                         long macs, List<Layer> children) {
        this.type = type;
        this.input = input;
        this.output = output;
        this.parameters = parameters;
        this.buffers = buffers;
        this.macs = macs;
        this.children = children;
    }

    /** As {@link Linear}: weight [out, in], bias [out]. */
    static PlannedLayer linear(Shape input, int out, boolean bias) {
        int in = input.dim(0);
        if (in <= 0 || out <= 0) throw new IllegalArgumentException("Linear needs positive sizes, got in=" + in + " out=" + out);
        Map<String, Shape> p = new LinkedHashMap<>();
        p.put("weight", Shape.of(out, in));
        if (bias) p.put("bias", Shape.of(out));
        return new PlannedLayer("Linear", input, Shape.of(out), p, Map.of(), (long) in * out, List.of());
    }

    /** As {@link Conv2d}: weight [out, in, k, k], bias [out]. */
    static PlannedLayer conv(Shape input, int out, int kernel, int stride, int padding, boolean bias) {
        if (input.rank() != 3) throw new IllegalArgumentException("Conv2d expects a [C, H, W] input, got " + input);
        ConvGeometry g = new ConvGeometry(1, input.dim(0), input.dim(1), input.dim(2), out, kernel, stride, padding);
        Map<String, Shape> p = new LinkedHashMap<>();
        p.put("weight", Shape.of(out, input.dim(0), kernel, kernel));
        if (bias) p.put("bias", Shape.of(out));
        return new PlannedLayer("Conv2d", input, Shape.of(out, g.outHeight(), g.outWidth()), p, Map.of(), g.macs(), List.of());
    }

    /** As {@link BatchNorm}: weight and bias [C], running_mean and running_var [C]. */
    static PlannedLayer batchNorm(Shape input) {
        if (input.rank() != 1 && input.rank() != 3) throw new IllegalArgumentException("BatchNorm expects a [C] or [C, H, W] input, got " + input);
        Shape c = Shape.of(input.dim(0));
        Map<String, Shape> p = new LinkedHashMap<>();
        p.put("weight", c);
        p.put("bias", c);
        Map<String, Shape> b = new LinkedHashMap<>();
        b.put("running_mean", c);
        b.put("running_var", c);
        return new PlannedLayer(input.rank() == 1 ? "BatchNorm1d" : "BatchNorm2d", input, input, p, b, input.numel(), List.of());
    }

    /** As {@link MaxPool2d}. */
    static PlannedLayer maxPool(Shape input, int window, int stride) {
        if (input.rank() != 3) throw new IllegalArgumentException("MaxPool2d expects a [C, H, W] input, got " + input);
        PoolGeometry g = new PoolGeometry(1, input.dim(0), input.dim(1), input.dim(2), window, stride);
        return new PlannedLayer("MaxPool2d", input, Shape.of(input.dim(0), g.outHeight(), g.outWidth()), Map.of(), Map.of(), 0, List.of());
    }

    /** A layer that keeps the shape and has no state: ReLU, Dropout. */
    static PlannedLayer elementwise(String type, Shape input) {
        return new PlannedLayer(type, input, input, Map.of(), Map.of(), 0, List.of());
    }

    /** As {@link Residual}: its body's layers as children. */
    static PlannedLayer residual(List<Layer> body) {
        Sequential s = new Sequential(body);
        if (!s.inputShape().equals(s.outputShape())) {
            throw new IllegalArgumentException("residual body must keep the shape, maps " + s.inputShape() + " to " + s.outputShape());
        }
        return new PlannedLayer("Residual", s.inputShape(), s.outputShape(), Map.of(), Map.of(), 0, s.children());
    }

    Map<String, Shape> parameterShapes() {
        return parameters;
    }

    Map<String, Shape> bufferShapes() {
        return buffers;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Shape inputShape() {
        return input;
    }

    @Override
    public Shape outputShape() {
        return output;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        throw new UnsupportedOperationException(type + " was planned from shapes (ModelFactory.layerShapes) and holds no weights");
    }

    @Override
    public Tensor backward(Tensor dy, boolean needInputGrad) {
        throw new UnsupportedOperationException(type + " was planned from shapes (ModelFactory.layerShapes) and holds no weights");
    }

    @Override
    public List<Layer> children() {
        return children;
    }

    @Override
    public long macsPerSample() {
        return macs;
    }
}
