package org.edgeq.bench;

import java.util.concurrent.TimeUnit;

import org.edgeq.backend.Backend;
import org.edgeq.backend.cpu.CpuBackend;
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
 * {@code Trainer} does per batch ({@link SeedCnnStepFixture}; issue 12's yardstick: PyTorch's oneDNN path took
 * 0.91-0.95 s for it on this machine).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 3)
@Measurement(iterations = 6, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class SeedCnnStep {

    @Param({"fp32", "qat-w8a8"})
    public String mode;

    private Backend backend;
    private SeedCnnStepFixture fixture;

    @Setup(Level.Trial)
    public void setUp() {
        backend = new CpuBackend(2);
        fixture = new SeedCnnStepFixture(backend, mode);
    }

    @Benchmark
    public double step() {
        return fixture.step();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (fixture != null) fixture.close();
        if (backend != null) backend.close();
    }
}
