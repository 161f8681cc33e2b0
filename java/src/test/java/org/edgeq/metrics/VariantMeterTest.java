package org.edgeq.metrics;

import org.edgeq.backend.Backend;
import org.edgeq.data.Dataset;
import org.edgeq.data.SyntheticDatasets;
import org.edgeq.energy.EnergyMeter;
import org.edgeq.energy.EnergyReading;
import org.edgeq.nn.Model;
import org.edgeq.nn.ModelConfig;
import org.edgeq.nn.ModelFactory;
import org.edgeq.nn.TestBackends;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The facade the commands measure through: one metered test pass, latency, throughput, peak memory and the profile. */
class VariantMeterTest {

    /** A stand-in meter: every measurement took 3 J and 0.5 s. */
    static final class FixedMeter implements EnergyMeter {
        final AtomicInteger started = new AtomicInteger();

        @Override
        public String source() {
            return "estimate";
        }

        @Override
        public Measurement start() {
            started.incrementAndGet();
            return () -> new EnergyReading(3.0, 0.5, "estimate", "stand-in");
        }
    }

    @Test
    void theTestPassRunsOnceUnderTheMeterAndTheOtherFiguresAreFilled() {
        Dataset data = SyntheticDatasets.blobs();
        Dataset test = data.subset(java.util.stream.IntStream.range(0, 120).toArray());
        FixedMeter energy = new FixedMeter();
        VariantMeter meter = new VariantMeter(new MeterOptions(new LatencyOptions(0, 1, 100, 7, 0, 10, 7), 32, false, 0), energy);
        AtomicInteger passes = new AtomicInteger();
        try (Backend backend = TestBackends.cpu(1);
             Model m = ModelFactory.create(new ModelConfig("dense", data.featureShape(), data.numClasses(), List.of(16), 0f, false), backend, 1)) {
            VariantFigures f = meter.measure(m, test, passes::incrementAndGet);
            assertEquals(1, passes.get(), "the caller's test pass runs once");
            assertEquals(1, energy.started.get());
            assertEquals(3.0 / 120, f.energyJPerSample(), 1e-15, "joules of the pass over its samples");
            // 7 runs at most (the cap), fewer only by a group of runs timed together when they are short
            assertTrue(f.latency().iterations() <= 7 && f.latency().iterations() > 7 - f.latency().runsPerSample(), f.latency().toString());
            assertTrue(f.throughput().iterations() >= 5 && f.throughput().iterations() <= 7, f.throughput().toString());
            assertTrue(f.latencyMsP50() > 0 && f.latencyMsP99() >= f.latencyMsP50(), f.latency().toString());
            assertTrue(f.throughputPerSecond() > 0);
            long featureCount = data.featureCount();
            assertEquals(featureCount * 16 + 16L * data.numClasses(), f.macs());
            assertEquals(f.macs() * 8 * 32, f.bops(LayerBits.ofRow(8, null)));
            long paramBytes = 4 * m.parameterCount();
            assertTrue(f.peak().offHeapBytes() >= paramBytes, "the model's own tensors are alive during inference: " + f.peak());
            assertNull(f.peak().deviceBytes());
            assertTrue(f.peakBytes() > f.peak().offHeapBytes());
        }
    }

    @Test
    void withoutATestPassOrDataItTimesSyntheticInputsAndHasNoEnergy() {
        VariantMeter meter = new VariantMeter(new MeterOptions(new LatencyOptions(0, 1, 100, 3, 0, 10, 3), 4, false, 9), new UnmeteredEnergy());
        try (Backend backend = TestBackends.cpu(1);
             Model m = ModelFactory.create(org.edgeq.nn.ModelPresets.cnnSmall(new int[] {1, 8, 8}, 3), backend, 1)) {
            VariantFigures f = meter.measure(m, null, null);
            assertNull(f.testPass());
            assertTrue(Double.isNaN(f.energyJPerSample()));
            assertTrue(f.latency().iterations() <= 3, f.latency().toString());
        }
    }
}
