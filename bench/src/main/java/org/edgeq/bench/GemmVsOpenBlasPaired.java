package org.edgeq.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.edgeq.backend.cpu.CpuGemm;
import org.edgeq.backend.cpu.WorkerPool;

/**
 * The question of {@link GemmVsOpenBlas} asked in a way this machine's slow periods cannot bias: EdgeQ's and
 * OpenBLAS's SGEMM alternate call by call in one JVM (ABBA order, so neither always runs second), and the answer is
 * the median over rounds of the per-round speed ratio, with each library's median time beside it. JMH runs the two
 * libraries as separate trials minutes apart, so one can land in a slow period the other misses.
 *
 * <p>Each batch of calls starts after a pause long enough for the other library's threads to go idle. OpenBLAS's
 * threads spin for new work for about 2^28 cycles after a call before they sleep (its THREAD_TIMEOUT); without the
 * pause they take a core from whichever batch follows an OpenBLAS batch. Measured here at 2048³: an EdgeQ call
 * right after OpenBLAS took 5% longer than the next EdgeQ call.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.edgeq.bench.GemmVsOpenBlasPaired [rounds] [sizes...]} (defaults: 40
 * rounds, 256 512 1024 2048 4096); {@code bench/gemm-paired.sh} runs it with the OpenBLAS environment of bench/run.sh.
 */
public final class GemmVsOpenBlasPaired {
    /** Idle time before each batch: more than OpenBLAS's spin-wait (2^28 cycles, about 70 ms at 4 GHz). */
    private static final long PAUSE_MS = 150;

    private GemmVsOpenBlasPaired() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int[] sizes = args.length > 1
                ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {256, 512, 1024, 2048, 4096};
        OpenBlas openBlas = OpenBlas.load();
        openBlas.setNumThreads(GemmVsOpenBlas.THREADS);
        System.out.printf("threads %d, OpenBLAS kernel %s, %d rounds per size%n", GemmVsOpenBlas.THREADS, openBlas.coreName(), rounds);
        System.out.println("size   edgeq_ms  openblas_ms  ratio_median  ratio_p25  ratio_p75   (ratio = EdgeQ speed / OpenBLAS speed, per round)");
        try (WorkerPool pool = new WorkerPool(GemmVsOpenBlas.THREADS); Arena arena = Arena.ofShared()) {
            CpuGemm edgeq = new CpuGemm(pool);
            for (int size : sizes) {
                long floats = (long) size * size;
                MemorySegment a = random(arena, floats, 1);
                MemorySegment b = random(arena, floats, 2);
                MemorySegment c = arena.allocate(floats * Float.BYTES, 64);
                Runnable ours = () -> edgeq.sgemm(false, false, size, size, size, 1f, a, 0, size, b, 0, size, 0f, c, 0, size);
                Runnable theirs = () -> openBlas.sgemm(false, false, size, size, size, 1f, a, size, b, size, 0f, c, size);
                // Warm-up: JIT compilation of EdgeQ's kernels and OpenBLAS's thread start, a second or so of each.
                long warmEnd = System.nanoTime() + 3_000_000_000L;
                while (System.nanoTime() < warmEnd) {
                    ours.run();
                    theirs.run();
                }
                int perRound = Math.max(1, (int) (200_000_000L / Math.max(1, time(ours))));
                double[] e = new double[rounds];
                double[] o = new double[rounds];
                double[] ratio = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    boolean oursFirst = r % 2 == 0;
                    double first = timeMany(oursFirst ? ours : theirs, perRound);
                    double second = timeMany(oursFirst ? theirs : ours, perRound);
                    e[r] = oursFirst ? first : second;
                    o[r] = oursFirst ? second : first;
                    ratio[r] = o[r] / e[r];
                }
                System.out.printf("%-6d %9.3f %11.3f %13.3f %10.3f %10.3f%n", size, RoundStatistics.median(e),
                        RoundStatistics.median(o), RoundStatistics.median(ratio), RoundStatistics.quantile(ratio, 0.25),
                        RoundStatistics.quantile(ratio, 0.75));
            }
        }
    }

    private static long time(Runnable task) {
        long t0 = System.nanoTime();
        task.run();
        return System.nanoTime() - t0;
    }

    /** Mean milliseconds per call over {@code calls} back-to-back calls, after {@link #PAUSE_MS} of idling. */
    private static double timeMany(Runnable task, int calls) {
        try {
            Thread.sleep(PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) task.run();
        return (System.nanoTime() - t0) / 1e6 / calls;
    }

    private static MemorySegment random(Arena arena, long floats, long seed) {
        MemorySegment s = arena.allocate(floats * Float.BYTES, 64);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (long i = 0; i < floats; i++) s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) rnd.nextDouble(-1, 1));
        return s;
    }
}
