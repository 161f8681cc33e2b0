package org.edgeq.metrics;

import org.edgeq.energy.EnergyReading;

/**
 * What {@link VariantMeter} measured of one model variant: its profile, batch-1 latency, throughput, peak memory
 * during inference and the energy of its test pass.
 *
 * @param profile         parameters, non-zeros, MACs (at FP32 widths: see {@link #bops})
 * @param latency         batch-1 inference times
 * @param throughput      times of batches of {@code throughputBatch} samples
 * @param throughputBatch samples per throughput batch
 * @param peak            peak memory while the test pass, the latency and the throughput runs ran
 * @param testPass        energy and wall time of the test pass; null when none was run
 * @param testSamples     samples the test pass ran over
 */
public record VariantFigures(ModelProfile profile, LatencyStats latency, LatencyStats throughput, int throughputBatch,
                             MemoryPeak peak, EnergyReading testPass, int testSamples) {

    public double latencyMsP50() {
        return latency.p50Millis();
    }

    public double latencyMsP99() {
        return latency.p99Millis();
    }

    /** Samples per second at the throughput batch, from its median batch time. */
    public double throughputPerSecond() {
        return throughput.samplesPerSecond(throughputBatch);
    }

    public long peakBytes() {
        return peak.totalBytes();
    }

    /** Effective MACs per inference. */
    public long macs() {
        return profile.effectiveMacs();
    }

    /** Bit-operations per inference at {@code bits}. */
    public long bops(LayerBits bits) {
        return profile.withBits(bits).bops();
    }

    /** Inference energy per test sample in joules; NaN without a test pass or a meter that measures energy. */
    public double energyJPerSample() {
        return testPass == null || testSamples == 0 ? Double.NaN : testPass.joules() / testSamples;
    }
}
