package org.edgeq.bench;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.edgeq.backend.Backend;
import org.edgeq.backend.cpu.CpuBackend;
import org.edgeq.data.Dataset;
import org.edgeq.data.Task;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.train.Trainer;
import org.edgeq.train.TrainingConfig;
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
 * Does one training epoch of an MLP 784-512-256-10 over 60,000 samples (batch 128, Adam) fit in 1.0 s on the
 * CPU backend with 2 threads (issue 2's target)? Each invocation is one whole epoch through {@link Trainer},
 * shuffling, batch copies and the per-batch accuracy bookkeeping included.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 6)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class MlpEpoch {
    private static final int SAMPLES = 60_000;

    private Backend backend;
    private Model net;
    private Dataset data;
    private Trainer trainer;
    private int epoch;

    @Setup(Level.Trial)
    public void setUp() {
        Random r = new Random(1);
        float[] x = new float[SAMPLES * 784];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        int[] y = new int[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) y[i] = r.nextInt(10);
        data = new Dataset("random-784", Task.CLASSIFICATION, SAMPLES, new int[] {784}, x, y, null, 10, List.of(), List.of());
        backend = new CpuBackend(2);
        net = ModelFactory.create(new ModelConfig("dense", new int[] {784}, 10, List.of(512, 256), 0f, false), backend, 1);
    }

    @Benchmark
    public double epoch() {
        // A fresh seed per invocation gives each epoch its own shuffle, as successive epochs of real training have.
        trainer = new Trainer(TrainingConfig.seedDefaults(++epoch).withEpochs(1).withBatchSize(128));
        return trainer.train(net, data, null, null).last().trainLoss();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        net.close();
        backend.close();
    }
}
