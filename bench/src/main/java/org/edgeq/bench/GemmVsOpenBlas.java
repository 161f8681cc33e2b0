package org.edgeq.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.edgeq.backend.cpu.CpuGemm;
import org.edgeq.backend.cpu.WorkerPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * How fast is EdgeQ's CPU SGEMM against OpenBLAS {@code cblas_sgemm} on square row-major products, both on
 * {@value #THREADS} threads in the same JMH run? GFLOP/s = 2 * size^3 / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class GemmVsOpenBlas {
    /** Threads for both libraries, matching the 2-core machine the target is stated for. */
    public static final int THREADS = 2;

    @Param({"256", "512", "1024", "2048", "4096"})
    public int size;

    private Arena arena;
    private MemorySegment a;
    private MemorySegment b;
    private MemorySegment c;
    private WorkerPool pool;
    private CpuGemm edgeq;
    private OpenBlas openBlas;

    @Setup
    public void setUp() {
        arena = Arena.ofShared();
        long floats = (long) size * size;
        a = random(floats, 1);
        b = random(floats, 2);
        c = arena.allocate(floats * Float.BYTES, 64);
        pool = new WorkerPool(THREADS);
        edgeq = new CpuGemm(pool);
        openBlas = OpenBlas.load();
        openBlas.setNumThreads(THREADS);
    }

    @TearDown
    public void tearDown() {
        pool.close();
        arena.close();
    }

    @Benchmark
    public MemorySegment edgeqSgemm() {
        edgeq.sgemm(false, false, size, size, size, 1f, a, 0, size, b, 0, size, 0f, c, 0, size);
        return c;
    }

    @Benchmark
    public MemorySegment openBlasSgemm() {
        openBlas.sgemm(false, false, size, size, size, 1f, a, size, b, size, 0f, c, size);
        return c;
    }

    private MemorySegment random(long floats, long seed) {
        MemorySegment s = arena.allocate(floats * Float.BYTES, 64);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (long i = 0; i < floats; i++) s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) rnd.nextDouble(-1, 1));
        return s;
    }
}
