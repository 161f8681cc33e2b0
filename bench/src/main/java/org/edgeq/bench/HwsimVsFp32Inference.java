package org.edgeq.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.edgeq.backend.Backend;
import org.edgeq.backend.cpu.CpuBackend;
import org.edgeq.backend.cpu.WorkerPool;
import org.edgeq.checkpoint.Checkpoint;
import org.edgeq.checkpoint.SavedModel;
import org.edgeq.data.Dataset;
import org.edgeq.data.Datasets;
import org.edgeq.data.SplitIndices;
import org.edgeq.hwsim.FakeQuantVariant;
import org.edgeq.hwsim.IntGemm;
import org.edgeq.hwsim.IntGemms;
import org.edgeq.hwsim.IntegerModel;
import org.edgeq.hwsim.NaiveIntGemm;
import org.edgeq.hwsim.Simulation;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.ModelPresets;
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
 * Does integer-only inference (edgeq hwsim, W8A8, 32-bit accumulators) over the 10,000 Fashion-MNIST test images
 * take at most 2x the time of FP32 inference of the same cnn-small (issue 9's target)? Both in one JVM, 2 threads
 * each (the CPU backend's workers; the simulator's batch workers), batches of 256. The integer GEMM is
 * {@link IntGemms#best} (param gemm=best: CpuIntGemm, its native VNNI kernel where it runs) or the
 * reference itself (gemm=naive). The model is the trained directory named by the environment variable
 * EDGEQ_BENCH_FM_MODEL (or -Dedgeq.bench.fmModel in the forked JVM), e.g. a copy of what 'edgeq train --dataset
 * fashion-mnist --model cnn-small --out DIR' wrote, with its own test split; without it, a randomly initialised
 * cnn-small on 10,000 random 28x28 images (the same arithmetic, so nearly the same time).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class HwsimVsFp32Inference {
    private static final int BATCH = 256;
    private static final int THREADS = 2;

    /**
     * best: {@link IntGemms#best}; naive: the stepwise reference; noop: a GEMM that computes nothing (wrong
     * results, a timing floor): what the rest of the integer pipeline (input quantization, im2col, requantization,
     * pooling, batching) costs, so that the GEMM's share is the difference.
     */
    @Param({"best", "noop"})
    public String gemm;

    private Backend backend;
    private Model fp32;
    private Model quantized;
    private FakeQuantVariant variant;
    private IntegerModel integer;
    private IntGemm intGemm;
    private WorkerPool gemmPool;
    private Dataset test;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        backend = new CpuBackend(THREADS);
        String dir = System.getProperty("edgeq.bench.fmModel", System.getenv("EDGEQ_BENCH_FM_MODEL"));
        SavedModel saved = null;
        if (dir != null && Files.exists(Path.of(dir, Checkpoint.WEIGHTS))) {
            saved = Checkpoint.read(Path.of(dir));
            Dataset all = Datasets.withDefaultDataDir().resolve("fashion-mnist", null).dataset();
            SplitIndices split = Checkpoint.readSplit(Path.of(dir), all.name(), all.size()).orElseThrow();
            test = all.subset(split.test());
            System.out.println("HwsimVsFp32Inference: trained model " + dir + ", " + test.size() + " Fashion-MNIST test images");
        } else {
            test = randomImages(10_000);
            System.out.println("HwsimVsFp32Inference: random cnn-small, 10000 random 28x28 images (set EDGEQ_BENCH_FM_MODEL=DIR for the trained one)");
        }
        fp32 = build(saved);
        quantized = build(saved);
        // Calibrated on the first 16 batches of the images themselves: the ranges do not change the work done.
        variant = FakeQuantVariant.calibrate(quantized, test, 16, BATCH, 8, 8, false);
        integer = variant.compile(IntegerModel.Rounding.DOUBLE);
        gemmPool = new WorkerPool(2);
        IntGemms.Choice best = IntGemms.best(gemmPool);
        intGemm = switch (gemm) {
            case "naive" -> new NaiveIntGemm();
            case "noop" -> (a, b, c, m, n, k, accBits) -> 0;
            default -> best.gemm();
        };
        System.out.println("HwsimVsFp32Inference: integer GEMM " + gemm + " (best available: " + best.name()
                + ", " + best.reason() + ")");
    }

    private Model build(SavedModel saved) throws Exception {
        Model m = ModelFactory.create(saved != null ? saved.description().config() : ModelPresets.cnnSmall(new int[] {1, 28, 28}, 10), backend, 1);
        if (saved != null) saved.loadInto(m.stateDict(), backend);
        return m;
    }

    private static Dataset randomImages(int n) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        float[] x = new float[n * 784];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        for (int i = 0; i < n; i++) y[i] = r.nextInt(10);
        return new Dataset("random-images", org.edgeq.data.Task.CLASSIFICATION, n, new int[] {1, 28, 28}, x, y, null, 10,
                java.util.List.of(), java.util.List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
    }

    /** FP32 inference of every test image (upload, forward, download of the logits), batches of 256. */
    @Benchmark
    public double fp32Inference() {
        return Simulation.modelOutputs(fp32, test, BATCH).quality();
    }

    /** Integer-only inference of every test image: quantize the input, integer layers, dequantized logits. */
    @Benchmark
    public double hwsimInference() {
        return Simulation.runInteger(integer, test, intGemm, 32, BATCH, THREADS).outputs().quality();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        variant.close();
        quantized.close();
        fp32.close();
        backend.close();
        gemmPool.close();
    }
}
