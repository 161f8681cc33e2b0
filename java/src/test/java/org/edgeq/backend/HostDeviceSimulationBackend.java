package org.edgeq.backend;

import java.lang.foreign.MemorySegment;
import java.util.TreeMap;

import org.edgeq.backend.cpu.CpuBackend;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

/**
 * A test-only backend that computes exactly as {@link CpuBackend} but hands out device tensors ({@link Tensor#isHost()}
 * false, so their element accessors throw) and accepts only its own device tensors in its ops, as a real device
 * backend does. Running training, QAT, pruning, distillation, evaluation and calibration through it finds every
 * place above the Backend SPI that reads device memory through host accessors or hands a host tensor to an op:
 * the places that would break on the CUDA backend. Results must equal the CPU run bit for bit.
 */
public final class HostDeviceSimulationBackend implements Backend {
    private final CpuBackend cpu;

    public HostDeviceSimulationBackend(int threads) {
        this.cpu = new CpuBackend(threads);
    }

    @Override public String name() { return "host-device-simulation"; }
    @Override public String description() { return "test: the CPU backend behind device-only tensors"; }

    /** A device allocation: the decoy segment its tensors carry and the memory that really holds the values. */
    private record Region(long decoyAddress, MemorySegment real) {
    }

    /** Regions by decoy address; a region leaves when its scope closes (the address may then be reused). */
    private final TreeMap<Long, Region> regions = new TreeMap<>();

    /**
     * Device memory here is host memory that only this backend dereferences. The tensor carries a decoy segment
     * filled with 0xFF bytes (NaN as floats, -1 as ints) and the values live elsewhere, so code that bypasses the
     * accessors and reads or writes {@link Tensor#segment()} directly, which would fault on a GPU, reads garbage or
     * writes nowhere here, and the bit-for-bit comparisons catch it.
     */
    @Override
    public Tensor allocate(TensorScope scope, DType dtype, Shape shape) {
        if (scope == null || dtype == null || shape == null) throw new IllegalArgumentException("allocate: null argument");
        long bytes = shape.numel() * dtype.byteSize();
        MemorySegment decoy = scope.allocateHost(bytes);
        decoy.fill((byte) 0xFF);
        MemorySegment real = scope.allocateHost(bytes);
        long address = decoy.address();
        synchronized (regions) {
            regions.put(address, new Region(address, real));
        }
        scope.onClose(() -> {
            synchronized (regions) {
                regions.remove(address);
            }
        });
        return new Tensor(shape, dtype, decoy, false);
    }

    /** The host view the CPU backend computes on; a host tensor passed to an op is a bug a device backend would hit. */
    private Tensor dev(String op, Tensor t) {
        if (t == null) return null;
        if (t.isHost()) {
            throw new IllegalArgumentException(op + ": " + t + " is a host tensor; a device backend needs it uploaded first");
        }
        long address = t.segment().address();
        Region r;
        synchronized (regions) {
            var e = regions.floorEntry(address);
            r = e == null ? null : e.getValue();
        }
        long offset = r == null ? -1 : address - r.decoyAddress();
        if (r == null || offset + t.byteSize() > r.real().byteSize()) {
            throw new IllegalStateException(op + ": " + t + " is not live memory of this backend (freed, or another backend's)");
        }
        return new Tensor(t.shape(), t.dtype(), r.real().asSlice(offset, t.byteSize()), true);
    }

    @Override public void upload(float[] src, Tensor dst) { cpu.upload(src, dev("upload", dst)); }
    @Override public void upload(int[] src, Tensor dst) { cpu.upload(src, dev("upload", dst)); }
    @Override public void download(Tensor src, float[] dst) { cpu.download(dev("download", src), dst); }

    /** What a device backend offers beside the SPI for I32 results (argmax, pooling indices). */
    public int[] downloadInts(Tensor src) {
        return dev("downloadInts", src).toIntArray();
    }

    @Override
    public void gemm(boolean ta, boolean tb, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        cpu.gemm(ta, tb, alpha, dev("gemm", a), dev("gemm", b), beta, dev("gemm", c));
    }

    @Override public void fill(Tensor x, float v) { cpu.fill(dev("fill", x), v); }
    @Override public void copy(Tensor x, Tensor y) { cpu.copy(dev("copy", x), dev("copy", y)); }
    @Override public void axpy(float alpha, Tensor x, Tensor y) { cpu.axpy(alpha, dev("axpy", x), dev("axpy", y)); }
    @Override public void scale(Tensor x, float alpha) { cpu.scale(dev("scale", x), alpha); }
    @Override public void addRowVector(Tensor x, Tensor bias) { cpu.addRowVector(dev("addRowVector", x), dev("addRowVector", bias)); }
    @Override public void sumRows(Tensor x, Tensor out, float beta) { cpu.sumRows(dev("sumRows", x), dev("sumRows", out), beta); }
    @Override public void relu(Tensor x, Tensor y) { cpu.relu(dev("relu", x), dev("relu", y)); }
    @Override public void reluBackward(Tensor y, Tensor dy, Tensor dx) { cpu.reluBackward(dev("reluBackward", y), dev("reluBackward", dy), dev("reluBackward", dx)); }
    @Override public double sum(Tensor x) { return cpu.sum(dev("sum", x)); }
    @Override public double sumOfSquares(Tensor x) { return cpu.sumOfSquares(dev("sumOfSquares", x)); }
    @Override public boolean allFinite(Tensor x) { return cpu.allFinite(dev("allFinite", x)); }

    @Override
    public void conv2d(Tensor x, Tensor w, Tensor b, Tensor y, ConvGeometry g, Tensor ws) {
        cpu.conv2d(dev("conv2d", x), dev("conv2d", w), dev("conv2d", b), dev("conv2d", y), g, dev("conv2d", ws));
    }

    @Override
    public void conv2dBackward(Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db, ConvGeometry g, Tensor ws) {
        String op = "conv2dBackward";
        cpu.conv2dBackward(dev(op, x), dev(op, w), dev(op, dy), dev(op, dx), dev(op, dw), dev(op, db), g, dev(op, ws));
    }

    @Override public long conv2dWorkspaceFloats(ConvGeometry g) { return cpu.conv2dWorkspaceFloats(g); }

    @Override
    public void maxPool2d(Tensor x, Tensor y, Tensor argmax, PoolGeometry g) {
        cpu.maxPool2d(dev("maxPool2d", x), dev("maxPool2d", y), dev("maxPool2d", argmax), g);
    }

    @Override
    public void maxPool2dBackward(Tensor dy, Tensor argmax, Tensor dx, PoolGeometry g) {
        cpu.maxPool2dBackward(dev("maxPool2dBackward", dy), dev("maxPool2dBackward", argmax), dev("maxPool2dBackward", dx), g);
    }

    @Override
    public void batchNorm(Tensor x, Tensor y, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                          Tensor saveMean, Tensor saveInvStd, boolean training, float momentum, float eps) {
        String op = "batchNorm";
        cpu.batchNorm(dev(op, x), dev(op, y), dev(op, gamma), dev(op, beta), dev(op, runningMean), dev(op, runningVar),
                dev(op, saveMean), dev(op, saveInvStd), training, momentum, eps);
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                                  Tensor dx, Tensor dGamma, Tensor dBeta) {
        String op = "batchNormBackward";
        cpu.batchNormBackward(dev(op, x), dev(op, dy), dev(op, gamma), dev(op, saveMean), dev(op, saveInvStd),
                dev(op, dx), dev(op, dGamma), dev(op, dBeta));
    }

    @Override
    public void dropout(Tensor x, Tensor y, Tensor mask, float p, long seed, long offset) {
        cpu.dropout(dev("dropout", x), dev("dropout", y), dev("dropout", mask), p, seed, offset);
    }

    @Override
    public void dropoutBackward(Tensor dy, Tensor mask, Tensor dx) {
        cpu.dropoutBackward(dev("dropoutBackward", dy), dev("dropoutBackward", mask), dev("dropoutBackward", dx));
    }

    @Override
    public double softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits) {
        String op = "softmaxCrossEntropy";
        return cpu.softmaxCrossEntropy(dev(op, logits), dev(op, labels), dev(op, dLogits));
    }

    @Override public void argmaxRows(Tensor x, Tensor out) { cpu.argmaxRows(dev("argmaxRows", x), dev("argmaxRows", out)); }

    @Override
    public double meanSquaredError(Tensor pred, Tensor target, Tensor dPred) {
        String op = "meanSquaredError";
        return cpu.meanSquaredError(dev(op, pred), dev(op, target), dev(op, dPred));
    }

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, AdamConfig config, int step) {
        cpu.adamStep(dev("adamStep", param), dev("adamStep", grad), dev("adamStep", m), dev("adamStep", v), config, step);
    }

    @Override
    public void sgdStep(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, float wd, boolean nesterov) {
        cpu.sgdStep(dev("sgdStep", param), dev("sgdStep", grad), dev("sgdStep", velocity), lr, momentum, wd, nesterov);
    }

    @Override public void applyMask(Tensor x, Tensor mask) { cpu.applyMask(dev("applyMask", x), dev("applyMask", mask)); }

    @Override
    public double softTargetKlDivergence(Tensor logits, Tensor teacherLogits, float temperature, Tensor dLogits) {
        String op = "softTargetKlDivergence";
        return cpu.softTargetKlDivergence(dev(op, logits), dev(op, teacherLogits), temperature, dev(op, dLogits));
    }

    @Override
    public void fakeQuantize(Tensor x, Tensor y, float s, int z, int qmin, int qmax) {
        cpu.fakeQuantize(dev("fakeQuantize", x), dev("fakeQuantize", y), s, z, qmin, qmax);
    }

    @Override
    public void fakeQuantizePerChannel(Tensor x, Tensor y, Tensor s, Tensor z, int qmin, int qmax) {
        String op = "fakeQuantizePerChannel";
        cpu.fakeQuantizePerChannel(dev(op, x), dev(op, y), dev(op, s), dev(op, z), qmin, qmax);
    }

    @Override
    public void fakeQuantizeBackward(Tensor x, Tensor dy, Tensor dx, float s, int z, int qmin, int qmax) {
        String op = "fakeQuantizeBackward";
        cpu.fakeQuantizeBackward(dev(op, x), dev(op, dy), dev(op, dx), s, z, qmin, qmax);
    }

    @Override
    public void fakeQuantizePerChannelBackward(Tensor x, Tensor dy, Tensor dx, Tensor s, Tensor z, int qmin, int qmax) {
        String op = "fakeQuantizePerChannelBackward";
        cpu.fakeQuantizePerChannelBackward(dev(op, x), dev(op, dy), dev(op, dx), dev(op, s), dev(op, z), qmin, qmax);
    }

    @Override
    public double fakeQuantizeLsqBackward(Tensor x, Tensor dy, Tensor dx, float s, int z, int qmin, int qmax, float g) {
        String op = "fakeQuantizeLsqBackward";
        return cpu.fakeQuantizeLsqBackward(dev(op, x), dev(op, dy), dev(op, dx), s, z, qmin, qmax, g);
    }

    @Override
    public void fakeQuantizePerChannelLsqBackward(Tensor x, Tensor dy, Tensor dx, Tensor s, Tensor z, int qmin, int qmax,
                                                  float g, Tensor ds) {
        String op = "fakeQuantizePerChannelLsqBackward";
        cpu.fakeQuantizePerChannelLsqBackward(dev(op, x), dev(op, dy), dev(op, dx), dev(op, s), dev(op, z), qmin, qmax, g, dev(op, ds));
    }

    @Override public void minMax(Tensor x, float[] out) { cpu.minMax(dev("minMax", x), out); }

    @Override
    public void minMaxPerChannel(Tensor x, Tensor mins, Tensor maxs) {
        cpu.minMaxPerChannel(dev("minMaxPerChannel", x), dev("minMaxPerChannel", mins), dev("minMaxPerChannel", maxs));
    }

    @Override public void close() { cpu.close(); }
}
