package org.edgeq.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.edgeq.backend.Backend;
import org.edgeq.backend.ConvGeometry;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long do conv2d forward and backward take on the CPU backend (2 threads) for the layers cnn-small trains
 * (batch 64) and the layers of the seed CNN (cnn-seed on 3x32x32, batch 256), 3x3 kernels, padding 1?
 * {@code layer} is inChannels-outChannels-size[@batch], batch 64 when not given.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class ConvLayer {

    @Param({"1-16-28", "16-32-14", "32-64-14",
            "3-32-32@256", "32-64-32@256", "64-128-16@256", "128-128-16@256", "128-256-8@256", "256-256-8@256"})
    public String layer;

    private Backend backend;
    private TensorScope scope;
    private ConvGeometry g;
    private Tensor x, w, b, y, dy, dx, dw, db, workspace;

    @Setup(Level.Trial)
    public void setUp() {
        String[] at = layer.split("@");
        int n = at.length > 1 ? Integer.parseInt(at[1]) : 64;
        String[] p = at[0].split("-");
        int in = Integer.parseInt(p[0]), out = Integer.parseInt(p[1]), size = Integer.parseInt(p[2]);
        g = new ConvGeometry(n, in, size, size, out, 3, 1, 1);
        backend = new CpuBackend(2);
        scope = new TensorScope();
        x = random(n, in, size, size);
        w = random(out, in, 3, 3);
        b = random(out);
        dy = random(n, out, g.outHeight(), g.outWidth());
        y = backend.allocate(scope, DType.F32, n, out, g.outHeight(), g.outWidth());
        dx = backend.allocate(scope, DType.F32, n, in, size, size);
        dw = backend.allocate(scope, DType.F32, out, in, 3, 3);
        db = backend.allocate(scope, DType.F32, out);
        workspace = backend.allocate(scope, DType.F32, Math.toIntExact(backend.conv2dWorkspaceFloats(g)));
    }

    private Tensor random(int... dims) {
        Tensor t = backend.allocate(scope, DType.F32, dims);
        Random r = new Random(t.numel());
        float[] v = new float[Math.toIntExact(t.numel())];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        backend.upload(v, t);
        return t;
    }

    @Benchmark
    public Tensor forward() {
        backend.conv2d(x, w, b, y, g, workspace);
        return y;
    }

    @Benchmark
    public Tensor backward() {
        backend.conv2dBackward(x, w, dy, dx, dw, db, g, workspace);
        return dw;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scope.close();
        backend.close();
    }
}
