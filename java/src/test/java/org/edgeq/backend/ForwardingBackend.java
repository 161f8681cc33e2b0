package org.edgeq.backend;

import org.edgeq.quant.core.RangeFold;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

/**
 * A backend that hands every operation to another one, so that a test stand-in overrides only the operations it
 * changes (to count, time or refuse them). Every tensor argument passes through {@link #toDelegate} on its way,
 * which a stand-in overrides to translate tensors into the delegate's (a simulated device's memory) or refuse them.
 */
public abstract class ForwardingBackend implements Backend {
    private final Backend delegate;

    protected ForwardingBackend(Backend delegate) {
        this.delegate = delegate;
    }

    /** The tensor the delegate receives for argument {@code t} of operation {@code op}; t itself unless overridden (null stays null). */
    protected Tensor toDelegate(String op, Tensor t) {
        return t;
    }

    @Override public String name() { return delegate.name(); }
    @Override public String description() { return delegate.description(); }
    @Override public void close() { delegate.close(); }

    // ---- MemoryOps ----

    @Override public Tensor allocate(TensorScope scope, DType dtype, Shape shape) { return delegate.allocate(scope, dtype, shape); }
    @Override public void upload(float[] src, Tensor dst) { delegate.upload(src, toDelegate("upload", dst)); }
    @Override public void upload(int[] src, Tensor dst) { delegate.upload(src, toDelegate("upload", dst)); }
    @Override public void download(Tensor src, float[] dst) { delegate.download(toDelegate("download", src), dst); }
    @Override public void download(Tensor src, int[] dst) { delegate.download(toDelegate("download", src), dst); }
    @Override public void fill(Tensor x, float value) { delegate.fill(toDelegate("fill", x), value); }
    @Override public void copy(Tensor x, Tensor y) { delegate.copy(toDelegate("copy", x), toDelegate("copy", y)); }

    // ---- LinalgOps ----

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        String op = "gemm";
        delegate.gemm(transA, transB, alpha, toDelegate(op, a), toDelegate(op, b), beta, toDelegate(op, c));
    }

    @Override public void axpy(float alpha, Tensor x, Tensor y) { delegate.axpy(alpha, toDelegate("axpy", x), toDelegate("axpy", y)); }
    @Override public void scale(Tensor x, float alpha) { delegate.scale(toDelegate("scale", x), alpha); }

    @Override
    public void addRowVector(Tensor x, Tensor bias) {
        delegate.addRowVector(toDelegate("addRowVector", x), toDelegate("addRowVector", bias));
    }

    @Override
    public void sumRows(Tensor x, Tensor out, float beta) {
        delegate.sumRows(toDelegate("sumRows", x), toDelegate("sumRows", out), beta);
    }

    @Override public double sum(Tensor x) { return delegate.sum(toDelegate("sum", x)); }
    @Override public double sumOfSquares(Tensor x) { return delegate.sumOfSquares(toDelegate("sumOfSquares", x)); }
    @Override public boolean allFinite(Tensor x) { return delegate.allFinite(toDelegate("allFinite", x)); }

    // ---- NnOps ----

    @Override public void relu(Tensor x, Tensor y) { delegate.relu(toDelegate("relu", x), toDelegate("relu", y)); }

    @Override
    public void reluBackward(Tensor y, Tensor dy, Tensor dx) {
        String op = "reluBackward";
        delegate.reluBackward(toDelegate(op, y), toDelegate(op, dy), toDelegate(op, dx));
    }

    @Override
    public void conv2d(Tensor x, Tensor weight, Tensor bias, Tensor y, ConvGeometry g, Tensor workspace) {
        String op = "conv2d";
        delegate.conv2d(toDelegate(op, x), toDelegate(op, weight), toDelegate(op, bias), toDelegate(op, y), g,
                toDelegate(op, workspace));
    }

    @Override
    public void conv2dBackward(Tensor x, Tensor weight, Tensor dy, Tensor dx, Tensor dWeight, Tensor dBias,
                               ConvGeometry g, Tensor workspace) {
        String op = "conv2dBackward";
        delegate.conv2dBackward(toDelegate(op, x), toDelegate(op, weight), toDelegate(op, dy), toDelegate(op, dx),
                toDelegate(op, dWeight), toDelegate(op, dBias), g, toDelegate(op, workspace));
    }

    @Override public long conv2dWorkspaceFloats(ConvGeometry g) { return delegate.conv2dWorkspaceFloats(g); }

    @Override
    public void maxPool2d(Tensor x, Tensor y, Tensor argmax, PoolGeometry g) {
        String op = "maxPool2d";
        delegate.maxPool2d(toDelegate(op, x), toDelegate(op, y), toDelegate(op, argmax), g);
    }

    @Override
    public void maxPool2dBackward(Tensor dy, Tensor argmax, Tensor dx, PoolGeometry g) {
        String op = "maxPool2dBackward";
        delegate.maxPool2dBackward(toDelegate(op, dy), toDelegate(op, argmax), toDelegate(op, dx), g);
    }

    @Override
    public void batchNorm(Tensor x, Tensor y, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                          Tensor saveMean, Tensor saveInvStd, boolean training, float momentum, float eps) {
        String op = "batchNorm";
        delegate.batchNorm(toDelegate(op, x), toDelegate(op, y), toDelegate(op, gamma), toDelegate(op, beta),
                toDelegate(op, runningMean), toDelegate(op, runningVar), toDelegate(op, saveMean),
                toDelegate(op, saveInvStd), training, momentum, eps);
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                                  Tensor dx, Tensor dGamma, Tensor dBeta) {
        String op = "batchNormBackward";
        delegate.batchNormBackward(toDelegate(op, x), toDelegate(op, dy), toDelegate(op, gamma),
                toDelegate(op, saveMean), toDelegate(op, saveInvStd), toDelegate(op, dx), toDelegate(op, dGamma),
                toDelegate(op, dBeta));
    }

    @Override
    public void dropout(Tensor x, Tensor y, Tensor mask, float p, long seed, long offset) {
        String op = "dropout";
        delegate.dropout(toDelegate(op, x), toDelegate(op, y), toDelegate(op, mask), p, seed, offset);
    }

    @Override
    public void dropoutBackward(Tensor dy, Tensor mask, Tensor dx) {
        String op = "dropoutBackward";
        delegate.dropoutBackward(toDelegate(op, dy), toDelegate(op, mask), toDelegate(op, dx));
    }

    @Override
    public double softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits) {
        String op = "softmaxCrossEntropy";
        return delegate.softmaxCrossEntropy(toDelegate(op, logits), toDelegate(op, labels), toDelegate(op, dLogits));
    }

    @Override
    public void argmaxRows(Tensor x, Tensor out) {
        delegate.argmaxRows(toDelegate("argmaxRows", x), toDelegate("argmaxRows", out));
    }

    @Override
    public double meanSquaredError(Tensor pred, Tensor target, Tensor dPred) {
        String op = "meanSquaredError";
        return delegate.meanSquaredError(toDelegate(op, pred), toDelegate(op, target), toDelegate(op, dPred));
    }

    @Override
    public double softTargetKlDivergence(Tensor logits, Tensor teacherLogits, float temperature, Tensor dLogits) {
        String op = "softTargetKlDivergence";
        return delegate.softTargetKlDivergence(toDelegate(op, logits), toDelegate(op, teacherLogits), temperature,
                toDelegate(op, dLogits));
    }

    // ---- OptimOps ----

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float learningRate, float beta1, float beta2,
                         float epsilon, float weightDecay, boolean decoupledWeightDecay, int step) {
        String op = "adamStep";
        delegate.adamStep(toDelegate(op, param), toDelegate(op, grad), toDelegate(op, m), toDelegate(op, v), learningRate,
                beta1, beta2, epsilon, weightDecay, decoupledWeightDecay, step);
    }

    @Override
    public void sgdStep(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum,
                        float weightDecay, boolean nesterov) {
        String op = "sgdStep";
        delegate.sgdStep(toDelegate(op, param), toDelegate(op, grad), toDelegate(op, velocity), learningRate, momentum,
                weightDecay, nesterov);
    }

    // ---- QuantOps ----

    @Override
    public void fakeQuantize(Tensor x, Tensor y, Tensor scale, Tensor zeroPoint, int qmin, int qmax) {
        String op = "fakeQuantize";
        delegate.fakeQuantize(toDelegate(op, x), toDelegate(op, y), toDelegate(op, scale), toDelegate(op, zeroPoint), qmin,
                qmax);
    }

    @Override
    public void fakeQuantizePerChannel(Tensor x, Tensor y, Tensor scales, Tensor zeroPoints, int qmin, int qmax) {
        String op = "fakeQuantizePerChannel";
        delegate.fakeQuantizePerChannel(toDelegate(op, x), toDelegate(op, y), toDelegate(op, scales),
                toDelegate(op, zeroPoints), qmin, qmax);
    }

    @Override
    public void fakeQuantizeBackward(Tensor x, Tensor dy, Tensor dx, Tensor scale, Tensor zeroPoint, int qmin, int qmax) {
        String op = "fakeQuantizeBackward";
        delegate.fakeQuantizeBackward(toDelegate(op, x), toDelegate(op, dy), toDelegate(op, dx), toDelegate(op, scale),
                toDelegate(op, zeroPoint), qmin, qmax);
    }

    @Override
    public void fakeQuantizePerChannelBackward(Tensor x, Tensor dy, Tensor dx, Tensor scales, Tensor zeroPoints,
                                               int qmin, int qmax) {
        String op = "fakeQuantizePerChannelBackward";
        delegate.fakeQuantizePerChannelBackward(toDelegate(op, x), toDelegate(op, dy), toDelegate(op, dx),
                toDelegate(op, scales), toDelegate(op, zeroPoints), qmin, qmax);
    }

    @Override
    public void fakeQuantizeLsqBackward(Tensor x, Tensor dy, Tensor dx, Tensor scale, Tensor zeroPoint, int qmin, int qmax,
                                        float gradScale, Tensor dScale) {
        String op = "fakeQuantizeLsqBackward";
        delegate.fakeQuantizeLsqBackward(toDelegate(op, x), toDelegate(op, dy), toDelegate(op, dx), toDelegate(op, scale),
                toDelegate(op, zeroPoint), qmin, qmax, gradScale, toDelegate(op, dScale));
    }

    @Override
    public void fakeQuantizePerChannelLsqBackward(Tensor x, Tensor dy, Tensor dx, Tensor scales, Tensor zeroPoints,
                                                  int qmin, int qmax, float gradScale, Tensor dScales) {
        String op = "fakeQuantizePerChannelLsqBackward";
        delegate.fakeQuantizePerChannelLsqBackward(toDelegate(op, x), toDelegate(op, dy), toDelegate(op, dx),
                toDelegate(op, scales), toDelegate(op, zeroPoints), qmin, qmax, gradScale, toDelegate(op, dScales));
    }

    @Override public void minMax(Tensor x, float[] out) { delegate.minMax(toDelegate("minMax", x), out); }

    @Override
    public void minMaxPerChannel(Tensor x, Tensor mins, Tensor maxs) {
        String op = "minMaxPerChannel";
        delegate.minMaxPerChannel(toDelegate(op, x), toDelegate(op, mins), toDelegate(op, maxs));
    }

    @Override
    public void foldExtremes(Tensor x, Tensor runningMins, Tensor runningMaxs, RangeFold fold, float momentum, boolean first) {
        String op = "foldExtremes";
        delegate.foldExtremes(toDelegate(op, x), toDelegate(op, runningMins), toDelegate(op, runningMaxs), fold, momentum,
                first);
    }

    @Override
    public void affineParams(Tensor mins, Tensor maxs, Tensor scales, Tensor zeroPoints, int qmin, int qmax, boolean symmetric) {
        String op = "affineParams";
        delegate.affineParams(toDelegate(op, mins), toDelegate(op, maxs), toDelegate(op, scales), toDelegate(op, zeroPoints),
                qmin, qmax, symmetric);
    }

    @Override
    public void clampScales(Tensor scales, float minScale) {
        delegate.clampScales(toDelegate("clampScales", scales), minScale);
    }

    // ---- PruneOps ----

    @Override public void applyMask(Tensor x, Tensor mask) { delegate.applyMask(toDelegate("applyMask", x), toDelegate("applyMask", mask)); }
}
