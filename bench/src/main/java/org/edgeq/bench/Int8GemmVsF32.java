package org.edgeq.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.edgeq.backend.cpu.CpuGemm;
import org.edgeq.backend.cpu.WorkerPool;
import org.edgeq.hwsim.CpuIntGemm;
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
 * Does the int8 GEMM the hardware simulator runs ({@link CpuIntGemm}, 32-bit accumulator) reach 1.5x the
 * multiply-accumulates per second of the f32 {@link CpuGemm} at 1024^3 on the CPU backend (issue 9's target), both
 * on {@value #THREADS} threads in the same JMH run? Timed: the native AVX-512 VNNI kernel and the Java Vector API
 * kernel of {@link CpuIntGemm}, and f32 CpuGemm in the int8 GEMM's layout (C = A B^T, B stored [n, k] as weights
 * are) and in its fastest layout (C = A B); also the int8 GEMM with a 16-bit accumulator on full-range codes, where
 * every output may saturate and takes the exact stepwise path. MAC/s = size^3 / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
public class Int8GemmVsF32 {
    /** Threads for every kernel, the cores of the 2-core machine the target is stated for. */
    public static final int THREADS = 2;

    @Param({"256", "512", "1024"})
    public int size;

    private Arena arena;
    private MemorySegment fa;
    private MemorySegment fb;
    private MemorySegment fc;
    private byte[] a;
    private byte[] b;
    private int[] c;
    private WorkerPool pool;
    private CpuGemm f32;
    private CpuIntGemm vector;
    private CpuIntGemm vnni;

    @Setup
    public void setUp() {
        arena = Arena.ofShared();
        int elements = size * size;
        SplittableRandom rnd = new SplittableRandom(1);
        a = new byte[elements];
        b = new byte[elements];
        c = new int[elements];
        for (int i = 0; i < elements; i++) {
            a[i] = (byte) rnd.nextInt(-128, 128);
            b[i] = (byte) rnd.nextInt(-128, 128);
        }
        fa = arena.allocate((long) elements * Float.BYTES, 64);
        fb = arena.allocate((long) elements * Float.BYTES, 64);
        fc = arena.allocate((long) elements * Float.BYTES, 64);
        for (int i = 0; i < elements; i++) {
            fa.setAtIndex(ValueLayout.JAVA_FLOAT, i, a[i]);
            fb.setAtIndex(ValueLayout.JAVA_FLOAT, i, b[i]);
        }
        pool = new WorkerPool(THREADS);
        f32 = new CpuGemm(pool);
        vector = new CpuIntGemm(pool, CpuIntGemm.Kernel.VECTOR_API);
        // Null where the native kernel cannot run: its benchmarks then fail with the reason, the others still run.
        vnni = CpuIntGemm.nativeUnavailableReason().isEmpty() ? new CpuIntGemm(pool, CpuIntGemm.Kernel.NATIVE_VNNI) : null;
    }

    @TearDown
    public void tearDown() {
        pool.close();
        arena.close();
    }

    @Benchmark
    public MemorySegment f32Nt() {
        f32.sgemm(false, true, size, size, size, 1f, fa, 0, size, fb, 0, size, 0f, fc, 0, size);
        return fc;
    }

    @Benchmark
    public MemorySegment f32Nn() {
        f32.sgemm(false, false, size, size, size, 1f, fa, 0, size, fb, 0, size, 0f, fc, 0, size);
        return fc;
    }

    @Benchmark
    public long int8Vnni() {
        return nativeGemm().gemm(a, b, c, size, size, size, 32);
    }

    @Benchmark
    public long int8VectorApi() {
        return vector.gemm(a, b, c, size, size, size, 32);
    }

    @Benchmark
    public long int8VnniAcc16() {
        return nativeGemm().gemm(a, b, c, size, size, size, 16);
    }

    private CpuIntGemm nativeGemm() {
        if (vnni == null) {
            throw new IllegalStateException("native int8 GEMM unavailable: " + CpuIntGemm.nativeUnavailableReason().orElse("?"));
        }
        return vnni;
    }
}
