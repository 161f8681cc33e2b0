package org.edgeq.data;

import org.edgeq.backend.AdamConfig;
import org.edgeq.backend.Backend;
import org.edgeq.backend.ConvGeometry;
import org.edgeq.backend.PoolGeometry;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

/**
 * A test-only backend that can allocate host tensors and copy into them, and nothing else: enough for the data
 * package's tests without depending on the CPU backend. It counts uploads so tests can check the traffic.
 */
final class HostUploadBackend implements Backend {
    int uploads;

    @Override public String name() { return "host-upload"; }
    @Override public String description() { return "test fake: allocate and upload only"; }

    @Override
    public Tensor allocate(TensorScope scope, DType dtype, Shape shape) {
        return new Tensor(shape, dtype, scope.allocateHost(shape.numel() * dtype.byteSize()), true);
    }

    @Override
    public void upload(float[] src, Tensor dst) {
        uploads++;
        dst.copyFrom(src);
    }

    @Override
    public void upload(int[] src, Tensor dst) {
        uploads++;
        dst.copyFrom(src);
    }

    @Override
    public void download(Tensor src, float[] dst) {
        float[] v = src.toFloatArray();
        System.arraycopy(v, 0, dst, 0, v.length);
    }

    private static UnsupportedOperationException no() {
        return new UnsupportedOperationException("HostUploadBackend only allocates and uploads");
    }

    @Override public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) { throw no(); }
    @Override public void fill(Tensor x, float value) { throw no(); }
    @Override public void copy(Tensor x, Tensor y) { throw no(); }
    @Override public void axpy(float alpha, Tensor x, Tensor y) { throw no(); }
    @Override public void scale(Tensor x, float alpha) { throw no(); }
    @Override public void addRowVector(Tensor x, Tensor bias) { throw no(); }
    @Override public void sumRows(Tensor x, Tensor out, float beta) { throw no(); }
    @Override public void relu(Tensor x, Tensor y) { throw no(); }
    @Override public void reluBackward(Tensor y, Tensor dy, Tensor dx) { throw no(); }
    @Override public double sum(Tensor x) { throw no(); }
    @Override public double sumOfSquares(Tensor x) { throw no(); }
    @Override public boolean allFinite(Tensor x) { throw no(); }
    @Override public void conv2d(Tensor x, Tensor weight, Tensor bias, Tensor y, ConvGeometry g, Tensor workspace) { throw no(); }
    @Override public void conv2dBackward(Tensor x, Tensor weight, Tensor dy, Tensor dx, Tensor dWeight, Tensor dBias, ConvGeometry g, Tensor workspace) { throw no(); }
    @Override public long conv2dWorkspaceFloats(ConvGeometry g) { throw no(); }
    @Override public void maxPool2d(Tensor x, Tensor y, Tensor argmax, PoolGeometry g) { throw no(); }
    @Override public void maxPool2dBackward(Tensor dy, Tensor argmax, Tensor dx, PoolGeometry g) { throw no(); }
    @Override public void batchNorm(Tensor x, Tensor y, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, Tensor saveMean, Tensor saveInvStd, boolean training, float momentum, float eps) { throw no(); }
    @Override public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd, Tensor dx, Tensor dGamma, Tensor dBeta) { throw no(); }
    @Override public void dropout(Tensor x, Tensor y, Tensor mask, float p, long seed, long offset) { throw no(); }
    @Override public void dropoutBackward(Tensor dy, Tensor mask, Tensor dx) { throw no(); }
    @Override public double softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits) { throw no(); }
    @Override public void argmaxRows(Tensor x, Tensor out) { throw no(); }
    @Override public double meanSquaredError(Tensor pred, Tensor target, Tensor dPred) { throw no(); }
    @Override public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, AdamConfig config, int step) { throw no(); }
    @Override public void sgdStep(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum, float weightDecay, boolean nesterov) { throw no(); }
    @Override public void applyMask(Tensor x, Tensor mask) { throw no(); }
    @Override public double softTargetKlDivergence(Tensor l, Tensor t, float temp, Tensor dl) { throw no(); }
    @Override public void fakeQuantize(Tensor x, Tensor y, float s, int z, int qmin, int qmax) { throw no(); }
    @Override public void fakeQuantizePerChannel(Tensor x, Tensor y, Tensor s, Tensor z, int qmin, int qmax) { throw no(); }
    @Override public void fakeQuantizeBackward(Tensor x, Tensor dy, Tensor dx, float s, int z, int qmin, int qmax) { throw no(); }
    @Override public void fakeQuantizePerChannelBackward(Tensor x, Tensor dy, Tensor dx, Tensor s, Tensor z, int qmin, int qmax) { throw no(); }
    @Override public double fakeQuantizeLsqBackward(Tensor x, Tensor dy, Tensor dx, float s, int z, int qmin, int qmax, float g) { throw no(); }
    @Override public void fakeQuantizePerChannelLsqBackward(Tensor x, Tensor dy, Tensor dx, Tensor s, Tensor z, int qmin, int qmax, float g, Tensor ds) { throw no(); }
    @Override public void minMax(Tensor x, float[] out) { throw no(); }
    @Override public void minMaxPerChannel(Tensor x, Tensor mins, Tensor maxs) { throw no(); }
    @Override public void close() { }
}
