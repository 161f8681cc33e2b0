package org.edgeq.metrics;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Times repeated, identical work (one inference of one sample, one batch) after a warm-up: the latency a user would
 * see from a warmed process, not the first call's JIT compilation and buffer allocation. The warm-up lasts until the
 * runs stop getting faster and the JIT compiler stops compiling ({@link LatencyOptions} says how long at least and at
 * most): a cold JVM runs a small CNN interpreted, some 50x slower, for a second or two, a plateau that a speed test
 * alone would take for the end of the warm-up. Work that takes less than
 * {@link #GROUP_NANOS} is timed in groups of runs, each sample the group's time over its runs, so that the clock's
 * own cost (some 20 ns a read) stays below 1% of a sample. The clock is injectable, so that the statistics are
 * tested on a fake one.
 */
public final class LatencyHarness {
    /** The shortest stretch timed as one sample: 10 µs. */
    public static final long GROUP_NANOS = 10_000;
    /** Warm-up runs of a window whose times are kept for its median: its last ones (a window of very short runs has many more). */
    private static final int WINDOW_SAMPLES = 1 << 16;

    private final LatencyOptions options;
    private final LongSupplier clock;
    private final LongSupplier compilerMillis;

    /** On the system clock, the warm-up watching this JVM's JIT compiler. */
    public LatencyHarness(LatencyOptions options) {
        this(options, System::nanoTime, jitCompilerMillis());
    }

    /** On {@code clock} (nanoseconds, monotonic; a fake one in tests), without watching a compiler. */
    public LatencyHarness(LatencyOptions options, LongSupplier clock) {
        this(options, clock, () -> 0);
    }

    /**
     * @param clock          nanoseconds, monotonic
     * @param compilerMillis the JIT compiler's total time so far: a warm-up window during which it grew is not settled
     */
    public LatencyHarness(LatencyOptions options, LongSupplier clock, LongSupplier compilerMillis) {
        this.options = options;
        this.clock = clock;
        this.compilerMillis = compilerMillis;
    }

    /** This JVM's total JIT compilation time in ms, or a constant where the JVM does not report it. */
    static LongSupplier jitCompilerMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) return () -> 0;
        return jit::getTotalCompilationTime;
    }

    public LatencyOptions options() {
        return options;
    }

    /** Warms up, then times {@code work} as the options say; each run must do the same work. */
    public LatencyStats time(Runnable work) {
        long warmupNanos = (long) (options.warmupSeconds() * 1e9);
        long maxWarmupNanos = (long) (options.maxWarmupSeconds() * 1e9);
        long windowNanos = warmupNanos / 5;
        int windowRuns = Math.max(1, options.warmupIterations() / 2);
        work.run(); // the first run compiles and allocates: the warm-up's time counts from its end
        int warmups = 1;
        long start = clock.getAsLong();
        long now = start;
        long[] window = new long[WINDOW_SAMPLES];
        double previous = Double.NaN;
        while (true) {
            // one window: at least windowRuns runs and windowNanos, its median compared with the previous window's
            int n = 0;
            long windowStart = now;
            long compiledBefore = compilerMillis.getAsLong();
            while (n < windowRuns || now - windowStart < windowNanos) {
                long t = timed(work, 1);
                window[n % window.length] = t; // a window of very short runs keeps its last WINDOW_SAMPLES
                n++;
                now = clock.getAsLong();
                warmups++;
            }
            double median = median(window, Math.min(n, window.length));
            // settled: no longer 5% faster than the window before (false for the first, NaN) and nothing compiled meanwhile
            boolean settled = median >= 0.95 * previous && compilerMillis.getAsLong() == compiledBefore;
            previous = median;
            long elapsed = now - start;
            if (elapsed >= maxWarmupNanos) break;
            if (settled && warmups >= options.warmupIterations() && elapsed >= warmupNanos) break;
        }
        long warmupElapsed = now - start;
        int group = group(previous);

        long minNanos = (long) (options.minSeconds() * 1e9);
        long maxNanos = (long) (options.maxSeconds() * 1e9);
        long[] times = new long[1024];
        int samples = 0;
        int runs = 0;
        long elapsed = 0;
        while (true) {
            long t = timed(work, group);
            if (samples == times.length) times = Arrays.copyOf(times, samples * 2);
            times[samples++] = t;
            runs += group;
            elapsed += t;
            if (runs + group > options.maxIterations()) break; // never more runs than the cap, grouped or not
            if (runs >= options.minIterations() && elapsed >= minNanos) break;
            if (runs >= 3 && elapsed >= maxNanos) break;
        }
        return LatencyStats.of(times, samples, group, warmups, warmupElapsed);
    }

    /**
     * Nanoseconds {@code runs} runs of {@code work} take. Every run, warm-up and timed, goes through this one small
     * method, so that the JIT compiler compiles it (with the work inlined) during the warm-up: timed from a loop that
     * still runs interpreted or in on-stack-replacement code, each call into the work cost some 100 ns more, half again
     * the latency of a small dense model, in some processes and not in others.
     */
    private long timed(Runnable work, int runs) {
        long before = clock.getAsLong();
        for (int i = 0; i < runs; i++) work.run();
        return clock.getAsLong() - before;
    }

    private static double median(long[] values, int n) {
        long[] s = Arrays.copyOf(values, n);
        Arrays.sort(s);
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + (double) s[n / 2]) / 2;
    }

    /** Runs per timed sample: 1, or enough that a sample lasts {@link #GROUP_NANOS} at the warm-up's last median run. */
    private int group(double medianNanos) {
        if (!(medianNanos < GROUP_NANOS)) return 1;
        long perRun = Math.max(1, (long) medianNanos);
        return (int) Math.min(Math.ceilDiv(GROUP_NANOS, perRun), Math.max(1, options.maxIterations() / 3));
    }
}
