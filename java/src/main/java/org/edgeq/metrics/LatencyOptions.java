package org.edgeq.metrics;

/**
 * How long a {@link LatencyHarness} warms up and measures. It runs the work untimed once, then on until
 * {@code warmupSeconds} have passed since that first run and {@code warmupIterations} runs were made; then it times runs
 * until both {@code minIterations} runs and {@code minSeconds} have passed. A very slow model stops earlier, after
 * {@code maxSeconds} and at least 3 timed runs, and a very fast one after {@code maxIterations}.
 *
 * @param warmupSeconds    untimed seconds after the first run (whose JIT compilation and buffer allocation may take
 *                         longer than this by itself), for the JIT compiler, caches and the layers' buffers
 * @param warmupIterations untimed runs at least, the first included
 * @param minIterations    timed runs at least
 * @param minSeconds    timed seconds at least
 * @param maxSeconds    stop after this long once 3 runs are timed, even below the minimums
 * @param maxIterations never more timed runs than this
 */
public record LatencyOptions(double warmupSeconds, int warmupIterations, int minIterations, double minSeconds, double maxSeconds,
                             int maxIterations) {
    /** Batch-1 latency: warm up 0.5 s after the first run and 10 runs at least, then at least 50 runs and 1 s (at most 10 s or 1,000,000 runs). */
    public static final LatencyOptions DEFAULT = new LatencyOptions(0.5, 10, 50, 1.0, 10.0, 1_000_000);

    public LatencyOptions {
        if (warmupIterations < 1) throw new IllegalArgumentException("latency warm-up needs at least 1 run, got " + warmupIterations);
        if (!(warmupSeconds >= 0) || !(minSeconds >= 0) || !(maxSeconds >= 0)) {
            throw new IllegalArgumentException("latency seconds must be >= 0: warm-up " + warmupSeconds + ", min " + minSeconds + ", max " + maxSeconds);
        }
        if (minIterations < 1 || maxIterations < minIterations) {
            throw new IllegalArgumentException("latency iterations must satisfy 1 <= min <= max, got " + minIterations + " and " + maxIterations);
        }
    }

    /**
     * The batch-1 options a command line gives: {@code seconds} timed after a warm-up of half that (and of 10 runs, or
     * {@code iterations} if fewer), at least {@code iterations} runs, capped at 10 s or 10 x seconds, whichever is longer.
     */
    public static LatencyOptions of(double seconds, int iterations) {
        return new LatencyOptions(seconds / 2, Math.min(10, iterations), iterations, seconds, Math.max(10.0, 10 * seconds),
                Math.max(iterations, 1_000_000));
    }

    /** Options for the throughput run at a larger batch: half the warm-up and time, at least 5 batches (and 2 warm-up runs). */
    public LatencyOptions forThroughput() {
        return new LatencyOptions(warmupSeconds / 2, Math.min(2, warmupIterations), Math.min(5, minIterations), minSeconds / 2,
                maxSeconds, maxIterations);
    }
}
