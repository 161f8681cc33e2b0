package org.edgeq.nn;

import java.util.ArrayList;
import java.util.List;

import org.edgeq.backend.Backend;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;

/** Fully connected layer y = x W^T + b with PyTorch's weight layout [out, in]. */
public final class Linear implements QuantizableLayer {
    private final Backend backend;
    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;
    private final BatchBuffer y;
    private final BatchBuffer dx;
    private Tensor x;
    private Tensor xUsed;
    private Tensor wUsed;
    private QuantizedForward quant;

    /** Initialised like PyTorch: weight and bias uniform in ±1/sqrt(in) (kaiming-uniform with a = sqrt(5)). */
    public Linear(LayerContext ctx, int in, int out, boolean withBias) {
        if (in <= 0 || out <= 0) throw new IllegalArgumentException("Linear needs positive sizes, got in=" + in + " out=" + out);
        this.backend = ctx.backend();
        this.in = in;
        this.out = out;
        double bound = 1.0 / Math.sqrt(in);
        this.weight = new Parameter("weight", ctx.upload(ctx.uniform(out * in, bound), out, in), ctx.allocate(DType.F32, out, in));
        this.bias = withBias
                ? new Parameter("bias", ctx.upload(ctx.uniform(out, bound), out), ctx.allocate(DType.F32, out))
                : null;
        this.y = ctx.batchBuffer(Shape.of(out));
        this.dx = ctx.batchBuffer(Shape.of(in));
    }

    @Override
    public String type() {
        return "Linear";
    }

    @Override
    public Shape inputShape() {
        return Shape.of(in);
    }

    @Override
    public Shape outputShape() {
        return Shape.of(out);
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        if (input.shape().rank() != 2 || input.dim(1) != in) {
            throw new IllegalArgumentException("Linear(" + in + "->" + out + ") expects [N, " + in + "], got " + input.shape());
        }
        x = input;
        xUsed = quant == null ? input : quant.input(input, training);
        wUsed = quant == null ? weight.value() : quant.weight(weight.value(), training);
        Tensor out = y.rows(input.dim(0));
        backend.gemm(false, true, 1f, xUsed, wUsed, 0f, out);
        if (bias != null) backend.addRowVector(out, bias.value());
        return out;
    }

    @Override
    public Tensor backward(Tensor dy, boolean needInputGrad) {
        backend.gemm(true, false, 1f, dy, xUsed, 0f, weight.grad());
        if (quant != null) quant.weightBackward(weight.value(), weight.grad());
        if (bias != null) backend.sumRows(dy, bias.grad(), 0f);
        if (!needInputGrad && (quant == null || !quant.needsInputGradient())) return null;
        Tensor d = dx.rows(dy.dim(0));
        backend.gemm(false, false, 1f, dy, wUsed, 0f, d);
        if (quant != null) quant.inputBackward(x, d);
        return needInputGrad ? d : null;
    }

    @Override
    public void setQuantizedForward(QuantizedForward q) {
        this.quant = q;
    }

    @Override
    public QuantizedForward quantizedForward() {
        return quant;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> p = new ArrayList<>(2);
        p.add(weight);
        if (bias != null) p.add(bias);
        return p;
    }

    @Override
    public long macsPerSample() {
        return (long) in * out;
    }
}
