package org.edgeq.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.edgeq.backend.Backend;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Does fake quantization on the GPU move at least 80% of the device's copy bandwidth (issue 4's acceptance)? Over
 * 64M floats (256 MiB in, 256 MiB out) on the CUDA backend: a device-to-device copy ({@code Backend.copy}), 8-bit
 * per-tensor and per-channel (4096 channels) fake quantization, and the straight-through backward (reads x and dy,
 * writes dx), in the same run. Each invocation queues {@value #LAUNCHES} launches and waits once, so the score is
 * the time of one launch; {@code bench/gpu/summarize_gpu.py} turns it into GB/s (bytes read + written).
 *
 * <p><b>Never run yet</b>: written on a machine without a GPU; it fails in setup with the CUDA provider's reason
 * where CUDA cannot run. Run it with {@code bench/gpu/run-on-device.sh bench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(GpuFakeQuantBandwidth.LAUNCHES)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
public class GpuFakeQuantBandwidth {
    /** 64M floats. */
    static final int N = 64 << 20;
    static final int CHANNELS = 4096;
    static final int LAUNCHES = 20;

    private Backend backend;
    private TensorScope scope;
    private Tensor x;
    private Tensor y;
    private Tensor dy;
    private Tensor scales;
    private Tensor zeroPoints;
    /** The per-tensor step 4/255 and zero point 128, in device memory as the per-tensor ops read them. */
    private Tensor scale;
    private Tensor zeroPoint;
    private Tensor probe;

    @Setup(Level.Trial)
    public void setUp() {
        backend = GpuBackends.open("cuda");
        scope = new TensorScope();
        x = backend.allocate(scope, DType.F32, CHANNELS, N / CHANNELS);
        y = backend.allocate(scope, DType.F32, CHANNELS, N / CHANNELS);
        dy = backend.allocate(scope, DType.F32, CHANNELS, N / CHANNELS);
        Random r = new Random(1);
        float[] v = new float[N];
        for (int i = 0; i < N; i++) v[i] = (float) r.nextGaussian();
        backend.upload(v, x);
        backend.upload(v, dy);
        float[] s = new float[CHANNELS];
        for (int c = 0; c < CHANNELS; c++) s[c] = (1 + c % 7) * (4f / 255f);
        scales = backend.allocate(scope, DType.F32, CHANNELS);
        zeroPoints = backend.allocate(scope, DType.I32, CHANNELS);
        backend.upload(s, scales);
        backend.upload(new int[CHANNELS], zeroPoints);
        scale = backend.allocate(scope, DType.F32, 1);
        zeroPoint = backend.allocate(scope, DType.I32, 1);
        backend.upload(new float[]{4f / 255f}, scale);
        backend.upload(new int[]{128}, zeroPoint);
        probe = GpuBackends.probe(backend, scope);
    }

    @Benchmark
    public void copy() {
        for (int i = 0; i < LAUNCHES; i++) backend.copy(x, y);
        GpuBackends.await(backend, probe);
    }

    @Benchmark
    public void fakeQuantize() {
        for (int i = 0; i < LAUNCHES; i++) backend.fakeQuantize(x, y, scale, zeroPoint, 0, 255);
        GpuBackends.await(backend, probe);
    }

    @Benchmark
    public void fakeQuantizePerChannel() {
        for (int i = 0; i < LAUNCHES; i++) backend.fakeQuantizePerChannel(x, y, scales, zeroPoints, -127, 127);
        GpuBackends.await(backend, probe);
    }

    @Benchmark
    public void fakeQuantizeBackward() {
        for (int i = 0; i < LAUNCHES; i++) backend.fakeQuantizeBackward(x, dy, y, scale, zeroPoint, 0, 255);
        GpuBackends.await(backend, probe);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (scope != null) scope.close();
        if (backend != null) backend.close();
    }
}
