package org.edgeq.nn;

import java.util.ArrayList;
import java.util.List;

import org.edgeq.backend.Backend;
import org.edgeq.backend.ConvGeometry;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;

/** 2-D convolution over NCHW batches with a square kernel, PyTorch's weight layout [out, in, k, k]. */
public final class Conv2d implements QuantizableLayer {
    private final Backend backend;
    private final ConvGeometry geometry;
    private final Parameter weight;
    private final Parameter bias;
    private final BatchBuffer y;
    private final BatchBuffer dx;
    private final FlatBuffer workspace;
    private ConvGeometry batchGeometry;
    private Tensor x;
    private Tensor xUsed;
    private Tensor wUsed;
    private QuantizedForward quant;

    /**
     * @param input per-sample input shape [C, H, W]
     */
    public Conv2d(LayerContext ctx, Shape input, int outChannels, int kernel, int stride, int padding, boolean withBias) {
        if (input.rank() != 3) throw new IllegalArgumentException("Conv2d expects a [C, H, W] input, got " + input);
        this.backend = ctx.backend();
        this.geometry = new ConvGeometry(1, input.dim(0), input.dim(1), input.dim(2), outChannels, kernel, stride, padding);
        int fanIn = geometry.patchSize();
        double bound = 1.0 / Math.sqrt(fanIn);
        int wn = outChannels * fanIn;
        this.weight = new Parameter("weight", ctx.upload(ctx.uniform(wn, bound), outChannels, input.dim(0), kernel, kernel),
                ctx.allocate(DType.F32, outChannels, input.dim(0), kernel, kernel));
        this.bias = withBias
                ? new Parameter("bias", ctx.upload(ctx.uniform(outChannels, bound), outChannels), ctx.allocate(DType.F32, outChannels))
                : null;
        this.y = ctx.batchBuffer(outputShape());
        this.dx = ctx.batchBuffer(input);
        this.workspace = ctx.flatBuffer();
    }

    /** Kernel, stride, padding and channels, for a batch of one. */
    public ConvGeometry geometry() {
        return geometry;
    }

    @Override
    public String type() {
        return "Conv2d";
    }

    @Override
    public Shape inputShape() {
        return Shape.of(geometry.inChannels(), geometry.height(), geometry.width());
    }

    @Override
    public Shape outputShape() {
        return Shape.of(geometry.outChannels(), geometry.outHeight(), geometry.outWidth());
    }

    private ConvGeometry geometryFor(Tensor input) {
        if (input.shape().rank() != 4 || input.dim(1) != geometry.inChannels() || input.dim(2) != geometry.height()
                || input.dim(3) != geometry.width()) {
            throw new IllegalArgumentException("Conv2d expects [N, " + geometry.inChannels() + ", " + geometry.height() + ", "
                    + geometry.width() + "], got " + input.shape());
        }
        int n = input.dim(0);
        if (batchGeometry == null || batchGeometry.batch() != n) batchGeometry = geometry.withBatch(n);
        return batchGeometry;
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        ConvGeometry g = geometryFor(input);
        x = input;
        xUsed = quant == null ? input : quant.input(input, training);
        wUsed = quant == null ? weight.value() : quant.weight(weight.value(), training);
        Tensor out = y.rows(g.batch());
        backend.conv2d(xUsed, wUsed, bias == null ? null : bias.value(), out, g,
                workspace.atLeast(backend.conv2dWorkspaceFloats(g)));
        return out;
    }

    @Override
    public Tensor backward(Tensor dy, boolean needInputGrad) {
        ConvGeometry g = geometryFor(x);
        boolean wantDx = needInputGrad || (quant != null && quant.needsInputGradient());
        Tensor d = wantDx ? dx.rows(g.batch()) : null;
        backend.conv2dBackward(xUsed, wUsed, dy, d, weight.grad(), bias == null ? null : bias.grad(), g,
                workspace.atLeast(backend.conv2dWorkspaceFloats(g)));
        if (quant != null) {
            quant.weightBackward(weight.value(), weight.grad());
            if (d != null) quant.inputBackward(x, d);
        }
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
        return geometry.macs();
    }
}
