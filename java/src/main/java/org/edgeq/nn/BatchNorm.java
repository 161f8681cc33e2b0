package org.edgeq.nn;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.edgeq.backend.Backend;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;

/**
 * Batch normalisation over [N, C] (BatchNorm1d) or [N, C, H, W] (BatchNorm2d) with PyTorch's defaults
 * (momentum 0.1, eps 1e-5, affine) and its state names weight, bias, running_mean, running_var.
 */
public final class BatchNorm implements Layer {
    public static final float MOMENTUM = 0.1f;
    public static final float EPS = 1e-5f;

    private final Backend backend;
    private final Shape shape;
    private final Parameter gamma;
    private final Parameter beta;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor saveMean;
    private final Tensor saveInvStd;
    private final BatchBuffer y;
    private final BatchBuffer dx;
    private Tensor x;

    /** @param input per-sample shape: [C] for BatchNorm1d, [C, H, W] for BatchNorm2d */
    public BatchNorm(LayerContext ctx, Shape input) {
        if (input.rank() != 1 && input.rank() != 3) {
            throw new IllegalArgumentException("BatchNorm expects a [C] or [C, H, W] input, got " + input);
        }
        this.backend = ctx.backend();
        this.shape = input;
        int c = input.dim(0);
        float[] ones = new float[c];
        Arrays.fill(ones, 1f);
        this.gamma = new Parameter("weight", ctx.upload(ones, c), ctx.allocate(DType.F32, c));
        this.beta = new Parameter("bias", ctx.allocate(DType.F32, c), ctx.allocate(DType.F32, c));
        this.runningMean = ctx.allocate(DType.F32, c);
        this.runningVar = ctx.upload(ones, c);
        this.saveMean = ctx.allocate(DType.F32, c);
        this.saveInvStd = ctx.allocate(DType.F32, c);
        this.y = ctx.batchBuffer(input);
        this.dx = ctx.batchBuffer(input);
    }

    @Override
    public String type() {
        return shape.rank() == 1 ? "BatchNorm1d" : "BatchNorm2d";
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
    public Tensor forward(Tensor input, boolean training) {
        if (input.shape().rank() != shape.rank() + 1 || input.dim(1) != shape.dim(0)) {
            throw new IllegalArgumentException(type() + "(" + shape.dim(0) + ") expects [N, " + shape + "...], got " + input.shape());
        }
        x = input;
        Tensor out = y.rows(input.dim(0));
        backend.batchNorm(input, out, gamma.value(), beta.value(), runningMean, runningVar, saveMean, saveInvStd,
                training, MOMENTUM, EPS);
        return out;
    }

    @Override
    public Tensor backward(Tensor dy, boolean needInputGrad) {
        Tensor d = dx.rows(dy.dim(0));
        backend.batchNormBackward(x, dy, gamma.value(), saveMean, saveInvStd, d, gamma.grad(), beta.grad());
        return needInputGrad ? d : null;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(gamma, beta);
    }

    @Override
    public Map<String, Tensor> buffers() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("running_mean", runningMean);
        m.put("running_var", runningVar);
        return m;
    }

    @Override
    public long macsPerSample() {
        return shape.numel();
    }
}
