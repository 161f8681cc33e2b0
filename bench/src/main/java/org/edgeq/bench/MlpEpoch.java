package org.edgeq.bench;

import java.util.concurrent.TimeUnit;

import org.edgeq.backend.Backend;
import org.edgeq.backend.cpu.CpuBackend;
import org.edgeq.data.Dataset;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelFactory;
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
    private Backend backend;
    private Model net;
    private Dataset data;
    private Trainer trainer;
    private int epoch;

    @Setup(Level.Trial)
    public void setUp() {
        data = MlpEpochFixture.randomData();
        backend = new CpuBackend(2);
        net = ModelFactory.create(MlpEpochFixture.MLP, backend, 1);
    }

    @Benchmark
    public double epoch() {
        trainer = new Trainer(MlpEpochFixture.oneEpoch(++epoch));
        return trainer.train(net, data, null, null).last().trainLoss();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        net.close();
        backend.close();
    }
}
