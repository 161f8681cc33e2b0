package org.edgeq.metrics;

import org.edgeq.data.Dataset;
import org.edgeq.energy.EnergyMeter;
import org.edgeq.energy.EnergyReading;
import org.edgeq.nn.Model;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

/**
 * The one interface through which the commands measure a model variant: its profile (parameters, non-zeros, MACs),
 * the energy of its test pass (through an {@link EnergyMeter}), its warmed batch-1 latency, its throughput at a batch
 * and its peak memory during all of that. The test pass itself (accuracy, losses) is the caller's, handed in as a
 * {@link Runnable}, so that it runs once and is both evaluated and metered.
 */
public final class VariantMeter {
    private final MeterOptions options;
    private final EnergyMeter energy;
    private final PeakMemory memory;

    /** @param energy the meter of the test pass; {@link UnmeteredEnergy} where none measures energy */
    public VariantMeter(MeterOptions options, EnergyMeter energy) {
        this.options = options;
        this.energy = energy;
        this.memory = new PeakMemory(options.collectFirst());
    }

    public MeterOptions options() {
        return options;
    }

    public EnergyMeter energyMeter() {
        return energy;
    }

    /**
     * Measures {@code model}: runs {@code testPass} (null: none) under the energy meter, then times batch-1 inference
     * and batches of {@link MeterOptions#throughputBatch()} on samples of {@code test} (null: synthetic inputs), all
     * inside one peak-memory measurement.
     */
    public VariantFigures measure(Model model, Dataset test, Runnable testPass) {
        ModelProfile profile = ModelProfiler.of(model, LayerBits.FP32);
        boolean onDevice = !model.parameters().isEmpty() && !model.parameters().getFirst().value().isHost();
        EnergyReading[] pass = new EnergyReading[1];
        LatencyStats[] times = new LatencyStats[2];
        MemoryPeak peak = memory.during(() -> {
            if (testPass != null) {
                EnergyMeter.Measurement m = energy.start();
                testPass.run();
                pass[0] = m.stop();
            }
            try (TensorScope scope = new TensorScope()) {
                Tensor one = InferenceInput.of(model, scope, test, 1, options.inputSeed());
                Tensor batch = InferenceInput.of(model, scope, test, options.throughputBatch(), options.inputSeed());
                times[0] = new LatencyHarness(options.latency()).time(inference(model, one));
                times[1] = new LatencyHarness(options.latency().forThroughput()).time(inference(model, batch));
            }
        }, onDevice);
        return new VariantFigures(profile, times[0], times[1], options.throughputBatch(), peak, pass[0],
                testPass == null || test == null ? 0 : test.size());
    }

    /** One inference of {@code x}, its outputs copied back to the host (which waits for an asynchronous device). */
    static Runnable inference(Model model, Tensor x) {
        float[] out = new float[Math.toIntExact(x.dim(0) * model.outputShape().numel())];
        return () -> model.backend().download(model.forward(x, false), out);
    }
}
