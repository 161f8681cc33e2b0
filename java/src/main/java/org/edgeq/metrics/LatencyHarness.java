package org.edgeq.metrics;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Times repeated, identical work (one inference of one sample, one batch) after a warm-up: the latency a user would
 * see from a warmed process, not the first call's JIT compilation and buffer allocation. The clock is injectable, so
 * that the statistics are tested on a fake one.
 */
public final class LatencyHarness {
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
        while (warmups < options.warmupIterations() || clock.getAsLong() - start < warmupNanos) {
            work.run();
            warmups++;
        }

        long minNanos = (long) (options.minSeconds() * 1e9);
        long maxNanos = (long) (options.maxSeconds() * 1e9);
        long[] times = new long[Math.min(options.maxIterations(), Math.max(options.minIterations(), 1024))];
        int n = 0;
        long elapsed = 0;
        long before = clock.getAsLong();
        while (true) {
            work.run();
            long after = clock.getAsLong();
            if (n == times.length) times = Arrays.copyOf(times, Math.min(options.maxIterations(), n * 2));
            times[n++] = after - before;
            elapsed += after - before;
            before = after; // one clock read per run: the loop's own bookkeeping goes into the next run's time
            if (n >= options.maxIterations()) break;
            if (n >= options.minIterations() && elapsed >= minNanos) break;
            if (n >= 3 && elapsed >= maxNanos) break;
        }
        return LatencyStats.of(times, n, warmups);
    }
}
