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
}
