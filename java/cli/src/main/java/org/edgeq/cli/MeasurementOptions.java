package org.edgeq.cli;

import org.edgeq.metrics.LatencyOptions;
import org.edgeq.metrics.MeterOptions;
import picocli.CommandLine.Option;

/** How a command measures a model: the batches of its evaluation and throughput, and the timing of batch-1 latency. */
final class MeasurementOptions {

    @Option(names = "--eval-batch-size", paramLabel = "N", defaultValue = "256", converter = Ranges.BatchSize.class,
            description = "Samples per forward pass when measuring a model (default: ${DEFAULT-VALUE}): the batches of the "
                    + "test pass, of the throughput run and of the inference memory peak.")
    int evalBatchSize;

    @Option(names = "--latency-seconds", paramLabel = "S", defaultValue = "${sys:edgeq.latency.seconds:-1}",
            converter = Ranges.LatencySeconds.class,
            description = "Seconds each model times inference of one sample (batch 1) for its latency p50 and p99, after a "
                    + "warm-up of half that; throughput is then timed for half that at --eval-batch-size (default: ${DEFAULT-VALUE}).")
    double latencySeconds;

    @Option(names = "--latency-iterations", paramLabel = "N", defaultValue = "${sys:edgeq.latency.iterations:-50}",
            converter = Ranges.LatencyIterations.class,
            description = "Timed batch-1 runs per model at least, however long they take up to 10 s (default: ${DEFAULT-VALUE}).")
    int latencyIterations;

    /** These settings as the meters take them: inputs from the test rows. */
    MeterOptions meterOptions() {
        return MeterOptions.defaults(evalBatchSize).withLatency(LatencyOptions.of(latencySeconds, latencyIterations));
    }
}
