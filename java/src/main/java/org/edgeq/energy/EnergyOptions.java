package org.edgeq.energy;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the energy meters are told: the CPU power the estimate assumes (null: from the table or the generic value),
 * the grid's carbon intensity, the NVML power sampling period, and where powercap and cpuinfo live (tests point
 * these at fake files). Built from the command line by the CLI's energy options, or {@link #defaults()}.
 *
 * @param cpuTdpWatts  --cpu-tdp-w, or null for the table's value
 * @param cpuCores     --cpu-cores, or null for the table's count or the processors this process may use
 * @param grid         gCO2e/kWh and its source
 * @param samplePeriod --energy-sample-ms: NVML power sampling period where a GPU has no energy counter
 * @param powercapRoot the powercap sysfs tree (/sys/class/powercap)
 * @param cpuinfo      the file naming the CPU model (/proc/cpuinfo)
 */
public record EnergyOptions(Double cpuTdpWatts, Integer cpuCores, CarbonIntensity grid, Duration samplePeriod,
                            Path powercapRoot, Path cpuinfo) {

    /** NVML's power reading is refreshed every few tens of milliseconds; sampling faster only costs CPU time. */
    public static final Duration DEFAULT_SAMPLE_PERIOD = Duration.ofMillis(100);
    public static final Path DEFAULT_CPUINFO = Path.of("/proc/cpuinfo");

    public EnergyOptions {
        if (cpuTdpWatts != null && !(cpuTdpWatts > 0 && cpuTdpWatts <= 10_000)) {
            throw new IllegalArgumentException("--cpu-tdp-w must be a number of watts in (0, 10000], got " + cpuTdpWatts);
        }
        if (cpuCores != null && (cpuCores < 1 || cpuCores > 100_000)) {
            throw new IllegalArgumentException("--cpu-cores must be 1..100000, got " + cpuCores);
        }
        if (grid == null) throw new IllegalArgumentException("grid intensity missing");
        if (samplePeriod == null || samplePeriod.toMillis() < 1 || samplePeriod.toMillis() > 60_000) {
            throw new IllegalArgumentException("--energy-sample-ms must be 1..60000, got " + (samplePeriod == null ? null : samplePeriod.toMillis()));
        }
        if (powercapRoot == null || cpuinfo == null) throw new IllegalArgumentException("powercap root and cpuinfo paths are required");
    }

    /** Every default: the table's CPU power, the world-average grid, 100 ms sampling, the real sysfs and procfs. */
    public static EnergyOptions defaults() {
        return new EnergyOptions(null, null, CarbonIntensity.WORLD_2022, DEFAULT_SAMPLE_PERIOD, RaplZones.DEFAULT_ROOT, DEFAULT_CPUINFO);
    }

    public EnergyOptions withCpuTdpWatts(Double watts) {
        return new EnergyOptions(watts, cpuCores, grid, samplePeriod, powercapRoot, cpuinfo);
    }

    public EnergyOptions withCpuCores(Integer cores) {
        return new EnergyOptions(cpuTdpWatts, cores, grid, samplePeriod, powercapRoot, cpuinfo);
    }

    public EnergyOptions withGrid(CarbonIntensity intensity) {
        return new EnergyOptions(cpuTdpWatts, cpuCores, intensity, samplePeriod, powercapRoot, cpuinfo);
    }

    public EnergyOptions withSamplePeriod(Duration period) {
        return new EnergyOptions(cpuTdpWatts, cpuCores, grid, period, powercapRoot, cpuinfo);
    }

    public EnergyOptions withPowercapRoot(Path root) {
        return new EnergyOptions(cpuTdpWatts, cpuCores, grid, samplePeriod, root, cpuinfo);
    }

    public EnergyOptions withCpuinfo(Path file) {
        return new EnergyOptions(cpuTdpWatts, cpuCores, grid, samplePeriod, powercapRoot, file);
    }
}
