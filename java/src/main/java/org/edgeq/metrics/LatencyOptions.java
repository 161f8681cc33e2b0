package org.edgeq.metrics;

/**
 * How long a {@link LatencyHarness} warms up and measures. It runs the work untimed once, then in windows of
 * {@code warmupSeconds / 5} (and at least half of {@code warmupIterations} runs) until {@code warmupSeconds} have passed
 * since that first run, {@code warmupIterations} runs were made and the last window's median run is no longer 5%
 * faster than the one before while the JIT compiler compiled nothing (it has caught up: a cold JVM runs a small CNN
 * some 50x slower for its first second or two), or {@code maxWarmupSeconds} have passed. Then it times runs until both {@code minIterations}
 * runs and {@code minSeconds} have passed. A very slow model stops earlier, after {@code maxSeconds} and at least 3
 * timed runs, and a very fast one after {@code maxIterations}.
 *
 * @param warmupSeconds    untimed seconds at least after the first run (whose JIT compilation and buffer allocation
 *                         may take longer than this by itself)
 * @param warmupIterations untimed runs at least, the first included
 * @param maxWarmupSeconds stop warming up after this long even if runs are still getting faster
 * @param minIterations    timed runs at least
 * @param minSeconds       timed seconds at least
 * @param maxSeconds       stop after this long once 3 runs are timed, even below the minimums
 * @param maxIterations    never more timed runs than this (short runs timed in groups may stop up to a group below it)
 */
public record LatencyOptions(double warmupSeconds, int warmupIterations, double maxWarmupSeconds, int minIterations,
                             double minSeconds, double maxSeconds, int maxIterations) {
    /**
     * Batch-1 latency: warm up 0.5 s and 10 runs at least, on until runs stop getting faster (10 s at most), then at
     * least 50 runs and 1 s (at most 10 s or 1,000,000 runs).
     */
    public static final LatencyOptions DEFAULT = new LatencyOptions(0.5, 10, 10.0, 50, 1.0, 10.0, 1_000_000);

    public LatencyOptions {
        if (warmupIterations < 1) throw new IllegalArgumentException("latency warm-up needs at least 1 run, got " + warmupIterations);
        if (!(warmupSeconds >= 0) || !(minSeconds >= 0) || !(maxSeconds >= 0) || !(maxWarmupSeconds >= warmupSeconds)) {
            throw new IllegalArgumentException("latency seconds must be >= 0 (and the warm-up's maximum >= its minimum): warm-up "
                    + warmupSeconds + " to " + maxWarmupSeconds + ", min " + minSeconds + ", max " + maxSeconds);
        }
        if (minIterations < 1 || maxIterations < minIterations) {
            throw new IllegalArgumentException("latency iterations must satisfy 1 <= min <= max, got " + minIterations + " and " + maxIterations);
        }
    }

    /**
     * The batch-1 options a command line gives: {@code seconds} timed, at least {@code iterations} runs, capped at 10 s or
     * 10 x seconds, whichever is longer; before that a warm-up of at least half of {@code seconds} (and of 10 runs, or
     * {@code iterations} if fewer), and at most 20 x seconds or 10 s, whichever is shorter (0 s: no waiting for the JIT
     * compiler, as the tests time their rows).
     */
    public static LatencyOptions of(double seconds, int iterations) {
        return new LatencyOptions(seconds / 2, Math.min(10, iterations), Math.max(seconds / 2, Math.min(10.0, 20 * seconds)),
                iterations, seconds, Math.max(10.0, 10 * seconds), Math.max(iterations, 1_000_000));
    }

    /**
     * Options for the throughput run at a larger batch, after the batch-1 run has warmed the JIT compiler up: half the
     * warm-up and time, at least 2 warm-up runs and 5 batches.
     */
    public LatencyOptions forThroughput() {
        return new LatencyOptions(warmupSeconds / 2, Math.min(2, warmupIterations), maxWarmupSeconds / 2, Math.min(5, minIterations),
                minSeconds / 2, maxSeconds, maxIterations);
    }
}
