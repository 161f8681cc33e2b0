package org.edgeq.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.edgeq.backend.Backend;
import org.edgeq.backend.cpu.CpuBackend;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Does CPU fake quantization (8-bit, per tensor, quantize-dequantize) over 16M floats run at 60% or more of the
 * bandwidth of a plain copy of the same size (issue 3's target)? Both read 64 MiB and write 64 MiB on the CPU
 * backend with 2 threads, measured in the same run; the straight-through backward (reads x and dy) is timed too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
public class FakeQuantVsCopy {
    private static final int N = 16 << 20;

    private Backend backend;
    private TensorScope scope;
    private Tensor x;
    private Tensor y;
    private Tensor dy;
    /** The step 4/255 and zero point 128, in the one-element tensors the per-tensor ops read them from. */
    private Tensor scale;
    private Tensor zeroPoint;

    @Setup(Level.Trial)
    public void setUp() {
        backend = new CpuBackend(2);
        scope = new TensorScope();
        Random r = new Random(1);
        float[] v = new float[N];
        for (int i = 0; i < N; i++) v[i] = (float) r.nextGaussian();
        x = backend.allocate(scope, DType.F32, N);
        y = backend.allocate(scope, DType.F32, N);
        dy = backend.allocate(scope, DType.F32, N);
        backend.upload(v, x);
        backend.upload(v, dy);
        scale = backend.allocate(scope, DType.F32, 1);
        zeroPoint = backend.allocate(scope, DType.I32, 1);
        backend.upload(new float[]{4f / 255f}, scale);
        backend.upload(new int[]{128}, zeroPoint);
    }

    @Benchmark
    public void copy() {
        backend.copy(x, y);
    }

    @Benchmark
    public void fakeQuantize() {
        backend.fakeQuantize(x, y, scale, zeroPoint, 0, 255);
    }

    @Benchmark
    public void fakeQuantizeBackward() {
        backend.fakeQuantizeBackward(x, dy, y, scale, zeroPoint, 0, 255);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scope.close();
        backend.close();
    }
}
