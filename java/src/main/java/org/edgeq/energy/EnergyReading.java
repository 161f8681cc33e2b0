package org.edgeq.energy;

/**
 * The energy of one measured stretch of work.
 *
 * @param joules  energy in joules (NaN when nothing could be measured)
 * @param seconds wall time of the stretch
 * @param source  where the figure came from: rapl, nvml, estimate (or none)
 * @param detail  one line on how it was obtained (domains read, the power figure an estimate assumed, ...)
 */
public record EnergyReading(double joules, double seconds, String source, String detail) {

    /** Read from the Linux powercap RAPL counters (package and DRAM domains; the whole machine, not one process). */
    public static final String RAPL = "rapl";
    /** Read from NVIDIA's NVML: the device's total energy counter, or its power samples integrated over time. */
    public static final String NVML = "nvml";
    /** Not measured: this process's CPU time times an assumed power per core. */
    public static final String ESTIMATE = "estimate";
    /** Nothing could be measured; {@link #detail} says why. */
    public static final String NONE = "none";

    private static final double JOULES_PER_KWH = 3.6e6;

    /** A stretch whose energy could not be measured: NaN joules, source none, {@code why} as the detail. */
    public static EnergyReading unmeasured(double seconds, String why) {
        return new EnergyReading(Double.NaN, seconds, NONE, why);
    }

    /** The energy in kilowatt hours (1 kWh = 3.6 MJ). */
    public double kilowattHours() {
        return joules / JOULES_PER_KWH;
    }

    /** Joules per sample for {@code samples} samples processed; NaN when there were none. */
    public double joulesPer(long samples) {
        return samples > 0 ? joules / samples : Double.NaN;
    }
}
