package org.edgeq.bench;

import java.util.concurrent.TimeUnit;

import org.edgeq.backend.Backend;
import org.edgeq.tensor.Tensor;
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
 * How long is one QAT training step of the seed CNN (cnn-seed, 3x32x32 input, 10 classes) on a batch of 256, on the
 * CUDA backend and on the CPU backend (every core), and does the CUDA step beat PyTorch's eager QAT
 * ({@code bench/gpu/pytorch_qat_step.py}, same model, same batch, same GPU) as issue 4 asks? The step is what
 * {@code Trainer} does per batch with the hook {@code edgeq qat --bits 8 --act-bits 8} installs (per-channel
 * symmetric int8 weights, per-tensor asymmetric moving-average int8 activations, straight-through gradients):
 * hook, forward, softmax cross-entropy, backward, hook, Adam, hook. {@code fp32} is the same step without the hook.
 * The loss is read back every step (as the trainer does), so a step ends when the device is done.
 *
 * <p><b>Never run yet</b>: written on a machine without a GPU; the {@code cuda} cases fail in setup with the CUDA
 * provider's reason where CUDA cannot run. Run it with {@code bench/gpu/run-on-device.sh bench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx8g"})
public class GpuQatStep {

    @Param({"cuda", "cpu"})
    public String backendName;

    @Param({"qat-w8a8", "fp32"})
    public String mode;

    private Backend backend;
    private SeedCnnStepFixture fixture;
    private Tensor probe;

    @Setup(Level.Trial)
    public void setUp() {
        backend = GpuBackends.open(backendName);
        fixture = new SeedCnnStepFixture(backend, mode);
        probe = GpuBackends.probe(backend, fixture.scope());
    }

    @Benchmark
    public double step() {
        double l = fixture.step();
        GpuBackends.await(backend, probe);
        return l;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (fixture != null) fixture.close();
        if (backend != null) backend.close();
    }
}
