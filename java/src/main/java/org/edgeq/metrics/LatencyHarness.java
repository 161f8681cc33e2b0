package org.edgeq.metrics;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Times repeated, identical work (one inference of one sample, one batch) after a warm-up: the latency a user would
 * see from a warmed process, not the first call's JIT compilation and buffer allocation. Work that takes less than
 * {@link #GROUP_NANOS} is timed in groups of runs, each sample the group's time over its runs, so that the clock's
 * own cost (some 20 ns a read) stays below 1% of a sample. The clock is injectable, so that the statistics are
 * tested on a fake one.
 */
public final class LatencyHarness {
    /** The shortest stretch timed as one sample: 10 µs. */
    public static final long GROUP_NANOS = 10_000;

    private final LatencyOptions options;
    private final LongSupplier clock;

    public LatencyHarness(LatencyOptions options) {
        this(options, System::nanoTime);
    }

    /** @param clock nanoseconds, monotonic (System::nanoTime; a fake one in tests) */
    public LatencyHarness(LatencyOptions options, LongSupplier clock) {
        this.options = options;
        this.clock = clock;
    }

    public LatencyOptions options() {
        return options;
    }

    /** Warms up, then times {@code work} as the options say; each run must do the same work. */
    public LatencyStats time(Runnable work) {
        long warmupNanos = (long) (options.warmupSeconds() * 1e9);
        work.run(); // the first run compiles and allocates: the warm-up's time counts from its end
        int warmups = 1;
        long start = clock.getAsLong();
        long now = start;
        while (warmups < options.warmupIterations() || now - start < warmupNanos) {
            work.run();
            warmups++;
            now = clock.getAsLong();
        }
        int group = group(warmups - 1, now - start);

        long minNanos = (long) (options.minSeconds() * 1e9);
        long maxNanos = (long) (options.maxSeconds() * 1e9);
        long[] times = new long[1024];
        int samples = 0;
        int runs = 0;
        long elapsed = 0;
        long before = clock.getAsLong();
        while (true) {
            for (int i = 0; i < group; i++) work.run();
            long after = clock.getAsLong();
            if (samples == times.length) times = Arrays.copyOf(times, samples * 2);
            times[samples++] = after - before;
            runs += group;
            elapsed += after - before;
            before = after; // one clock read per sample: the loop's own bookkeeping goes into the next sample's time
            if (runs >= options.maxIterations()) break;
            if (runs >= options.minIterations() && elapsed >= minNanos) break;
            if (runs >= 3 && elapsed >= maxNanos) break;
        }
        return LatencyStats.of(times, samples, group, warmups);
    }

    /** Runs per timed sample: 1, or enough that a sample lasts {@link #GROUP_NANOS} by the warm-up's pace. */
    private int group(int runs, long nanos) {
        if (runs < 1 || nanos >= GROUP_NANOS * runs) return 1;
        long perRun = Math.max(1, nanos / runs);
        return (int) Math.min(Math.ceilDiv(GROUP_NANOS, perRun), Math.max(1, options.maxIterations() / 3));
    }
}
