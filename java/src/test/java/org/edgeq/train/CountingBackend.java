package org.edgeq.train;

import java.util.concurrent.atomic.AtomicLong;

import org.edgeq.backend.AdamConfig;
import org.edgeq.backend.Backend;
import org.edgeq.backend.ConvGeometry;
import org.edgeq.backend.PoolGeometry;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

/**
 * A backend that delegates every op, counts tensor allocations (to prove a steady state allocates nothing) and
 * times the ops that dominate training (for the timing harness).
 */
final class CountingBackend implements Backend {
    private final Backend d;
    final AtomicLong allocations = new AtomicLong();
    final AtomicLong gemmNanos = new AtomicLong();
    final AtomicLong optimizerNanos = new AtomicLong();
    final AtomicLong uploadNanos = new AtomicLong();

    CountingBackend(Backend delegate) {
        this.d = delegate;
    }

    @Override public String name() { return d.name(); }
    @Override public String description() { return d.description(); }

    @Override
    public Tensor allocate(TensorScope scope, DType dtype, Shape shape) {
        allocations.incrementAndGet();
        return d.allocate(scope, dtype, shape);
    }

    @Override public void upload(float[] src, Tensor dst) { long t = System.nanoTime(); d.upload(src, dst); uploadNanos.addAndGet(System.nanoTime() - t); }
    @Override public void upload(int[] src, Tensor dst) { d.upload(src, dst); }
    @Override public void download(Tensor src, float[] dst) { d.download(src, dst); }
    @Override public void gemm(boolean ta, boolean tb, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        long t = System.nanoTime();
        d.gemm(ta, tb, alpha, a, b, beta, c);
        gemmNanos.addAndGet(System.nanoTime() - t);
    }
    @Override public void fill(Tensor x, float v) { d.fill(x, v); }
    @Override public void copy(Tensor x, Tensor y) { d.copy(x, y); }
    @Override public void axpy(float alpha, Tensor x, Tensor y) { d.axpy(alpha, x, y); }
    @Override public void scale(Tensor x, float alpha) { d.scale(x, alpha); }
    @Override public void addRowVector(Tensor x, Tensor bias) { d.addRowVector(x, bias); }
    @Override public void sumRows(Tensor x, Tensor out, float beta) { d.sumRows(x, out, beta); }
    @Override public void relu(Tensor x, Tensor y) { d.relu(x, y); }
    @Override public void reluBackward(Tensor y, Tensor dy, Tensor dx) { d.reluBackward(y, dy, dx); }
    @Override public double sum(Tensor x) { return d.sum(x); }
    @Override public double sumOfSquares(Tensor x) { return d.sumOfSquares(x); }
    @Override public boolean allFinite(Tensor x) { return d.allFinite(x); }
    @Override public void conv2d(Tensor x, Tensor w, Tensor b, Tensor y, ConvGeometry g, Tensor ws) { d.conv2d(x, w, b, y, g, ws); }
    @Override public void conv2dBackward(Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db, ConvGeometry g, Tensor ws) { d.conv2dBackward(x, w, dy, dx, dw, db, g, ws); }
    @Override public long conv2dWorkspaceFloats(ConvGeometry g) { return d.conv2dWorkspaceFloats(g); }
    @Override public void maxPool2d(Tensor x, Tensor y, Tensor argmax, PoolGeometry g) { d.maxPool2d(x, y, argmax, g); }
    @Override public void maxPool2dBackward(Tensor dy, Tensor argmax, Tensor dx, PoolGeometry g) { d.maxPool2dBackward(dy, argmax, dx, g); }
    @Override
    public void batchNorm(Tensor x, Tensor y, Tensor g, Tensor b, Tensor rm, Tensor rv, Tensor sm, Tensor si, boolean training, float momentum, float eps) {
        d.batchNorm(x, y, g, b, rm, rv, sm, si, training, momentum, eps);
    }
    @Override
    public void batchNormBackward(Tensor x, Tensor dy, Tensor g, Tensor sm, Tensor si, Tensor dx, Tensor dg, Tensor db) {
        d.batchNormBackward(x, dy, g, sm, si, dx, dg, db);
    }
    @Override public void dropout(Tensor x, Tensor y, Tensor mask, float p, long seed, long offset) { d.dropout(x, y, mask, p, seed, offset); }
    @Override public void dropoutBackward(Tensor dy, Tensor mask, Tensor dx) { d.dropoutBackward(dy, mask, dx); }
    @Override public double softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits) { return d.softmaxCrossEntropy(logits, labels, dLogits); }
    @Override public void argmaxRows(Tensor x, Tensor out) { d.argmaxRows(x, out); }
    @Override public double meanSquaredError(Tensor pred, Tensor target, Tensor dPred) { return d.meanSquaredError(pred, target, dPred); }
    @Override public void adamStep(Tensor p, Tensor g, Tensor m, Tensor v, AdamConfig c, int step) {
        long t = System.nanoTime();
        d.adamStep(p, g, m, v, c, step);
        optimizerNanos.addAndGet(System.nanoTime() - t);
    }
    @Override public void sgdStep(Tensor p, Tensor g, Tensor v, float lr, float momentum, float wd, boolean nesterov) { d.sgdStep(p, g, v, lr, momentum, wd, nesterov); }
    @Override public void applyMask(Tensor x, Tensor mask) { d.applyMask(x, mask); }
    @Override public double softTargetKlDivergence(Tensor l, Tensor t, float temp, Tensor dl) { return d.softTargetKlDivergence(l, t, temp, dl); }
    // ---- quantization ----
    @Override public void fakeQuantize(Tensor x, Tensor y, float s, int z, int qmin, int qmax) { d.fakeQuantize(x, y, s, z, qmin, qmax); }
    @Override public void fakeQuantizePerChannel(Tensor x, Tensor y, Tensor s, Tensor z, int qmin, int qmax) { d.fakeQuantizePerChannel(x, y, s, z, qmin, qmax); }
    @Override public void fakeQuantizeBackward(Tensor x, Tensor dy, Tensor dx, float s, int z, int qmin, int qmax) { d.fakeQuantizeBackward(x, dy, dx, s, z, qmin, qmax); }
    @Override public void fakeQuantizePerChannelBackward(Tensor x, Tensor dy, Tensor dx, Tensor s, Tensor z, int qmin, int qmax) { d.fakeQuantizePerChannelBackward(x, dy, dx, s, z, qmin, qmax); }
    @Override public double fakeQuantizeLsqBackward(Tensor x, Tensor dy, Tensor dx, float s, int z, int qmin, int qmax, float g) { return d.fakeQuantizeLsqBackward(x, dy, dx, s, z, qmin, qmax, g); }
    @Override public void fakeQuantizePerChannelLsqBackward(Tensor x, Tensor dy, Tensor dx, Tensor s, Tensor z, int qmin, int qmax, float g, Tensor ds) { d.fakeQuantizePerChannelLsqBackward(x, dy, dx, s, z, qmin, qmax, g, ds); }
    @Override public void minMax(Tensor x, float[] out) { d.minMax(x, out); }
    @Override public void minMaxPerChannel(Tensor x, Tensor mins, Tensor maxs) { d.minMaxPerChannel(x, mins, maxs); }
    @Override public void close() { d.close(); }
}
