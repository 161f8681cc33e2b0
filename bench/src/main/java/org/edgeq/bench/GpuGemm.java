package org.edgeq.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.edgeq.backend.cuda.CudaBackend;
import org.edgeq.backend.cuda.GemmEngine;
import org.edgeq.backend.cuda.HalfGemmPath;
import org.edgeq.backend.cuda.Int8GemmPath;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Do our int8 and fp16 GEMM kernels reach 60% of cuBLASLt at 4096³, measured in the same run (issue 4's
 * acceptance)? C[m, n] = A[m, k] B[n, k]^T with m = n = k = {@code size}: int8 in, int32 out by our dp4a kernel,
 * our tensor-core (WMMA) kernel and cuBLASLt; fp16 in, f32 accumulate and out by our WMMA kernel and cuBLASLt; and
 * f32 {@code Backend.gemm} (A B^T) with the CUDA backend's KERNEL engine and its CUBLASLT engine. Each invocation
 * queues {@value #LAUNCHES} GEMMs and synchronizes once; {@code bench/gpu/summarize_gpu.py} turns ms/op into TFLOP/s
 * (2 size³ operations) and the ratios.
 *
 * <p><b>Never run yet</b>: written on a machine without a GPU; it fails in setup with the CUDA provider's reason
 * where CUDA cannot run (and the cuBLASLt paths fail where cuBLASLt is not loaded). Run it with
 * {@code bench/gpu/run-on-device.sh bench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(GpuGemm.LAUNCHES)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class GpuGemm {
    static final int LAUNCHES = 10;

    @Param({"4096"})
    public int size;

    @Param({"int8-dp4a", "int8-tensor-core", "int8-cublaslt", "fp16-kernel", "fp16-cublaslt", "f32-kernel", "f32-cublaslt"})
    public String path;

    private CudaBackend backend;
    private TensorScope scope;
    private Runnable gemm;

    @Setup(Level.Trial)
    public void setUp() {
        backend = GpuBackends.openCuda(path.equals("f32-cublaslt") ? GemmEngine.CUBLASLT : GemmEngine.KERNEL);
        scope = new TensorScope();
        int n = size;
        Random r = new Random(1);
        switch (path) {
            case "int8-dp4a", "int8-tensor-core", "int8-cublaslt" -> {
                Tensor a = int8(n, n, r), b = int8(n, n, r), c = backend.allocate(scope, DType.I32, n, n);
                Int8GemmPath p = switch (path) {
                    case "int8-dp4a" -> Int8GemmPath.DP4A;
                    case "int8-tensor-core" -> Int8GemmPath.TENSOR_CORE;
                    default -> Int8GemmPath.CUBLASLT;
                };
                gemm = () -> backend.gemmInt8(a, b, c, p);
            }
            case "fp16-kernel", "fp16-cublaslt" -> {
                Tensor a = half(n, n, r), b = half(n, n, r), c = backend.allocate(scope, DType.F32, n, n);
                HalfGemmPath p = path.equals("fp16-kernel") ? HalfGemmPath.KERNEL : HalfGemmPath.CUBLASLT;
                gemm = () -> backend.gemmHalf(a, b, c, p);
            }
            case "f32-kernel", "f32-cublaslt" -> {
                Tensor a = f32(n, n, r), b = f32(n, n, r), c = backend.allocate(scope, DType.F32, n, n);
                gemm = () -> backend.gemm(false, true, 1f, a, b, 0f, c);
            }
            default -> throw new IllegalArgumentException("unknown path " + path);
        }
        gemm.run(); // fails here, not in the measurement, when a path cannot run on this device
        backend.synchronize();
    }

    private float[] gaussians(int count, Random r) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    private Tensor f32(int rows, int cols, Random r) {
        Tensor t = backend.allocate(scope, DType.F32, rows, cols);
        backend.upload(gaussians(rows * cols, r), t);
        return t;
    }

    private Tensor half(int rows, int cols, Random r) {
        Tensor h = backend.allocate(scope, DType.F16, rows, cols);
        backend.convertToHalf(f32(rows, cols, r), h);
        return h;
    }

    private Tensor int8(int rows, int cols, Random r) {
        byte[] v = new byte[rows * cols];
        r.nextBytes(v);
        Tensor t = backend.allocate(scope, DType.I8, rows, cols);
        backend.uploadBytes(v, t);
        return t;
    }

    @Benchmark
    public void gemm() {
        for (int i = 0; i < LAUNCHES; i++) gemm.run();
        backend.synchronize();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (scope != null) scope.close();
        if (backend != null) backend.close();
    }
}
