package org.edgeq.backend.cuda;

import org.edgeq.backend.Backend;
import org.edgeq.backend.ConvGeometry;
import org.edgeq.backend.OpChecks;
import org.edgeq.backend.PoolGeometry;
import org.edgeq.bindings.edgeq.EdgeqNative;
import org.edgeq.quant.core.RangeFold;
import org.edgeq.tensor.AllocationCounter;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.IdentityHashMap;
import java.util.Map;

import static org.edgeq.backend.cuda.DeviceChecks.f32;
import static org.edgeq.backend.cuda.DeviceChecks.f32OrNull;
import static org.edgeq.backend.cuda.DeviceChecks.i32;
import static org.edgeq.backend.cuda.DeviceChecks.sameAs;

/**
 * The Backend SPI on one NVIDIA GPU: device tensors in cudaMalloc'ed memory owned by TensorScopes, every operation
 * checked in Java (same rules and messages as the CPU backend, plus: tensors must be this backend's device tensors)
 * and then launched through libedgeq_cuda on one stream; f32 GEMM through our kernel or cuBLASLt
 * ({@link GemmEngine}). Operations that return a value (sums, losses, minMax) copy it back and so synchronize.
 *
 * <p>Not thread-safe (one stream, one result buffer). Written and unit-tested without a GPU: no operation has run on
 * a device yet. A device fault surfaces as a {@link CudaException} from the call that observed it (launches are
 * asynchronous; {@code -Dedgeq.cuda.sync=true} synchronizes after each launch so the faulting operation is named);
 * after a sticky fault every call throws {@code IllegalStateException("cuda backend must be recreated: ...")}.
 */
public final class CudaBackend implements Backend {
    /** Bytes of the device buffer scalar results land in: a double at 0, an int at 8, two floats at 16. */
    private static final long RESULT_BYTES = 64;

    private final DeviceCalls device;
    private final CudaGemms gemms;
    private final CudaConvolution convolution;
    private final long results;
    private final Map<TensorScope, Arena> scopeArenas = new IdentityHashMap<>();
    private boolean closed;

    /** Opens device {@code device} with the AUTO GEMM engine. */
    public CudaBackend(int device) {
        this(device, GemmEngine.AUTO);
    }

    public CudaBackend(int device, GemmEngine engine) {
        this(CudaContext.open(device), engine);
    }

    /** A backend over any {@link DeviceCalls}; tests pass a recorder. */
    CudaBackend(DeviceCalls device, GemmEngine engine) {
        this.device = device;
        try {
            this.gemms = new CudaGemms(device, engine);
            this.convolution = new CudaConvolution(new DeviceConvolutionSteps(device, gemms));
            this.results = device.allocate("open", RESULT_BYTES);
        } catch (RuntimeException e) {
            device.close();
            throw e;
        }
    }

    public static CudaBackend open(int device) {
        return new CudaBackend(device);
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String description() {
        CublasLtMatmul lt = device.cublasLt();
        return "CUDA " + device.info().describe() + ", GEMM " + gemms.policy().engine()
                + (lt == null ? " (cuBLASLt not loaded: our kernel)" : "");
    }

    /** The GEMM engine Backend.gemm uses. */
    public GemmEngine gemmEngine() {
        return gemms.policy().engine();
    }

    /** Waits until every operation issued so far has finished; reports a kernel fault of any of them. */
    public void synchronize() {
        device.synchronize("synchronize");
    }

    DeviceCalls device() {
        return device;
    }

    // ---- memory ----

    @Override
    public Tensor allocate(TensorScope scope, DType dtype, Shape shape) {
        if (scope == null || dtype == null || shape == null) throw new IllegalArgumentException("allocate: null argument");
        if (!scope.isOpen()) throw new IllegalStateException("allocate: tensor scope already closed");
        long bytes = shape.numel() * dtype.byteSize();
        Arena arena = arenaOf(scope);
        long address = device.allocate("allocate", bytes);
        AllocationCounter.DEVICE.allocated(bytes);
        scope.onClose(() -> {
            AllocationCounter.DEVICE.freed(bytes);
            device.free(address);
        });
        // The segment lives in an arena the scope closes, so OpChecks refuses a tensor whose scope is closed.
        MemorySegment segment = MemorySegment.ofAddress(address).reinterpret(Math.max(bytes, 1), arena, null);
        return new Tensor(shape, dtype, segment, false);
    }

    private Arena arenaOf(TensorScope scope) {
        synchronized (scopeArenas) {
            Arena arena = scopeArenas.get(scope);
            if (arena == null) {
                Arena created = Arena.ofShared();
                scope.onClose(() -> {
                    synchronized (scopeArenas) {
                        scopeArenas.remove(scope);
                    }
                    created.close();
                });
                scopeArenas.put(scope, created);
                arena = created;
            }
            return arena;
        }
    }

    @Override
    public void upload(float[] src, Tensor dst) {
        f32("upload", "dst", dst);
        if (src.length != dst.numel()) throw new IllegalArgumentException("upload: " + src.length + " values for dst " + dst.shape());
        toDevice("upload", MemorySegment.ofArray(src), dst);
    }

    @Override
    public void upload(int[] src, Tensor dst) {
        i32("upload", "dst", dst);
        if (src.length != dst.numel()) throw new IllegalArgumentException("upload: " + src.length + " values for dst " + dst.shape());
        toDevice("upload", MemorySegment.ofArray(src), dst);
    }

    @Override
    public void download(Tensor src, float[] dst) {
        f32("download", "src", src);
        if (dst.length != src.numel()) throw new IllegalArgumentException("download: array of " + dst.length + " for src " + src.shape());
        toHost("download", src, MemorySegment.ofArray(dst));
    }

    /** Copies an I32 device tensor into a host array of length src.numel() (labels, argmax, int8 GEMM results). */
    @Override
    public void download(Tensor src, int[] dst) {
        i32("download", "src", src);
        if (dst.length != src.numel()) throw new IllegalArgumentException("download: array of " + dst.length + " for src " + src.shape());
        toHost("download", src, MemorySegment.ofArray(dst));
    }

    /** Copies raw bytes (I8 codes, F16 bits) into a device tensor of that byte size. */
    public void uploadBytes(byte[] src, Tensor dst) {
        if (dst == null) throw new IllegalArgumentException("uploadBytes: dst must not be null");
        DeviceChecks.device("uploadBytes", "dst", dst, dst.dtype());
        if (src.length != dst.byteSize()) throw new IllegalArgumentException("uploadBytes: " + src.length + " bytes for dst " + dst.dtype() + dst.shape());
        toDevice("uploadBytes", MemorySegment.ofArray(src), dst);
    }

    // The bindings take native segments only, so Java arrays travel through an off-heap staging copy.
    private void toDevice(String op, MemorySegment heap, Tensor dst) {
        try (Arena staging = Arena.ofConfined()) {
            MemorySegment host = staging.allocate(Math.max(1, heap.byteSize()), 8).copyFrom(heap);
            device.copyToDevice(op, host, dst.segment().address(), dst.byteSize());
        }
    }

    private void toHost(String op, Tensor src, MemorySegment heap) {
        try (Arena staging = Arena.ofConfined()) {
            MemorySegment host = staging.allocate(Math.max(1, heap.byteSize()), 8);
            device.copyToHost(op, src.segment().address(), host, src.byteSize());
            heap.copyFrom(host.asSlice(0, heap.byteSize()));
        }
    }

    // ---- dense linear algebra ----

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        String op = "gemm";
        f32(op, "a", a);
        f32(op, "b", b);
        f32(op, "c", c);
        OpChecks.GemmDims dims = OpChecks.gemm(op, transA, transB, a, b, c);
        int m = dims.m(), nn = dims.n(), k = dims.k();
        if (m == 0 || nn == 0) return;
        if (k == 0 || alpha == 0f) {
            // No products, as CpuGemm: C = beta C (beta == 0 clears C, NaN included) without reading A and B, which
            // cuBLASLt does not promise for alpha == 0 (NaN or infinity in A or B would leak through 0 * x).
            if (beta == 0f) fill(c, 0f);
            else scale(c, beta);
            return;
        }
        gemms.f32(op, transA, transB, m, nn, k, alpha, a.segment(), b.segment(), beta, c.segment());
    }

    /**
     * C32[m, n] = A[m, k] B[n, k]^T with A and B int8 (I8) and C int32 (I32), by {@code path}. The CUBLASLT path
     * needs k and n to be multiples of 4 (cuBLASLt's int8 kernels take the "TN" layout with leading dimensions
     * multiples of 4); TENSOR_CORE needs compute capability 7.2 or newer.
     */
    public void gemmInt8(Tensor a, Tensor b, Tensor c32, Int8GemmPath path) {
        String op = "gemmInt8";
        DeviceChecks.device(op, "a", a, DType.I8);
        DeviceChecks.device(op, "b", b, DType.I8);
        i32(op, "c32", c32);
        if (path == null) throw new IllegalArgumentException(op + ": path must not be null");
        int m = twoD(op, "a", a)[0], k = a.dim(1), n = twoD(op, "b", b)[0];
        if (b.dim(1) != k) throw new IllegalArgumentException(op + ": a " + a.shape() + " and b " + b.shape() + " differ in k (a is [m, k], b is [n, k])");
        OpChecks.shape(op, "c32", c32, Shape.of(m, n));
        if (path == Int8GemmPath.CUBLASLT && (k % 4 != 0 || n % 4 != 0)) {
            throw new IllegalArgumentException(op + ": the CUBLASLT path needs k and n multiples of 4 (cuBLASLt int8 TN layout), got m="
                    + m + " n=" + n + " k=" + k);
        }
        if (path != Int8GemmPath.CUBLASLT) kernelRows(op, m);
        if (m == 0 || n == 0) return;
        gemms.int8(op, path, m, n, k, a.segment(), b.segment(), c32.segment());
    }

    /** C[m, n] = A[m, k] B[n, k]^T with A and B IEEE half (F16), C F32, accumulated in f32, by {@code path}. */
    public void gemmHalf(Tensor a, Tensor b, Tensor c, HalfGemmPath path) {
        String op = "gemmHalf";
        DeviceChecks.device(op, "a", a, DType.F16);
        DeviceChecks.device(op, "b", b, DType.F16);
        f32(op, "c", c);
        if (path == null) throw new IllegalArgumentException(op + ": path must not be null");
        int m = twoD(op, "a", a)[0], k = a.dim(1), n = twoD(op, "b", b)[0];
        if (b.dim(1) != k) throw new IllegalArgumentException(op + ": a " + a.shape() + " and b " + b.shape() + " differ in k (a is [m, k], b is [n, k])");
        OpChecks.shape(op, "c", c, Shape.of(m, n));
        if (path == HalfGemmPath.KERNEL) kernelRows(op, m);
        if (m == 0 || n == 0) return;
        gemms.half(op, path, m, n, k, a.segment(), b.segment(), c.segment());
    }

    /** Our GEMM kernels tile rows in grid.y blocks of 64 (at most 65535 blocks). */
    private static void kernelRows(String op, int m) {
        if (m > GemmEnginePolicy.KERNEL_MAX_ROWS) {
            throw new IllegalArgumentException(op + ": m = " + m + " rows exceeds the " + GemmEnginePolicy.KERNEL_MAX_ROWS
                    + " our kernels take; use the CUBLASLT path");
        }
    }

    private static int[] twoD(String op, String arg, Tensor t) {
        OpChecks.rank(op, arg, t, 2);
        return new int[]{t.dim(0), t.dim(1)};
    }

    /** dst (F16) = src (F32) rounded to half, nearest even, overflow to infinity. */
    public void convertToHalf(Tensor src, Tensor dst) {
        String op = "convertToHalf";
        f32(op, "src", src);
        DeviceChecks.device(op, "dst", dst, DType.F16);
        OpChecks.sameNumel(op, "src", src, "dst", dst);
        MemorySegment x = src.segment(), y = dst.segment();
        long count = src.numel();
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_convert_f32_f16(ctx, s, x, y, count));
    }

    /** dst (F32) = src (F16) widened. */
    public void convertFromHalf(Tensor src, Tensor dst) {
        String op = "convertFromHalf";
        DeviceChecks.device(op, "src", src, DType.F16);
        f32(op, "dst", dst);
        OpChecks.sameNumel(op, "src", src, "dst", dst);
        MemorySegment x = src.segment(), y = dst.segment();
        long count = src.numel();
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_convert_f16_f32(ctx, s, x, y, count));
    }

    // ---- elementwise and reductions ----

    @Override
    public void fill(Tensor x, float value) {
        MemorySegment xs = f32("fill", "x", x).segment();
        long count = x.numel();
        device.launch("fill", (ctx, s) -> EdgeqNative.edgeq_fill_f32(ctx, s, xs, count, value));
    }

    @Override
    public void copy(Tensor x, Tensor y) {
        f32("copy", "x", x);
        sameAs("copy", "y", y, "x", x);
        device.copyOnDevice("copy", x.segment().address(), y.segment().address(), x.byteSize());
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        MemorySegment xs = f32("axpy", "x", x).segment(), ys = sameAs("axpy", "y", y, "x", x).segment();
        long count = x.numel();
        device.launch("axpy", (ctx, s) -> EdgeqNative.edgeq_axpy_f32(ctx, s, alpha, xs, ys, count));
    }

    @Override
    public void scale(Tensor x, float alpha) {
        MemorySegment xs = f32("scale", "x", x).segment();
        long count = x.numel();
        device.launch("scale", (ctx, s) -> EdgeqNative.edgeq_scale_f32(ctx, s, xs, count, alpha));
    }

    @Override
    public void addRowVector(Tensor x, Tensor bias) {
        String op = "addRowVector";
        MemorySegment xs = f32(op, "x", x).segment(), bs = f32(op, "bias", bias).segment();
        OpChecks.rank(op, "x", x, 2);
        OpChecks.numel(op, "bias", bias, x.dim(1));
        long rows = x.dim(0), cols = x.dim(1);
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_add_row_vector_f32(ctx, s, xs, bs, rows, cols));
    }

    @Override
    public void sumRows(Tensor x, Tensor out, float beta) {
        String op = "sumRows";
        MemorySegment xs = f32(op, "x", x).segment(), os = f32(op, "out", out).segment();
        OpChecks.rank(op, "x", x, 2);
        OpChecks.numel(op, "out", out, x.dim(1));
        long rows = x.dim(0), cols = x.dim(1);
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_sum_rows_f32(ctx, s, xs, os, rows, cols, beta));
    }

    @Override
    public void relu(Tensor x, Tensor y) {
        MemorySegment xs = f32("relu", "x", x).segment(), ys = sameAs("relu", "y", y, "x", x).segment();
        long count = x.numel();
        device.launch("relu", (ctx, s) -> EdgeqNative.edgeq_relu_f32(ctx, s, xs, ys, count));
    }

    @Override
    public void reluBackward(Tensor y, Tensor dy, Tensor dx) {
        String op = "reluBackward";
        MemorySegment ys = f32(op, "y", y).segment(), dys = sameAs(op, "dy", dy, "y", y).segment();
        MemorySegment dxs = sameAs(op, "dx", dx, "y", y).segment();
        long count = y.numel();
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_relu_backward_f32(ctx, s, ys, dys, dxs, count));
    }

    @Override
    public double sum(Tensor x) {
        return sumF64("sum", x, 0);
    }

    @Override
    public double sumOfSquares(Tensor x) {
        return sumF64("sumOfSquares", x, 1);
    }

    private double sumF64(String op, Tensor x, int squares) {
        MemorySegment xs = f32(op, "x", x).segment();
        long count = x.numel();
        if (count == 0) return 0;
        MemorySegment out = result(0);
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_sum_f64(ctx, s, xs, count, squares, out));
        return resultDouble(op);
    }

    @Override
    public boolean allFinite(Tensor x) {
        MemorySegment xs = f32("allFinite", "x", x).segment();
        long count = x.numel();
        if (count == 0) return true;
        MemorySegment out = result(8);
        device.launch("allFinite", (ctx, s) -> EdgeqNative.edgeq_all_finite_f32(ctx, s, xs, count, out));
        return resultInt("allFinite") != 0;
    }

    // ---- convolution ----

    private MemorySegment workspace(String op, Tensor workspace, ConvGeometry g) {
        f32(op, "workspace", workspace);
        OpChecks.convWorkspace(op, workspace, conv2dWorkspaceFloats(g), g);
        return workspace.segment();
    }

    @Override
    public void conv2d(Tensor x, Tensor weight, Tensor bias, Tensor y, ConvGeometry g, Tensor workspace) {
        String op = "conv2d";
        f32(op, "x", x);
        f32(op, "weight", weight);
        f32(op, "y", y);
        f32OrNull(op, "bias", bias);
        OpChecks.conv(op, x, weight, y, "y", g);
        if (bias != null) OpChecks.numel(op, "bias", bias, g.outChannels());
        MemorySegment scratch = workspace(op, workspace, g);
        OpChecks.noAlias(op, "x", x, "y", y);
        convolution.forward(x.segment(), weight.segment(), bias == null ? null : bias.segment(), y.segment(), g, scratch);
    }

    @Override
    public void conv2dBackward(Tensor x, Tensor weight, Tensor dy, Tensor dx, Tensor dWeight, Tensor dBias,
                               ConvGeometry g, Tensor workspace) {
        String op = "conv2dBackward";
        f32(op, "x", x);
        f32(op, "weight", weight);
        f32(op, "dy", dy);
        f32OrNull(op, "dx", dx);
        f32(op, "dWeight", dWeight);
        f32OrNull(op, "dBias", dBias);
        OpChecks.conv(op, x, weight, dy, "dy", g);
        if (dx != null) OpChecks.shape(op, "dx", dx, x.shape());
        OpChecks.shape(op, "dWeight", dWeight, weight.shape());
        if (dBias != null) OpChecks.numel(op, "dBias", dBias, g.outChannels());
        MemorySegment scratch = workspace(op, workspace, g);
        convolution.backward(x.segment(), weight.segment(), dy.segment(), dx == null ? null : dx.segment(),
                dWeight.segment(), dBias == null ? null : dBias.segment(), g, scratch);
    }

    /**
     * The im2col matrix and the pixel-major output of the whole batch: batch * P * (patch + outChannels), plus up to
     * 63 floats that start the second on a 256-byte boundary.
     */
    @Override
    public long conv2dWorkspaceFloats(ConvGeometry g) {
        return CudaConvolution.workspaceFloats(g);
    }

    // ---- pooling ----

    @Override
    public void maxPool2d(Tensor x, Tensor y, Tensor argmax, PoolGeometry g) {
        String op = "maxPool2d";
        MemorySegment xs = f32(op, "x", x).segment(), ys = f32(op, "y", y).segment(), as = i32(op, "argmax", argmax).segment();
        OpChecks.maxPool2d(op, x, y, argmax, g);
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_max_pool2d_f32(ctx, s, xs, ys, as, g.batch(), g.channels(), g.height(),
                g.width(), g.window(), g.stride()));
    }

    @Override
    public void maxPool2dBackward(Tensor dy, Tensor argmax, Tensor dx, PoolGeometry g) {
        String op = "maxPool2dBackward";
        MemorySegment dys = f32(op, "dy", dy).segment(), as = i32(op, "argmax", argmax).segment(), dxs = f32(op, "dx", dx).segment();
        OpChecks.maxPool2dBackward(op, dy, argmax, dx, g);
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_max_pool2d_backward_f32(ctx, s, dys, as, dxs, g.batch(), g.channels(),
                g.height(), g.width(), g.window(), g.stride()));
    }

    // ---- normalisation ----

    @Override
    public void batchNorm(Tensor x, Tensor y, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                          Tensor saveMean, Tensor saveInvStd, boolean training, float momentum, float eps) {
        String op = "batchNorm";
        f32(op, "x", x);
        f32(op, "y", y);
        int[] d = OpChecks.batchNormDims(op, x);
        OpChecks.shape(op, "y", y, x.shape());
        MemorySegment gs = DeviceChecks.channels(op, "gamma", gamma, d[1]).segment();
        MemorySegment bs = DeviceChecks.channels(op, "beta", beta, d[1]).segment();
        MemorySegment rm = DeviceChecks.channels(op, "runningMean", runningMean, d[1]).segment();
        MemorySegment rv = DeviceChecks.channels(op, "runningVar", runningVar, d[1]).segment();
        MemorySegment sm = MemorySegment.NULL, si = MemorySegment.NULL;
        if (training) {
            sm = DeviceChecks.channels(op, "saveMean", saveMean, d[1]).segment();
            si = DeviceChecks.channels(op, "saveInvStd", saveInvStd, d[1]).segment();
            if ((long) d[0] * d[2] == 0) throw new IllegalArgumentException(op + ": training needs a non-empty batch, got x " + x.shape());
        }
        if (!(eps > 0)) throw new IllegalArgumentException(op + ": eps must be > 0, got " + eps);
        if (!Float.isFinite(eps) || !Float.isFinite(momentum)) {
            throw new IllegalArgumentException(op + ": eps and momentum must be finite, got eps=" + eps + " momentum=" + momentum);
        }
        MemorySegment xs = x.segment(), ys = y.segment(), saveM = sm, saveI = si;
        int train = training ? 1 : 0;
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_batch_norm_f32(ctx, s, xs, ys, gs, bs, rm, rv, saveM, saveI, d[0], d[1], d[2],
                train, momentum, eps));
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                                  Tensor dx, Tensor dGamma, Tensor dBeta) {
        String op = "batchNormBackward";
        f32(op, "x", x);
        f32(op, "dy", dy);
        f32OrNull(op, "dx", dx);
        int[] d = OpChecks.batchNormDims(op, x);
        OpChecks.shape(op, "dy", dy, x.shape());
        if (dx != null) OpChecks.shape(op, "dx", dx, x.shape());
        MemorySegment gs = DeviceChecks.channels(op, "gamma", gamma, d[1]).segment();
        MemorySegment sm = DeviceChecks.channels(op, "saveMean", saveMean, d[1]).segment();
        MemorySegment si = DeviceChecks.channels(op, "saveInvStd", saveInvStd, d[1]).segment();
        MemorySegment dg = DeviceChecks.channels(op, "dGamma", dGamma, d[1]).segment();
        MemorySegment db = DeviceChecks.channels(op, "dBeta", dBeta, d[1]).segment();
        if (dx != null) {
            // The kernel reads x and dy of a channel again while it writes dx (edgeq.h: dx may not alias them).
            OpChecks.noAlias(op, "x", x, "dx", dx);
            OpChecks.noAlias(op, "dy", dy, "dx", dx);
        }
        MemorySegment xs = x.segment(), dys = dy.segment();
        // edgeq.h: dx may be NULL (only dgamma and dbeta wanted), so no temporary and no synchronize per call.
        MemorySegment dxs = dx == null ? MemorySegment.NULL : dx.segment();
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_batch_norm_backward_f32(ctx, s, xs, dys, gs, sm, si, dxs, dg, db,
                d[0], d[1], d[2]));
    }

    // ---- dropout ----

    @Override
    public void dropout(Tensor x, Tensor y, Tensor mask, float p, long seed, long offset) {
        String op = "dropout";
        MemorySegment xs = f32(op, "x", x).segment(), ys = sameAs(op, "y", y, "x", x).segment();
        MemorySegment ms = sameAs(op, "mask", mask, "x", x).segment();
        if (!(p >= 0f && p <= 1f)) throw new IllegalArgumentException(op + ": p must be in [0, 1], got " + p);
        if (offset < 0) throw new IllegalArgumentException(op + ": offset must be >= 0, got " + offset);
        long count = x.numel();
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_dropout_f32(ctx, s, xs, ys, ms, count, p, seed, offset));
    }

    @Override
    public void dropoutBackward(Tensor dy, Tensor mask, Tensor dx) {
        String op = "dropoutBackward";
        MemorySegment dys = f32(op, "dy", dy).segment(), ms = sameAs(op, "mask", mask, "dy", dy).segment();
        MemorySegment dxs = sameAs(op, "dx", dx, "dy", dy).segment();
        long count = dy.numel();
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_mul_f32(ctx, s, dys, ms, dxs, count));
    }

    // ---- losses ----

    @Override
    public double softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits) {
        String op = "softmaxCrossEntropy";
        f32(op, "logits", logits);
        i32(op, "labels", labels);
        OpChecks.rank(op, "logits", logits, 2);
        OpChecks.numel(op, "labels", labels, logits.dim(0));
        if (logits.dim(1) < 1) throw new IllegalArgumentException(op + ": logits " + logits.shape() + " has no classes");
        f32OrNull(op, "dLogits", dLogits);
        if (dLogits != null) {
            OpChecks.shape(op, "dLogits", dLogits, logits.shape());
            OpChecks.noAlias(op, "logits", logits, "dLogits", dLogits);
        }
        int rows = logits.dim(0), classes = logits.dim(1);
        if (rows == 0) return 0;
        MemorySegment ls = logits.segment(), lab = labels.segment();
        MemorySegment ds = dLogits == null ? MemorySegment.NULL : dLogits.segment();
        MemorySegment loss = result(0), bad = result(8);
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_softmax_cross_entropy_f32(ctx, s, ls, lab, ds, rows, classes, loss, bad));
        try (Arena staging = Arena.ofConfined()) {
            MemorySegment host = staging.allocate(16, 8);
            device.copyToHost(op, results, host, 16);
            int badRow = host.get(ValueLayout.JAVA_INT, 8) - 1;
            if (badRow >= 0) {
                MemorySegment label = staging.allocate(ValueLayout.JAVA_INT);
                device.copyToHost(op, labels.segment().address() + 4L * badRow, label, 4);
                throw new IllegalArgumentException("softmaxCrossEntropy: labels[" + badRow + "] = " + label.get(ValueLayout.JAVA_INT, 0)
                        + " outside 0.." + (classes - 1));
            }
            return host.get(ValueLayout.JAVA_DOUBLE, 0) / rows;
        }
    }

    @Override
    public void argmaxRows(Tensor x, Tensor out) {
        String op = "argmaxRows";
        MemorySegment xs = f32(op, "x", x).segment(), os = i32(op, "out", out).segment();
        OpChecks.rank(op, "x", x, 2);
        OpChecks.numel(op, "out", out, x.dim(0));
        if (x.dim(1) < 1 && x.dim(0) > 0) throw new IllegalArgumentException(op + ": x " + x.shape() + " has no columns");
        int rows = x.dim(0), cols = x.dim(1);
        if (rows == 0) return;
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_argmax_rows_f32(ctx, s, xs, os, rows, cols));
    }

    @Override
    public double meanSquaredError(Tensor pred, Tensor target, Tensor dPred) {
        String op = "meanSquaredError";
        MemorySegment ps = f32(op, "pred", pred).segment(), ts = f32(op, "target", target).segment();
        OpChecks.shape(op, "target", target, pred.shape());
        f32OrNull(op, "dPred", dPred);
        if (dPred != null) OpChecks.shape(op, "dPred", dPred, pred.shape());
        long count = pred.numel();
        if (count == 0) return 0;
        MemorySegment ds = dPred == null ? MemorySegment.NULL : dPred.segment();
        MemorySegment out = result(0);
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_mse_f32(ctx, s, ps, ts, ds, count, out));
        return resultDouble(op) / count;
    }

    @Override
    public double softTargetKlDivergence(Tensor logits, Tensor teacherLogits, float temperature, Tensor dLogits) {
        String op = "softTargetKlDivergence";
        MemorySegment ls = f32(op, "logits", logits).segment(), ts = f32(op, "teacherLogits", teacherLogits).segment();
        OpChecks.rank(op, "logits", logits, 2);
        OpChecks.shape(op, "teacherLogits", teacherLogits, logits.shape());
        if (!(temperature > 0f) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException(op + ": temperature must be positive and finite, got " + temperature);
        }
        f32OrNull(op, "dLogits", dLogits);
        if (dLogits != null) OpChecks.shape(op, "dLogits", dLogits, logits.shape());
        int rows = logits.dim(0), classes = logits.dim(1);
        if (rows == 0) return 0;
        MemorySegment ds = dLogits == null ? MemorySegment.NULL : dLogits.segment();
        MemorySegment out = result(0);
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_soft_target_kl_f32(ctx, s, ls, ts, ds, rows, classes, temperature, out));
        return resultDouble(op) / rows;
    }

    // ---- optimisers ----

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float learningRate, float beta1, float beta2,
                         float epsilon, float weightDecay, boolean decoupledWeightDecay, int step) {
        String op = "adamStep";
        MemorySegment ps = f32(op, "param", param).segment(), gs = sameAs(op, "grad", grad, "param", param).segment();
        MemorySegment ms = sameAs(op, "m", m, "param", param).segment(), vs = sameAs(op, "v", v, "param", param).segment();
        if (step < 1) throw new IllegalArgumentException(op + ": step counts from 1, got " + step);
        // edgeq_adam_f32 refuses these; saying so here keeps bad input from reaching the device.
        if (!(beta1 >= 0f && beta1 < 1f && beta2 >= 0f && beta2 < 1f)) {
            throw new IllegalArgumentException(op + ": beta1 = " + beta1 + ", beta2 = " + beta2 + " must lie in [0, 1)");
        }
        long count = param.numel();
        int decoupled = decoupledWeightDecay ? 1 : 0;
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_adam_f32(ctx, s, ps, gs, ms, vs, MemorySegment.NULL, count,
                learningRate, beta1, beta2, epsilon, weightDecay, decoupled, step));
    }

    @Override
    public void sgdStep(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum,
                        float weightDecay, boolean nesterov) {
        String op = "sgdStep";
        MemorySegment ps = f32(op, "param", param).segment(), gs = sameAs(op, "grad", grad, "param", param).segment();
        MemorySegment vs = sameAs(op, "velocity", velocity, "param", param).segment();
        long count = param.numel();
        int nest = nesterov ? 1 : 0;
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_sgd_f32(ctx, s, ps, gs, vs, count, learningRate, momentum, weightDecay, nest));
    }

    // ---- quantization ----

    /**
     * Channels along axis 0 of x, after checking scales (F32) and zero points (I32). Their values stay unchecked: they
     * live on the device, and reading them back would make every fake-quantize op wait for it (QuantOps).
     */
    private int checkChannels(String op, Tensor x, Tensor scales, Tensor zeroPoints, int qmin, int qmax) {
        f32(op, "scales", scales);
        i32(op, "zeroPoints", zeroPoints);
        return OpChecks.quantChannels(op, x, scales, zeroPoints, qmin, qmax);
    }

    /** The one-element scale (F32) and zero point (I32) of a per-tensor op, and the grid; values stay on the device. */
    private void checkTensorParams(String op, Tensor scale, Tensor zeroPoint, int qmin, int qmax) {
        f32(op, "scale", scale);
        i32(op, "zeroPoint", zeroPoint);
        OpChecks.numel(op, "scale", scale, 1);
        OpChecks.numel(op, "zeroPoint", zeroPoint, 1);
        OpChecks.quantGrid(op, qmin, qmin, qmax);
    }

    private static long inner(Tensor x, int channels) {
        return channels == 0 ? 0 : x.numel() / channels;
    }

    @Override
    public void fakeQuantize(Tensor x, Tensor y, Tensor scale, Tensor zeroPoint, int qmin, int qmax) {
        String op = "fakeQuantize";
        MemorySegment xs = f32(op, "x", x).segment(), ys = sameAs(op, "y", y, "x", x).segment();
        checkTensorParams(op, scale, zeroPoint, qmin, qmax);
        long count = x.numel();
        MemorySegment ss = scale.segment(), zs = zeroPoint.segment();
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_fake_quant_f32(ctx, s, xs, ys, count, ss, zs, qmin, qmax));
    }

    @Override
    public void fakeQuantizePerChannel(Tensor x, Tensor y, Tensor scales, Tensor zeroPoints, int qmin, int qmax) {
        String op = "fakeQuantizePerChannel";
        MemorySegment xs = f32(op, "x", x).segment(), ys = sameAs(op, "y", y, "x", x).segment();
        int c = checkChannels(op, x, scales, zeroPoints, qmin, qmax);
        long in = inner(x, c);
        MemorySegment ss = scales.segment(), zs = zeroPoints.segment();
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_fake_quant_per_channel_f32(ctx, s, xs, ys, c, in, ss, zs, qmin, qmax));
    }

    @Override
    public void fakeQuantizeBackward(Tensor x, Tensor dy, Tensor dx, Tensor scale, Tensor zeroPoint, int qmin, int qmax) {
        String op = "fakeQuantizeBackward";
        MemorySegment xs = f32(op, "x", x).segment(), dys = sameAs(op, "dy", dy, "x", x).segment();
        MemorySegment dxs = sameAs(op, "dx", dx, "x", x).segment();
        checkTensorParams(op, scale, zeroPoint, qmin, qmax);
        long count = x.numel();
        MemorySegment ss = scale.segment(), zs = zeroPoint.segment();
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_fake_quant_backward_f32(ctx, s, xs, dys, dxs, count, ss, zs, qmin, qmax));
    }

    @Override
    public void fakeQuantizePerChannelBackward(Tensor x, Tensor dy, Tensor dx, Tensor scales, Tensor zeroPoints, int qmin, int qmax) {
        String op = "fakeQuantizePerChannelBackward";
        MemorySegment xs = f32(op, "x", x).segment(), dys = sameAs(op, "dy", dy, "x", x).segment();
        MemorySegment dxs = sameAs(op, "dx", dx, "x", x).segment();
        int c = checkChannels(op, x, scales, zeroPoints, qmin, qmax);
        long in = inner(x, c);
        MemorySegment ss = scales.segment(), zs = zeroPoints.segment();
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_fake_quant_per_channel_backward_f32(ctx, s, xs, dys, dxs, c, in, ss, zs, qmin, qmax));
    }

    @Override
    public void fakeQuantizeLsqBackward(Tensor x, Tensor dy, Tensor dx, Tensor scale, Tensor zeroPoint, int qmin, int qmax,
                                        float gradScale, Tensor dScale) {
        String op = "fakeQuantizeLsqBackward";
        MemorySegment xs = f32(op, "x", x).segment(), dys = sameAs(op, "dy", dy, "x", x).segment();
        MemorySegment dxs = dx == null ? MemorySegment.NULL : sameAs(op, "dx", dx, "x", x).segment();
        checkTensorParams(op, scale, zeroPoint, qmin, qmax);
        MemorySegment ds = f32(op, "dScale", dScale).segment();
        OpChecks.numel(op, "dScale", dScale, 1);
        long count = x.numel();
        MemorySegment ss = scale.segment(), zs = zeroPoint.segment();
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_fake_quant_lsq_backward_f32(ctx, s, xs, dys, dxs, count, ss, zs, qmin,
                qmax, gradScale, ds));
    }

    @Override
    public void fakeQuantizePerChannelLsqBackward(Tensor x, Tensor dy, Tensor dx, Tensor scales, Tensor zeroPoints,
                                                  int qmin, int qmax, float gradScale, Tensor dScales) {
        String op = "fakeQuantizePerChannelLsqBackward";
        MemorySegment xs = f32(op, "x", x).segment(), dys = sameAs(op, "dy", dy, "x", x).segment();
        MemorySegment dxs = dx == null ? MemorySegment.NULL : sameAs(op, "dx", dx, "x", x).segment();
        int c = checkChannels(op, x, scales, zeroPoints, qmin, qmax);
        MemorySegment ds = f32(op, "dScales", dScales).segment();
        OpChecks.numel(op, "dScales", dScales, c);
        long in = inner(x, c);
        MemorySegment ss = scales.segment(), zs = zeroPoints.segment();
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_fake_quant_per_channel_lsq_backward_f32(ctx, s, xs, dys, dxs, c, in, ss, zs,
                qmin, qmax, gradScale, ds));
    }

    @Override
    public void minMax(Tensor x, float[] out) {
        MemorySegment xs = f32("minMax", "x", x).segment();
        if (out == null || out.length < 2) throw new IllegalArgumentException("minMax: out must have at least 2 entries");
        long count = x.numel();
        if (count == 0) {
            out[0] = Float.POSITIVE_INFINITY;
            out[1] = Float.NEGATIVE_INFINITY;
            return;
        }
        MemorySegment dst = result(16);
        device.launch("minMax", (ctx, s) -> EdgeqNative.edgeq_min_max_f32(ctx, s, xs, count, dst));
        try (Arena staging = Arena.ofConfined()) {
            MemorySegment host = staging.allocate(8, 4);
            device.copyToHost("minMax", results + 16, host, 8);
            out[0] = host.get(ValueLayout.JAVA_FLOAT, 0);
            out[1] = host.get(ValueLayout.JAVA_FLOAT, 4);
        }
    }

    @Override
    public void minMaxPerChannel(Tensor x, Tensor mins, Tensor maxs) {
        String op = "minMaxPerChannel";
        MemorySegment xs = f32(op, "x", x).segment(), mn = f32(op, "mins", mins).segment(), mx = f32(op, "maxs", maxs).segment();
        if (x.shape().rank() < 1) throw new IllegalArgumentException(op + ": x must have a channel axis, got " + x.shape());
        int c = x.dim(0);
        OpChecks.numel(op, "mins", mins, c);
        OpChecks.numel(op, "maxs", maxs, c);
        long in = inner(x, c);
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_min_max_per_channel_f32(ctx, s, xs, c, in, mn, mx));
    }

    @Override
    public void foldExtremes(Tensor x, Tensor runningMins, Tensor runningMaxs, RangeFold fold, float momentum, boolean first) {
        String op = "foldExtremes";
        MemorySegment xs = f32(op, "x", x).segment();
        MemorySegment mn = f32(op, "runningMins", runningMins).segment(), mx = f32(op, "runningMaxs", runningMaxs).segment();
        if (fold == null) throw new IllegalArgumentException(op + ": fold is null");
        int c = OpChecks.foldChannels(op, x, runningMins, runningMaxs);
        long in = inner(x, c);
        int kind = fold.ordinal();
        int start = first ? 1 : 0;
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_fold_extremes_f32(ctx, s, xs, c, in, mn, mx, kind, momentum, start));
    }

    @Override
    public void affineParams(Tensor mins, Tensor maxs, Tensor scales, Tensor zeroPoints, int qmin, int qmax, boolean symmetric) {
        String op = "affineParams";
        MemorySegment mn = f32(op, "mins", mins).segment(), mx = f32(op, "maxs", maxs).segment();
        MemorySegment ss = f32(op, "scales", scales).segment(), zs = i32(op, "zeroPoints", zeroPoints).segment();
        int c = OpChecks.affineParamsChannels(op, mins, maxs, scales, zeroPoints, qmin, qmax);
        int sym = symmetric ? 1 : 0;
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_affine_params_f32(ctx, s, mn, mx, ss, zs, c, qmin, qmax, sym));
    }

    @Override
    public void clampScales(Tensor scales, float minScale) {
        MemorySegment ss = f32("clampScales", "scales", scales).segment();
        long count = scales.numel();
        device.launch("clampScales", (ctx, s) -> EdgeqNative.edgeq_clamp_scales_f32(ctx, s, ss, count, minScale));
    }

    // ---- pruning ----

    @Override
    public void applyMask(Tensor x, Tensor mask) {
        String op = "applyMask";
        MemorySegment xs = f32(op, "x", x).segment(), ms = f32(op, "mask", mask).segment();
        OpChecks.shape(op, "mask", mask, x.shape());
        long count = x.numel();
        device.launch(op, (ctx, s) -> EdgeqNative.edgeq_mask_apply_f32(ctx, s, xs, ms, count));
    }

    // ---- results ----

    private MemorySegment result(long offset) {
        return MemorySegment.ofAddress(results + offset);
    }

    private double resultDouble(String op) {
        try (Arena staging = Arena.ofConfined()) {
            MemorySegment host = staging.allocate(ValueLayout.JAVA_DOUBLE);
            device.copyToHost(op, results, host, 8);
            return host.get(ValueLayout.JAVA_DOUBLE, 0);
        }
    }

    private int resultInt(String op) {
        try (Arena staging = Arena.ofConfined()) {
            MemorySegment host = staging.allocate(ValueLayout.JAVA_INT);
            device.copyToHost(op, results + 8, host, 4);
            return host.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** Frees the backend's own buffers and the stream, cuBLASLt handle and context; tensors belong to their scopes. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            device.free(results);
        } finally {
            device.close();
        }
    }
}
