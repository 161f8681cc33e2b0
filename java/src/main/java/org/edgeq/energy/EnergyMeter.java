package org.edgeq.energy;

/**
 * Says how much energy a stretch of work took and where the figure came from: a hardware counter (RAPL, NVML) or
 * an estimate. Commands only start and stop a meter; which meters exist here is decided at run time.
 */
public interface EnergyMeter {

    /** Where this meter's figures come from, as the results' energy_source column says it: rapl, nvml, estimate. */
    String source();

    /** Starts measuring now; the returned measurement is stopped once, on the thread that did the work. */
    Measurement start();

    /** One running measurement. */
    interface Measurement {
        /** Stops measuring and returns what the work took. */
        EnergyReading stop();
    }
}
