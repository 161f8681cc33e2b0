package org.edgeq.metrics;

import org.edgeq.data.Quantiles;

/**
 * The wall times of a run of repeated, identical work: quantiles by linear interpolation between order statistics
 * (numpy's default, {@link Quantiles#linear}), the mean, and how many runs over how long. Where very short runs were
 * timed in groups, each sample is its group's time over its runs, and the quantiles are of those.
 *
 * @param iterations   timed runs
 * @param totalNanos   their summed wall time
 * @param p50Millis    median run, ms
 * @param p90Millis    90th percentile, ms
 * @param p99Millis    99th percentile, ms
 * @param minMillis    fastest run, ms
 * @param maxMillis    slowest run, ms
 * @param warmupRuns   untimed runs before
 * @param runsPerSample runs timed together as one sample (1 unless a run is shorter than {@link LatencyHarness#GROUP_NANOS})
 * @param warmupNanos  how long the warm-up ran after its first run
 */
public record LatencyStats(int iterations, long totalNanos, double p50Millis, double p90Millis, double p99Millis,
                           double minMillis, double maxMillis, int warmupRuns, int runsPerSample, long warmupNanos) {

    /**
     * The figures of {@code count} samples in nanoseconds, each the time of {@code runsPerSample} runs, after
     * {@code warmupRuns} untimed runs over {@code warmupNanos} (the first run not included).
     */
    public static LatencyStats of(long[] nanos, int count, int runsPerSample, int warmupRuns, long warmupNanos) {
        if (count < 1) throw new IllegalArgumentException("latency needs at least one timed run");
        if (runsPerSample < 1) throw new IllegalArgumentException("a sample holds at least one run, got " + runsPerSample);
        double[] ms = new double[count];
        long total = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            total += nanos[i];
            ms[i] = nanos[i] / 1e6 / runsPerSample;
            min = Math.min(min, ms[i]);
            max = Math.max(max, ms[i]);
        }
        return new LatencyStats(count * runsPerSample, total, Quantiles.linear(ms, 0.50), Quantiles.linear(ms, 0.90),
                Quantiles.linear(ms, 0.99), min, max, warmupRuns, runsPerSample, warmupNanos);
    }

    /** Mean run time in milliseconds. */
    public double meanMillis() {
        return totalNanos / 1e6 / iterations;
    }

    /** Seconds the timed runs took together. */
    public double seconds() {
        return totalNanos / 1e9;
    }

    /**
     * Samples per second when each run processes {@code batch} samples, from the median run: batch / p50. The median
     * rather than the mean, so that other jobs taking the machine for part of the runs do not lower the figure.
     */
    public double samplesPerSecond(int batch) {
        return p50Millis == 0 ? Double.POSITIVE_INFINITY : batch * 1000.0 / p50Millis;
    }
}
