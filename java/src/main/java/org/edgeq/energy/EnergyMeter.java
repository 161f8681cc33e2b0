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

    /**
     * One line for people on what this meter reads and, for a fallback, why the better source was not used
     * (e.g. "estimate from process CPU time (RAPL not used: no /sys/class/powercap)").
     */
    default String describe() {
        return source();
    }

    /** One running measurement. */
    interface Measurement {
        /** Stops measuring and returns what the work took. */
        EnergyReading stop();

        /**
         * What the work has taken so far, without stopping (for per-epoch progress lines). Meters that cannot read
         * while running say so with an exception; every meter of this package can.
         */
        default EnergyReading peek() {
            throw new UnsupportedOperationException(getClass().getName() + " cannot be read while it runs");
        }
    }
}
