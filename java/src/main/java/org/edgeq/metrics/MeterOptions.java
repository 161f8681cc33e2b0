package org.edgeq.metrics;

/**
 * How {@link VariantMeter} measures a variant.
 *
 * @param latency         batch-1 latency: warm-up and repetitions ({@link LatencyOptions#DEFAULT}: 0.5 s and 10 runs,
 *                        then >= 50 runs and >= 1 s); the throughput run takes {@link LatencyOptions#forThroughput()}
 * @param throughputBatch samples per batch of the throughput run (the commands' --eval-batch-size)
 * @param collectFirst    collect garbage before the memory peaks are reset (see {@link PeakMemory})
 * @param inputSeed       seed of the synthetic inputs used where no test samples are given
 */
public record MeterOptions(LatencyOptions latency, int throughputBatch, boolean collectFirst, long inputSeed) {

    public MeterOptions {
        if (latency == null) throw new IllegalArgumentException("latency options must be given");
        if (throughputBatch < 1) throw new IllegalArgumentException("throughput batch must be >= 1, got " + throughputBatch);
    }

    /** The defaults at a throughput batch of {@code batch}. */
    public static MeterOptions defaults(int batch) {
        return new MeterOptions(LatencyOptions.DEFAULT, batch, true, 0);
    }

    /** These options with batch-1 latency timed as {@code latency} says (a command's latency seconds and iterations). */
    public MeterOptions withLatency(LatencyOptions latency) {
        return new MeterOptions(latency, throughputBatch, collectFirst, inputSeed);
    }
}
