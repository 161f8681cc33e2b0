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
import org.edgeq.quant.fake.QatConfig;
import org.edgeq.quant.fake.QatHook;
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
 * Does a QAT training epoch (W8A8: per-channel weight and per-tensor moving-average activation fake quantization
 * on every layer) cost at most 1.25x the FP32 epoch of the same model (issue 3's target)? The MLP 784-512-256-10
 * over 60,000 random samples, batch 128, Adam, CPU backend with 2 threads, as in {@link MlpEpoch}; each invocation
 * is one whole epoch through {@link Trainer}, and both variants run in the same JVM.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 6)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class QatEpochOverhead {
    private static final int SAMPLES = 60_000;

    private Backend backend;
    private Model fp32;
    private Model qat;
    private QatHook hook;
    private Dataset data;
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
        ModelConfig mlp = new ModelConfig("dense", new int[] {784}, 10, List.of(512, 256), 0f, false);
        fp32 = ModelFactory.create(mlp, backend, 1);
        qat = ModelFactory.create(mlp, backend, 1);
        hook = QatHook.prepare(qat, QatConfig.of(8, 8));
    }

    private static TrainingConfig config(int seed) {
        return TrainingConfig.seedDefaults(seed).withEpochs(1).withBatchSize(128);
    }

    @Benchmark
    public double fp32Epoch() {
        return new Trainer(config(++epoch)).train(fp32, data, null, null).last().trainLoss();
    }

    @Benchmark
    public double qatEpoch() {
        return new Trainer(config(++epoch)).withHook(hook).train(qat, data, null, null).last().trainLoss();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        hook.close();
        qat.close();
        fp32.close();
        backend.close();
    }
}
