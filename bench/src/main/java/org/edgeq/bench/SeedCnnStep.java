package org.edgeq.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.edgeq.backend.Backend;
import org.edgeq.backend.cpu.CpuBackend;
import org.edgeq.nn.Loss;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.ModelPresets;
import org.edgeq.quant.fake.QatConfig;
import org.edgeq.quant.fake.QatHook;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.edgeq.train.Optimizer;
import org.edgeq.train.OptimizerSpec;
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
 * How long is one training step of the seed CNN (cnn-seed on 3x32x32, 10 classes, batch 256) on the CPU backend
 * with 2 threads, in FP32 and in W8A8 QAT as {@code edgeq qat --bits 8 --act-bits 8} sets it up? The step is what
 * {@code Trainer} does per batch: hook, forward, softmax cross-entropy, backward, hook, Adam, hook (issue 12's
 * yardstick; PyTorch's oneDNN path took 0.91-0.95 s for it on this machine).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 3)
@Measurement(iterations = 6, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class SeedCnnStep {
    static final int BATCH = 256;
    static final int CLASSES = 10;

    @Param({"fp32", "qat-w8a8"})
    public String mode;

    private Backend backend;
    private TensorScope scope;
    private Model net;
    private QatHook hook;
    private Optimizer optimizer;
    private Tensor x;
    private Tensor labels;
    private Tensor dOut;
    private long step;
    private final Loss loss = new Loss.CrossEntropy();

    @Setup(Level.Trial)
    public void setUp() {
        backend = new CpuBackend(2);
        scope = new TensorScope();
        net = ModelFactory.create(ModelPresets.cnnSeed(new int[] {3, 32, 32}, CLASSES), backend, 1);
        hook = mode.equals("fp32") ? null : QatHook.prepare(net, QatConfig.of(8, 8));
        optimizer = Optimizer.create(OptimizerSpec.Adam.defaults(), net.parameters(), 0f, backend, scope);
        x = backend.allocate(scope, DType.F32, BATCH, 3, 32, 32);
        labels = backend.allocate(scope, DType.I32, BATCH);
        dOut = backend.allocate(scope, DType.F32, BATCH, CLASSES);
        Random r = new Random(1);
        float[] xs = new float[Math.toIntExact(x.numel())];
        for (int i = 0; i < xs.length; i++) xs[i] = (float) r.nextGaussian();
        int[] ys = new int[BATCH];
        for (int i = 0; i < BATCH; i++) ys[i] = r.nextInt(CLASSES);
        backend.upload(xs, x);
        backend.upload(ys, labels);
    }

    @Benchmark
    public double step() {
        step++;
        if (hook != null) hook.beforeForward(x, 0, step);
        Tensor out = net.forward(x, true);
        double l = loss.compute(backend, out, labels, dOut);
        net.backward(dOut);
        if (hook != null) hook.beforeOptimizerStep(step);
        optimizer.step(1e-4f);
        if (hook != null) hook.afterOptimizerStep(step);
        return l;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (hook != null) hook.close();
        if (net != null) net.close();
        if (scope != null) scope.close();
        if (backend != null) backend.close();
    }
}
