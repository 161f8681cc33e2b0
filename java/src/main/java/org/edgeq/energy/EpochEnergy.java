package org.edgeq.energy;

import java.util.Locale;

/**
 * The energy of each epoch of a measured training, for its progress line: the difference between successive
 * readings of one running measurement. The measurement's own total is what the command reports at the end.
 */
public final class EpochEnergy {
    private final EnergyMeter.Measurement measuring;
    private final long samplesPerEpoch;
    private double before;
    private EnergyReading last;

    /** Reads {@code measuring} (started already) at each epoch's end; {@code samplesPerEpoch} gives J/sample. */
    public EpochEnergy(EnergyMeter.Measurement measuring, long samplesPerEpoch) {
        this.measuring = measuring;
        this.samplesPerEpoch = samplesPerEpoch;
    }

    /** The epoch just ended as a progress-line suffix, "  41.5 J, 0.00306 J/sample"; empty when nothing is measured. */
    public String next() {
        EnergyReading now = measuring.peek();
        double joules = now.joules() - before;
        before = now.joules();
        if (Double.isNaN(joules)) return "";
        return String.format(Locale.ROOT, "  %s J, %s J/sample", EnergyFigures.figure(joules),
                EnergyFigures.figure(samplesPerEpoch > 0 ? joules / samplesPerEpoch : Double.NaN));
    }

    /** Stops the measurement (once) and returns its reading. */
    public EnergyReading stop() {
        if (last == null) last = measuring.stop();
        return last;
    }
}
