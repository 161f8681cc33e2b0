package org.edgeq.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import org.edgeq.backend.Backend;
import org.edgeq.backend.cpu.CpuBackend;
import org.edgeq.data.Dataset;
import org.edgeq.energy.CpuPower;
import org.edgeq.energy.CpuTimeEstimateMeter;
import org.edgeq.energy.EnergyMeter;
import org.edgeq.energy.EnergyReading;
import org.edgeq.energy.EpochEnergy;
import org.edgeq.energy.NvmlApi;
import org.edgeq.energy.NvmlMeter;
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
 * Does measuring energy add at most 2% to a training epoch (issue 9's target)? The epoch of {@link MlpEpoch} (MLP
 * 784-512-256-10, 60,000 samples, batch 128, Adam, CPU backend on 2 threads, through {@link Trainer}) plain, and
 * inside a running measurement as 'edgeq train' makes one, read at the epoch's end for the progress line:
 * <ul>
 *   <li>{@code epochWithEstimate}: the CPU-time estimate this machine uses (no thread: two clock reads);</li>
 *   <li>{@code epochWithSampling}: the NVML meter's power-sampling thread at the default 100 ms period, over a
 *   stand-in for NVML whose power query reads a small file (one open/read/close, as a driver query is a system
 *   call); the real nvmlDeviceGetPowerUsage's own cost is not measured here (no GPU);</li>
 *   <li>{@code epochWithSampling10ms}: the same thread ten times as often, a bound on the thread's scheduling cost.</li>
 * </ul>
 * All run in the same JVM; the ratios to {@code epoch} of the same run are the figures. On a machine other jobs
 * load, those ratios drift with the load (the variants run one after another), so {@code samplerTick} also times
 * what the sampling thread does at each tick (lock, clock, power query, trapezoid step; timed through
 * {@code peek()}, which also formats the reading, so an upper bound): tick cost / period is the share of one core
 * the thread takes, whatever the load.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class EnergySamplingOverhead {
    private Backend backend;
    private Model model;
    private Dataset data;
    private Path powerFile;
    private int epoch;

    /** NVML as the meter sees it, on one device without an energy counter; each power query is one small file read. */
    private final class FilePowerNvml implements NvmlApi {
        @Override
        public int deviceCount() {
            return 1;
        }

        @Override
        public String deviceName(int device) {
            return "stand-in GPU";
        }

        @Override
        public OptionalLong totalEnergyMillijoules(int device) {
            return OptionalLong.empty(); // no counter: the meter samples power on its thread
        }

        @Override
        public long powerMilliwatts(int device) {
            try {
                return Long.parseLong(Files.readString(powerFile).strip());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        data = MlpEpochFixture.randomData();
        backend = new CpuBackend(2);
        model = ModelFactory.create(MlpEpochFixture.MLP, backend, 1);
        powerFile = Files.createTempFile("edgeq-power", ".txt");
        Files.writeString(powerFile, "250000\n");
    }

    private double trainOneEpoch() {
        return new Trainer(MlpEpochFixture.oneEpoch(++epoch)).train(model, data, null, null).last().trainLoss();
    }

    /** One epoch inside a running measurement of {@code meter}, read at the epoch's end as the progress line does. */
    private double measuredEpoch(EnergyMeter meter) {
        EpochEnergy used = new EpochEnergy(meter.start(), MlpEpochFixture.SAMPLES);
        try {
            double loss = trainOneEpoch();
            used.next();
            return loss;
        } finally {
            used.stop();
        }
    }

    @Benchmark
    public double epoch() {
        return trainOneEpoch();
    }

    @Benchmark
    public double epochWithEstimate() {
        return measuredEpoch(new CpuTimeEstimateMeter(new CpuPower(85, "bench", 2, "bench"), null));
    }

    @Benchmark
    public double epochWithSampling() {
        return measuredEpoch(new NvmlMeter(new FilePowerNvml(), 0, Duration.ofMillis(100)));
    }

    @Benchmark
    public double epochWithSampling10ms() {
        return measuredEpoch(new NvmlMeter(new FilePowerNvml(), 0, Duration.ofMillis(10)));
    }

    /** A sampling measurement running with a period too long to tick on its own, so only the benchmark's calls sample. */
    @State(Scope.Thread)
    public static class RunningSampler {
        EnergyMeter.Measurement measuring;
        Path file;

        @Setup(Level.Trial)
        public void start() throws IOException {
            file = Files.createTempFile("edgeq-power", ".txt");
            Files.writeString(file, "250000\n");
            EnergySamplingOverhead outer = new EnergySamplingOverhead();
            outer.powerFile = file;
            measuring = new NvmlMeter(outer.new FilePowerNvml(), 0, Duration.ofSeconds(60)).start();
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException {
            measuring.stop();
            Files.deleteIfExists(file);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    public EnergyReading samplerTick(RunningSampler s) {
        return s.measuring.peek();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        model.close();
        backend.close();
        Files.deleteIfExists(powerFile);
    }
}
