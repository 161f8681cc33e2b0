package org.edgeq.energy;

/**
 * Turns power samples into energy by the trapezoid rule: each interval between two samples counts the mean of its
 * two ends times its length. Exact for power that changes linearly between samples; for anything else the error
 * shrinks with the sampling period. Not thread-safe: its owner serialises the samples.
 */
final class PowerIntegrator {
    private long firstNanos;
    private long lastNanos;
    private double lastWatts;
    private double joules;
    private int samples;

    /** Adds a sample of {@code watts} taken at {@code nanos} (a monotonic clock, non-decreasing across calls). */
    void add(long nanos, double watts) {
        if (samples == 0) {
            firstNanos = nanos;
        } else {
            if (nanos < lastNanos) throw new IllegalArgumentException("sample at " + nanos + " ns precedes the last one at " + lastNanos + " ns");
            joules += (nanos - lastNanos) / 1e9 * (watts + lastWatts) / 2;
        }
        lastNanos = nanos;
        lastWatts = watts;
        samples++;
    }

    /** Energy over the sampled span, in joules (0 with fewer than two samples). */
    double joules() {
        return joules;
    }

    /** Samples taken so far. */
    int samples() {
        return samples;
    }

    /** Seconds from the first sample to the last. */
    double seconds() {
        return samples == 0 ? 0 : (lastNanos - firstNanos) / 1e9;
    }
}
