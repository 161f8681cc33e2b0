package org.edgeq.backend.cpu;

import jdk.incubator.vector.FloatVector;
import org.edgeq.backend.Backend;
import org.edgeq.backend.ConvGeometry;
import org.edgeq.backend.OpChecks;
import org.edgeq.backend.PoolGeometry;
import org.edgeq.quant.core.RangeFold;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The pure-Java backend: host tensors in off-heap memory, Vector API kernels, work split over a fixed
 * {@link WorkerPool}. Every result is deterministic for a given input, whatever the thread count, which makes it
 * the reference the other backends are tested against.
 */
public final class CpuBackend implements Backend {
    private final WorkerPool pool;
    private final CpuGemm gemm;
    private final CpuElementwise elementwise;
    private final CpuConvolution convolution;
    private final CpuPooling pooling;
    private final CpuBatchNorm batchNorm;
    private final CpuLosses losses;
    private final CpuQuantization quantization;

    public CpuBackend(int threads) {
        this.pool = new WorkerPool(threads);
        this.gemm = new CpuGemm(pool);
        this.elementwise = new CpuElementwise(pool);
        this.convolution = new CpuConvolution(pool);
        this.pooling = new CpuPooling(pool);
        this.batchNorm = new CpuBatchNorm(pool);
        this.losses = new CpuLosses(pool, elementwise);
        this.quantization = new CpuQuantization(pool);
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String description() {
        return "CPU (Java " + Runtime.version().feature() + ", " + FloatVector.SPECIES_PREFERRED.vectorBitSize()
                + "-bit SIMD, " + pool.threads() + " thread" + (pool.threads() == 1 ? "" : "s") + ")";
    }

    public int threads() {
        return pool.threads();
    }

    // ---- argument checks ----

    private static MemorySegment f32(String op, String arg, Tensor t) {
        OpChecks.f32(op, arg, t);
        OpChecks.host(op, arg, t);
        return t.segment();
    }

    private static MemorySegment i32(String op, String arg, Tensor t) {
        OpChecks.i32(op, arg, t);
        OpChecks.host(op, arg, t);
        return t.segment();
    }

    private static MemorySegment f32OrNull(String op, String arg, Tensor t) {
        return t == null ? null : f32(op, arg, t);
    }

    private static MemorySegment sameAs(String op, String arg, Tensor t, String refName, Tensor ref) {
        MemorySegment s = f32(op, arg, t);
        OpChecks.sameNumel(op, refName, ref, arg, t);
        return s;
    }

    private static int n(Tensor t) {
        return (int) t.numel();
    }

    // ---- memory ----

    @Override
    public Tensor allocate(TensorScope scope, DType dtype, Shape shape) {
        if (scope == null || dtype == null || shape == null) throw new IllegalArgumentException("allocate: null argument");
        return new Tensor(shape, dtype, scope.allocateHost(shape.numel() * dtype.byteSize()), true);
    }

    @Override
    public void upload(float[] src, Tensor dst) {
        f32("upload", "dst", dst);
        if (src.length != dst.numel()) {
            throw new IllegalArgumentException("upload: " + src.length + " values for dst " + dst.shape());
        }
        dst.copyFrom(src);
    }

    @Override
    public void upload(int[] src, Tensor dst) {
        i32("upload", "dst", dst);
        if (src.length != dst.numel()) {
            throw new IllegalArgumentException("upload: " + src.length + " values for dst " + dst.shape());
        }
        dst.copyFrom(src);
    }

    @Override
    public void download(Tensor src, float[] dst) {
        MemorySegment s = f32("download", "src", src);
        if (dst.length != src.numel()) {
            throw new IllegalArgumentException("download: array of " + dst.length + " for src " + src.shape());
        }
        MemorySegment.copy(s, CpuElementwise.F, 0, dst, 0, dst.length);
    }

    @Override
    public void download(Tensor src, int[] dst) {
        MemorySegment s = i32("download", "src", src);
        if (dst.length != src.numel()) {
            throw new IllegalArgumentException("download: array of " + dst.length + " for src " + src.shape());
        }
        MemorySegment.copy(s, ValueLayout.JAVA_INT_UNALIGNED, 0, dst, 0, dst.length);
    }

    // ---- dense linear algebra ----

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        String op = "gemm";
        MemorySegment as = f32(op, "a", a), bs = f32(op, "b", b), cs = f32(op, "c", c);
        OpChecks.GemmDims dims = OpChecks.gemm(op, transA, transB, a, b, c);
        int m = dims.m(), nn = dims.n(), k = dims.k();
        if (m == 0 || nn == 0) return;
        gemm.sgemm(transA, transB, m, nn, k, alpha, as, 0, a.dim(1), bs, 0, b.dim(1), beta, cs, 0, nn);
    }

    // ---- elementwise and reductions ----

    @Override
    public void fill(Tensor x, float value) {
        elementwise.fill(f32("fill", "x", x), n(x), value);
    }

    @Override
    public void copy(Tensor x, Tensor y) {
        MemorySegment xs = f32("copy", "x", x), ys = sameAs("copy", "y", y, "x", x);
        elementwise.copy(xs, ys, n(x));
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        MemorySegment xs = f32("axpy", "x", x), ys = sameAs("axpy", "y", y, "x", x);
        elementwise.axpy(alpha, xs, ys, n(x));
    }

    @Override
    public void scale(Tensor x, float alpha) {
        elementwise.scale(f32("scale", "x", x), n(x), alpha);
    }

    @Override
    public void addRowVector(Tensor x, Tensor bias) {
        MemorySegment xs = f32("addRowVector", "x", x), bs = f32("addRowVector", "bias", bias);
        OpChecks.rank("addRowVector", "x", x, 2);
        OpChecks.numel("addRowVector", "bias", bias, x.dim(1));
        elementwise.addRowVector(xs, x.dim(0), x.dim(1), bs);
    }

    @Override
    public void sumRows(Tensor x, Tensor out, float beta) {
        MemorySegment xs = f32("sumRows", "x", x), os = f32("sumRows", "out", out);
        OpChecks.rank("sumRows", "x", x, 2);
        OpChecks.numel("sumRows", "out", out, x.dim(1));
        elementwise.sumRows(xs, x.dim(0), x.dim(1), os, beta);
    }

    @Override
    public void relu(Tensor x, Tensor y) {
        MemorySegment xs = f32("relu", "x", x), ys = sameAs("relu", "y", y, "x", x);
        elementwise.relu(xs, ys, n(x));
    }

    @Override
    public void reluBackward(Tensor y, Tensor dy, Tensor dx) {
        String op = "reluBackward";
        MemorySegment ys = f32(op, "y", y), dys = sameAs(op, "dy", dy, "y", y), dxs = sameAs(op, "dx", dx, "y", y);
        elementwise.reluBackward(ys, dys, dxs, n(y));
    }

    @Override
    public double sum(Tensor x) {
        return elementwise.sum(f32("sum", "x", x), n(x));
    }

    @Override
    public double sumOfSquares(Tensor x) {
        return elementwise.sumOfSquares(f32("sumOfSquares", "x", x), n(x));
    }

    @Override
    public boolean allFinite(Tensor x) {
        return elementwise.allFinite(f32("allFinite", "x", x), n(x));
    }

    // ---- convolution ----

    private MemorySegment workspace(String op, Tensor workspace, ConvGeometry g) {
        MemorySegment ws = f32(op, "workspace", workspace);
        OpChecks.convWorkspace(op, workspace, conv2dWorkspaceFloats(g), g);
        return ws;
    }

    @Override
    public void conv2d(Tensor x, Tensor weight, Tensor bias, Tensor y, ConvGeometry g, Tensor workspace) {
        String op = "conv2d";
        MemorySegment xs = f32(op, "x", x), ws = f32(op, "weight", weight), ys = f32(op, "y", y);
        MemorySegment bs = f32OrNull(op, "bias", bias);
        OpChecks.conv(op, x, weight, y, "y", g);
        if (bias != null) OpChecks.numel(op, "bias", bias, g.outChannels());
        MemorySegment scratch = workspace(op, workspace, g);
        OpChecks.noAlias(op, "x", x, "y", y);
        convolution.forward(xs, ws, bs, ys, g, scratch);
    }

    @Override
    public void conv2dBackward(Tensor x, Tensor weight, Tensor dy, Tensor dx, Tensor dWeight, Tensor dBias,
                               ConvGeometry g, Tensor workspace) {
        String op = "conv2dBackward";
        MemorySegment xs = f32(op, "x", x), ws = f32(op, "weight", weight), dys = f32(op, "dy", dy);
        MemorySegment dxs = f32OrNull(op, "dx", dx), dws = f32(op, "dWeight", dWeight), dbs = f32OrNull(op, "dBias", dBias);
        OpChecks.conv(op, x, weight, dy, "dy", g);
        if (dx != null) OpChecks.shape(op, "dx", dx, x.shape());
        OpChecks.shape(op, "dWeight", dWeight, weight.shape());
        if (dBias != null) OpChecks.numel(op, "dBias", dBias, g.outChannels());
        MemorySegment scratch = workspace(op, workspace, g);
        convolution.backward(xs, ws, dys, dxs, dws, dbs, g, scratch);
    }

    @Override
    public long conv2dWorkspaceFloats(ConvGeometry g) {
        return convolution.workspaceFloats(g);
    }

    // ---- pooling ----

    @Override
    public void maxPool2d(Tensor x, Tensor y, Tensor argmax, PoolGeometry g) {
        String op = "maxPool2d";
        MemorySegment xs = f32(op, "x", x), ys = f32(op, "y", y), as = i32(op, "argmax", argmax);
        OpChecks.maxPool2d(op, x, y, argmax, g);
        pooling.maxPool(xs, ys, as, g);
    }

    @Override
    public void maxPool2dBackward(Tensor dy, Tensor argmax, Tensor dx, PoolGeometry g) {
        String op = "maxPool2dBackward";
        MemorySegment dys = f32(op, "dy", dy), as = i32(op, "argmax", argmax), dxs = f32(op, "dx", dx);
        OpChecks.maxPool2dBackward(op, dy, argmax, dx, g);
        pooling.maxPoolBackward(dys, as, dxs, g);
    }

    // ---- normalisation ----

    @Override
    public void batchNorm(Tensor x, Tensor y, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                          Tensor saveMean, Tensor saveInvStd, boolean training, float momentum, float eps) {
        String op = "batchNorm";
        MemorySegment xs = f32(op, "x", x), ys = f32(op, "y", y);
        int[] d = OpChecks.batchNormDims(op, x);
        OpChecks.shape(op, "y", y, x.shape());
        MemorySegment gs = channels(op, "gamma", gamma, d[1]), bs = channels(op, "beta", beta, d[1]);
        MemorySegment rm = channels(op, "runningMean", runningMean, d[1]), rv = channels(op, "runningVar", runningVar, d[1]);
        MemorySegment sm = null, si = null;
        if (training) {
            sm = channels(op, "saveMean", saveMean, d[1]);
            si = channels(op, "saveInvStd", saveInvStd, d[1]);
            if ((long) d[0] * d[2] == 0) throw new IllegalArgumentException(op + ": training needs a non-empty batch, got x " + x.shape());
        }
        if (!(eps > 0)) throw new IllegalArgumentException(op + ": eps must be > 0, got " + eps);
        batchNorm.forward(xs, ys, d[0], d[1], d[2], gs, bs, rm, rv, sm, si, training, momentum, eps);
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                                  Tensor dx, Tensor dGamma, Tensor dBeta) {
        String op = "batchNormBackward";
        MemorySegment xs = f32(op, "x", x), dys = f32(op, "dy", dy), dxs = f32OrNull(op, "dx", dx);
        int[] d = OpChecks.batchNormDims(op, x);
        OpChecks.shape(op, "dy", dy, x.shape());
        if (dx != null) OpChecks.shape(op, "dx", dx, x.shape());
        MemorySegment gs = channels(op, "gamma", gamma, d[1]), sm = channels(op, "saveMean", saveMean, d[1]);
        MemorySegment si = channels(op, "saveInvStd", saveInvStd, d[1]);
        MemorySegment dg = channels(op, "dGamma", dGamma, d[1]), db = channels(op, "dBeta", dBeta, d[1]);
        batchNorm.backward(xs, dys, d[0], d[1], d[2], gs, sm, si, dxs, dg, db);
    }

    private static MemorySegment channels(String op, String arg, Tensor t, int c) {
        MemorySegment s = f32(op, arg, t);
        OpChecks.numel(op, arg, t, c);
        return s;
    }

    // ---- dropout ----

    @Override
    public void dropout(Tensor x, Tensor y, Tensor mask, float p, long seed, long offset) {
        String op = "dropout";
        MemorySegment xs = f32(op, "x", x), ys = sameAs(op, "y", y, "x", x), ms = sameAs(op, "mask", mask, "x", x);
        if (!(p >= 0f && p <= 1f)) throw new IllegalArgumentException(op + ": p must be in [0, 1], got " + p);
        if (offset < 0) throw new IllegalArgumentException(op + ": offset must be >= 0, got " + offset);
        elementwise.dropout(xs, ys, ms, n(x), p, seed, offset);
    }

    @Override
    public void dropoutBackward(Tensor dy, Tensor mask, Tensor dx) {
        String op = "dropoutBackward";
        MemorySegment dys = f32(op, "dy", dy), ms = sameAs(op, "mask", mask, "dy", dy), dxs = sameAs(op, "dx", dx, "dy", dy);
        elementwise.multiply(dys, ms, dxs, n(dy));
    }

    // ---- losses ----

    @Override
    public double softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits) {
        String op = "softmaxCrossEntropy";
        MemorySegment ls = f32(op, "logits", logits), lab = i32(op, "labels", labels);
        OpChecks.rank(op, "logits", logits, 2);
        OpChecks.numel(op, "labels", labels, logits.dim(0));
        if (logits.dim(1) < 1) throw new IllegalArgumentException(op + ": logits " + logits.shape() + " has no classes");
        MemorySegment ds = f32OrNull(op, "dLogits", dLogits);
        if (dLogits != null) OpChecks.shape(op, "dLogits", dLogits, logits.shape());
        return losses.softmaxCrossEntropy(ls, lab, ds, logits.dim(0), logits.dim(1));
    }

    @Override
    public void argmaxRows(Tensor x, Tensor out) {
        String op = "argmaxRows";
        MemorySegment xs = f32(op, "x", x), os = i32(op, "out", out);
        OpChecks.rank(op, "x", x, 2);
        OpChecks.numel(op, "out", out, x.dim(0));
        if (x.dim(1) < 1 && x.dim(0) > 0) throw new IllegalArgumentException(op + ": x " + x.shape() + " has no columns");
        losses.argmaxRows(xs, os, x.dim(0), x.dim(1));
    }

    @Override
    public double meanSquaredError(Tensor pred, Tensor target, Tensor dPred) {
        String op = "meanSquaredError";
        MemorySegment ps = f32(op, "pred", pred), ts = f32(op, "target", target);
        OpChecks.shape(op, "target", target, pred.shape());
        MemorySegment ds = f32OrNull(op, "dPred", dPred);
        if (dPred != null) OpChecks.shape(op, "dPred", dPred, pred.shape());
        return losses.meanSquaredError(ps, ts, ds, n(pred));
    }

    // ---- optimisers ----

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float learningRate, float beta1, float beta2,
                         float epsilon, float weightDecay, boolean decoupledWeightDecay, int step) {
        String op = "adamStep";
        MemorySegment ps = f32(op, "param", param), gs = sameAs(op, "grad", grad, "param", param);
        MemorySegment ms = sameAs(op, "m", m, "param", param), vs = sameAs(op, "v", v, "param", param);
        if (step < 1) throw new IllegalArgumentException(op + ": step counts from 1, got " + step);
        elementwise.adam(ps, gs, ms, vs, n(param), learningRate, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay, step);
    }

    @Override
    public void sgdStep(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum,
                        float weightDecay, boolean nesterov) {
        String op = "sgdStep";
        MemorySegment ps = f32(op, "param", param), gs = sameAs(op, "grad", grad, "param", param);
        MemorySegment vs = sameAs(op, "velocity", velocity, "param", param);
        elementwise.sgd(ps, gs, vs, n(param), learningRate, momentum, weightDecay, nesterov);
    }

    // ---- pruning and distillation ----

    @Override
    public void applyMask(Tensor x, Tensor mask) {
        String op = "applyMask";
        MemorySegment xs = f32(op, "x", x), ms = f32(op, "mask", mask);
        OpChecks.shape(op, "mask", mask, x.shape());
        elementwise.multiply(xs, ms, xs, n(x));
    }

    @Override
    public double softTargetKlDivergence(Tensor logits, Tensor teacherLogits, float temperature, Tensor dLogits) {
        String op = "softTargetKlDivergence";
        MemorySegment ls = f32(op, "logits", logits), ts = f32(op, "teacherLogits", teacherLogits);
        OpChecks.rank(op, "logits", logits, 2);
        OpChecks.shape(op, "teacherLogits", teacherLogits, logits.shape());
        if (!(temperature > 0f) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException(op + ": temperature must be positive and finite, got " + temperature);
        }
        MemorySegment ds = f32OrNull(op, "dLogits", dLogits);
        if (dLogits != null) OpChecks.shape(op, "dLogits", dLogits, logits.shape());
        return losses.softTargetKlDivergence(ls, ts, ds, logits.dim(0), logits.dim(1), temperature);
    }

    // ---- quantization ----

    /** Channels along axis 0 of x, after checking scales (F32) and zero points (I32, each in range, scales > 0). */
    private static int checkChannels(String op, Tensor x, Tensor scales, Tensor zeroPoints, int qmin, int qmax) {
        f32(op, "scales", scales);
        i32(op, "zeroPoints", zeroPoints);
        int c = OpChecks.quantChannels(op, x, scales, zeroPoints, qmin, qmax);
        for (int i = 0; i < c; i++) {
            OpChecks.quantChannelValue(op, i, scales.segment().getAtIndex(CpuElementwise.F, i),
                    zeroPoints.segment().getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i), qmin, qmax);
        }
        return c;
    }

    private static int inner(Tensor x, int channels) {
        return channels == 0 ? 0 : (int) (x.numel() / channels);
    }

    /** The one scale of a per-tensor op (F32, one element), checked finite and positive. */
    private static float scalarScale(String op, Tensor scale) {
        OpChecks.numel(op, "scale", scale, 1);
        float s = f32(op, "scale", scale).getAtIndex(CpuElementwise.F, 0);
        OpChecks.quantScale(op, s);
        return s;
    }

    /** The one zero point of a per-tensor op (I32, one element), checked inside the valid grid [qmin, qmax]. */
    private static int scalarZeroPoint(String op, Tensor zeroPoint, int qmin, int qmax) {
        OpChecks.numel(op, "zeroPoint", zeroPoint, 1);
        int z = i32(op, "zeroPoint", zeroPoint).getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, 0);
        OpChecks.quantGrid(op, z, qmin, qmax);
        return z;
    }

    @Override
    public void fakeQuantize(Tensor x, Tensor y, Tensor scale, Tensor zeroPoint, int qmin, int qmax) {
        String op = "fakeQuantize";
        MemorySegment xs = f32(op, "x", x), ys = sameAs(op, "y", y, "x", x);
        float s = scalarScale(op, scale);
        int z = scalarZeroPoint(op, zeroPoint, qmin, qmax);
        quantization.fakeQuantize(xs, ys, n(x), s, z, qmin, qmax);
    }

    @Override
    public void fakeQuantizePerChannel(Tensor x, Tensor y, Tensor scales, Tensor zeroPoints, int qmin, int qmax) {
        String op = "fakeQuantizePerChannel";
        MemorySegment xs = f32(op, "x", x), ys = sameAs(op, "y", y, "x", x);
        int c = checkChannels(op, x, scales, zeroPoints, qmin, qmax);
        quantization.fakeQuantizePerChannel(xs, ys, c, inner(x, c), scales.segment(), zeroPoints.segment(), qmin, qmax);
    }

    @Override
    public void fakeQuantizeBackward(Tensor x, Tensor dy, Tensor dx, Tensor scale, Tensor zeroPoint, int qmin, int qmax) {
        String op = "fakeQuantizeBackward";
        MemorySegment xs = f32(op, "x", x), dys = sameAs(op, "dy", dy, "x", x), dxs = sameAs(op, "dx", dx, "x", x);
        float s = scalarScale(op, scale);
        int z = scalarZeroPoint(op, zeroPoint, qmin, qmax);
        quantization.fakeQuantizeBackward(xs, dys, dxs, n(x), s, z, qmin, qmax);
    }

    @Override
    public void fakeQuantizePerChannelBackward(Tensor x, Tensor dy, Tensor dx, Tensor scales, Tensor zeroPoints, int qmin, int qmax) {
        String op = "fakeQuantizePerChannelBackward";
        MemorySegment xs = f32(op, "x", x), dys = sameAs(op, "dy", dy, "x", x), dxs = sameAs(op, "dx", dx, "x", x);
        int c = checkChannels(op, x, scales, zeroPoints, qmin, qmax);
        quantization.fakeQuantizePerChannelBackward(xs, dys, dxs, c, inner(x, c), scales.segment(), zeroPoints.segment(), qmin, qmax);
    }

    @Override
    public void fakeQuantizeLsqBackward(Tensor x, Tensor dy, Tensor dx, Tensor scale, Tensor zeroPoint, int qmin, int qmax,
                                        float gradScale, Tensor dScale) {
        String op = "fakeQuantizeLsqBackward";
        MemorySegment xs = f32(op, "x", x), dys = sameAs(op, "dy", dy, "x", x);
        MemorySegment dxs = dx == null ? null : sameAs(op, "dx", dx, "x", x);
        float s = scalarScale(op, scale);
        int z = scalarZeroPoint(op, zeroPoint, qmin, qmax);
        MemorySegment ds = f32(op, "dScale", dScale);
        OpChecks.numel(op, "dScale", dScale, 1);
        ds.setAtIndex(CpuElementwise.F, 0, (float) (gradScale * quantization.lsqBackward(xs, dys, dxs, n(x), s, z, qmin, qmax)));
    }

    @Override
    public void fakeQuantizePerChannelLsqBackward(Tensor x, Tensor dy, Tensor dx, Tensor scales, Tensor zeroPoints,
                                                  int qmin, int qmax, float gradScale, Tensor dScales) {
        String op = "fakeQuantizePerChannelLsqBackward";
        MemorySegment xs = f32(op, "x", x), dys = sameAs(op, "dy", dy, "x", x);
        MemorySegment dxs = dx == null ? null : sameAs(op, "dx", dx, "x", x);
        int c = checkChannels(op, x, scales, zeroPoints, qmin, qmax);
        MemorySegment ds = f32(op, "dScales", dScales);
        OpChecks.numel(op, "dScales", dScales, c);
        quantization.lsqBackwardPerChannel(xs, dys, dxs, c, inner(x, c), scales.segment(), zeroPoints.segment(), qmin, qmax,
                gradScale, ds);
    }

    @Override
    public void minMax(Tensor x, float[] out) {
        MemorySegment xs = f32("minMax", "x", x);
        if (out == null || out.length < 2) throw new IllegalArgumentException("minMax: out must have at least 2 entries");
        quantization.minMax(xs, n(x), out);
    }

    @Override
    public void minMaxPerChannel(Tensor x, Tensor mins, Tensor maxs) {
        String op = "minMaxPerChannel";
        MemorySegment xs = f32(op, "x", x), mn = f32(op, "mins", mins), mx = f32(op, "maxs", maxs);
        if (x.shape().rank() < 1) throw new IllegalArgumentException(op + ": x must have a channel axis, got " + x.shape());
        int c = x.dim(0);
        OpChecks.numel(op, "mins", mins, c);
        OpChecks.numel(op, "maxs", maxs, c);
        quantization.minMaxPerChannel(xs, c, inner(x, c), mn, mx);
    }

    @Override
    public void foldExtremes(Tensor x, Tensor runningMins, Tensor runningMaxs, RangeFold fold, float momentum, boolean first) {
        String op = "foldExtremes";
        MemorySegment xs = f32(op, "x", x), mn = f32(op, "runningMins", runningMins), mx = f32(op, "runningMaxs", runningMaxs);
        if (fold == null) throw new IllegalArgumentException(op + ": fold is null");
        int c = OpChecks.foldChannels(op, x, runningMins, runningMaxs);
        quantization.foldExtremes(xs, n(x), c, mn, mx, fold, momentum, first);
    }

    @Override
    public void observeAndFakeQuantize(Tensor x, Tensor y, Tensor runningMins, Tensor runningMaxs, RangeFold fold,
                                       float momentum, boolean first, Tensor scales, Tensor zeroPoints, int qmin,
                                       int qmax, boolean symmetric) {
        if (runningMins.numel() == 1) { // the whole tensor's extremes come first: nothing to fuse
            Backend.super.observeAndFakeQuantize(x, y, runningMins, runningMaxs, fold, momentum, first, scales,
                    zeroPoints, qmin, qmax, symmetric);
            return;
        }
        String op = "observeAndFakeQuantize";
        MemorySegment xs = f32(op, "x", x), ys = sameAs(op, "y", y, "x", x);
        MemorySegment mn = f32(op, "runningMins", runningMins), mx = f32(op, "runningMaxs", runningMaxs);
        if (fold == null) throw new IllegalArgumentException(op + ": fold is null");
        int c = OpChecks.foldChannels(op, x, runningMins, runningMaxs);
        OpChecks.affineParamsChannels(op, runningMins, runningMaxs, scales, zeroPoints, qmin, qmax);
        MemorySegment ss = f32(op, "scales", scales), zs = i32(op, "zeroPoints", zeroPoints);
        quantization.observeAndQuantizePerChannel(xs, ys, c, inner(x, c), mn, mx, fold, momentum, first, ss, zs, qmin,
                qmax, symmetric);
    }

    @Override
    public void affineParams(Tensor mins, Tensor maxs, Tensor scales, Tensor zeroPoints, int qmin, int qmax, boolean symmetric) {
        String op = "affineParams";
        MemorySegment mn = f32(op, "mins", mins), mx = f32(op, "maxs", maxs), ss = f32(op, "scales", scales);
        MemorySegment zs = i32(op, "zeroPoints", zeroPoints);
        int c = OpChecks.affineParamsChannels(op, mins, maxs, scales, zeroPoints, qmin, qmax);
        for (int i = 0; i < c; i++) CpuQuantization.affineChannel(mn, mx, ss, zs, i, qmin, qmax, symmetric);
    }

    @Override
    public void clampScales(Tensor scales, float minScale) {
        MemorySegment ss = f32("clampScales", "scales", scales);
        for (long i = 0, n = scales.numel(); i < n; i++) {
            if (!(ss.getAtIndex(CpuElementwise.F, i) >= minScale)) ss.setAtIndex(CpuElementwise.F, i, minScale);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
