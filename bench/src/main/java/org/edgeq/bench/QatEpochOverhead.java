package org.edgeq.bench;

import java.util.concurrent.TimeUnit;

import org.edgeq.backend.Backend;
import org.edgeq.backend.cpu.CpuBackend;
import org.edgeq.data.Dataset;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelFactory;
import org.edgeq.quant.fake.QatConfig;
import org.edgeq.quant.fake.QatHook;
import org.edgeq.train.Trainer;
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
 * is one whole epoch through {@link Trainer}. JMH runs each method in its own JVM, minutes apart;
 * {@link QatEpochOverheadPaired} alternates the two epochs in one JVM for a ratio this machine's noise cannot bias.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 6)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class QatEpochOverhead {
    private Backend backend;
    private Model fp32;
    private Model qat;
    private QatHook hook;
    private Dataset data;
    private int epoch;

    @Setup(Level.Trial)
    public void setUp() {
        data = MlpEpochFixture.randomData();
        backend = new CpuBackend(2);
        fp32 = ModelFactory.create(MlpEpochFixture.MLP, backend, 1);
        qat = ModelFactory.create(MlpEpochFixture.MLP, backend, 1);
        hook = QatHook.prepare(qat, QatConfig.of(8, 8));
    }

    @Benchmark
    public double fp32Epoch() {
        return new Trainer(MlpEpochFixture.oneEpoch(++epoch)).train(fp32, data, null, null).last().trainLoss();
    }

    @Benchmark
    public double qatEpoch() {
        return new Trainer(MlpEpochFixture.oneEpoch(++epoch)).withHook(hook).train(qat, data, null, null).last().trainLoss();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        hook.close();
        qat.close();
        fp32.close();
        backend.close();
    }
}
