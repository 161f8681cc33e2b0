package org.edgeq.metrics;

/**
 * How long a {@link LatencyHarness} warms up and measures. It runs the work for {@code warmupSeconds} (at least once)
 * untimed, then times runs until both {@code minIterations} runs and {@code minSeconds} have passed; a very slow
 * model stops earlier, after {@code maxSeconds} and at least 3 runs, and a very fast one after {@code maxIterations}.
 *
 * @param warmupSeconds untimed runs first, for the JIT compiler, caches and the layers' buffers (at least one run)
 * @param minIterations timed runs at least
 * @param minSeconds    timed seconds at least
 * @param maxSeconds    stop after this long once 3 runs are timed, even below the minimums
 * @param maxIterations never more timed runs than this
 */
public record LatencyOptions(double warmupSeconds, int minIterations, double minSeconds, double maxSeconds, int maxIterations) {
    /** Batch-1 latency: warm up 0.5 s, then at least 50 runs and 1 s (at most 10 s or 1,000,000 runs). */
    public static final LatencyOptions DEFAULT = new LatencyOptions(0.5, 50, 1.0, 10.0, 1_000_000);

    public LatencyOptions {
        if (!(warmupSeconds >= 0) || !(minSeconds >= 0) || !(maxSeconds >= 0)) {
            throw new IllegalArgumentException("latency seconds must be >= 0: warm-up " + warmupSeconds + ", min " + minSeconds + ", max " + maxSeconds);
        }
        if (minIterations < 1 || maxIterations < minIterations) {
            throw new IllegalArgumentException("latency iterations must satisfy 1 <= min <= max, got " + minIterations + " and " + maxIterations);
        }
    }

    /**
     * The batch-1 options a command line gives: {@code seconds} timed (warm-up half of that) and at least
     * {@code iterations} runs, capped at 10 s or 10 x seconds, whichever is longer.
     */
    public static LatencyOptions of(double seconds, int iterations) {
        return new LatencyOptions(seconds / 2, iterations, seconds, Math.max(10.0, 10 * seconds), Math.max(iterations, 1_000_000));
    }

    /** Options for the throughput run at a larger batch: half the warm-up and time, at least 5 batches. */
    public LatencyOptions forThroughput() {
        return new LatencyOptions(warmupSeconds / 2, Math.min(5, minIterations), minSeconds / 2, maxSeconds, maxIterations);
    }
}
