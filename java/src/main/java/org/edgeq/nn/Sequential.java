package org.edgeq.nn;

import java.util.List;

import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;

/** Layers applied one after another; children are named "0", "1", ... as in PyTorch's nn.Sequential. */
public final class Sequential implements Layer {
    private final List<Layer> layers;

    public Sequential(List<Layer> layers) {
        if (layers.isEmpty()) throw new IllegalArgumentException("Sequential needs at least one layer");
        for (int i = 1; i < layers.size(); i++) {
            Shape out = layers.get(i - 1).outputShape();
            Shape in = layers.get(i).inputShape();
            if (out.numel() != in.numel()) {
                throw new IllegalArgumentException("layer " + i + " (" + layers.get(i).type() + ") expects " + in
                        + " but layer " + (i - 1) + " (" + layers.get(i - 1).type() + ") produces " + out);
            }
        }
        this.layers = List.copyOf(layers);
    }

    @Override
    public String type() {
        return "Sequential";
    }

    @Override
    public Shape inputShape() {
        return layers.getFirst().inputShape();
    }

    @Override
    public Shape outputShape() {
        return layers.getLast().outputShape();
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Tensor h = x;
        for (Layer l : layers) h = l.forward(h, training);
        return h;
    }

    @Override
    public Tensor backward(Tensor dy, boolean needInputGrad) {
        Tensor g = dy;
        for (int i = layers.size() - 1; i >= 0; i--) {
            g = layers.get(i).backward(g, i > 0 || needInputGrad);
        }
        return g;
    }

    @Override
    public List<Layer> children() {
        return layers;
    }
}
