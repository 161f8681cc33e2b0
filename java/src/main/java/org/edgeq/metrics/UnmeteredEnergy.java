package org.edgeq.metrics;

import org.edgeq.energy.EnergyMeter;
import org.edgeq.energy.EnergyReading;

/**
 * An {@link EnergyMeter} that measures no energy, only wall time: what measurement uses where no energy meter is
 * given. Its readings carry NaN joules and the source "none" (the results' empty energy figure).
 */
public final class UnmeteredEnergy implements EnergyMeter {
    /** The results' energy_source of a figure nobody measured. */
    public static final String SOURCE = "none";

    @Override
    public String source() {
        return SOURCE;
    }

    @Override
    public Measurement start() {
        long start = System.nanoTime();
        return () -> new EnergyReading(Double.NaN, (System.nanoTime() - start) / 1e9, SOURCE, "no energy meter: wall time only");
    }
}
