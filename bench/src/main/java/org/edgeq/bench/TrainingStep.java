package org.edgeq.bench;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.edgeq.backend.Backend;
import org.edgeq.backend.cpu.CpuBackend;
import org.edgeq.nn.Loss;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.ModelPresets;
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
 * How long does one training step (forward, loss, backward, Adam update) take on the CPU backend with 2 threads?
 * {@code mlp}: 784-512-256-10 on a batch of 128; {@code cnn-small}: the 1x28x28 model on a batch of 64.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 8, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class TrainingStep {

    @Param({"mlp", "cnn-small"})
    public String model;

    private Backend backend;
    private TensorScope scope;
    private Model net;
    private Optimizer optimizer;
    private Tensor x;
    private Tensor labels;
    private Tensor dOut;
    private final Loss loss = new Loss.CrossEntropy();

    @Setup(Level.Trial)
    public void setUp() {
        backend = new CpuBackend(2);
        scope = new TensorScope();
        ModelConfig config;
        int batch;
        int[] sample;
        if (model.equals("mlp")) {
            config = new ModelConfig("dense", new int[] {784}, 10, List.of(512, 256), 0f, false);
            batch = 128;
            sample = new int[] {784};
        } else {
            config = ModelPresets.cnnSmall(new int[] {1, 28, 28}, 10);
            batch = 64;
            sample = new int[] {1, 28, 28};
        }
        net = ModelFactory.create(config, backend, 1);
        optimizer = Optimizer.create(OptimizerSpec.Adam.defaults(), net.parameters(), 0f, backend, scope);
        int[] xShape = new int[sample.length + 1];
        xShape[0] = batch;
        System.arraycopy(sample, 0, xShape, 1, sample.length);
        x = backend.allocate(scope, DType.F32, xShape);
        labels = backend.allocate(scope, DType.I32, batch);
        dOut = backend.allocate(scope, DType.F32, batch, 10);
        Random r = new Random(1);
        float[] xs = new float[Math.toIntExact(x.numel())];
        for (int i = 0; i < xs.length; i++) xs[i] = (float) r.nextGaussian();
        int[] ys = new int[batch];
        for (int i = 0; i < batch; i++) ys[i] = r.nextInt(10);
        backend.upload(xs, x);
        backend.upload(ys, labels);
    }

    @Benchmark
    public double step() {
        Tensor out = net.forward(x, true);
        double l = loss.compute(backend, out, labels, dOut);
        net.backward(dOut);
        optimizer.step(1e-4f);
        return l;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        net.close();
        scope.close();
        backend.close();
    }
}
