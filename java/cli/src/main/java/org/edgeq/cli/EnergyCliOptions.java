package org.edgeq.cli;

import org.edgeq.energy.CarbonIntensity;
import org.edgeq.energy.CpuTdpTable;
import org.edgeq.energy.EnergyOptions;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * The energy options any command that measures energy mixes in: the CPU power the estimate assumes where no RAPL
 * counter is readable, the grid's carbon intensity, and NVML's power sampling period.
 */
public final class EnergyCliOptions {

    @Option(names = "--cpu-tdp-w", paramLabel = "W",
            description = "TDP of the CPU package in watts, for the energy estimate used where no RAPL counter is readable: "
                    + "process CPU time x TDP / cores (default: from EdgeQ's table of common CPUs by /proc/cpuinfo model name, "
                    + "else " + (int) CpuTdpTable.GENERIC_TDP_WATTS + " W, CodeCarbon's generic value).")
    Double cpuTdpW;

    @Option(names = "--cpu-cores", paramLabel = "N",
            description = "Cores that TDP is shared by (default: the table's count for a known CPU, else the processors this process may use).")
    Integer cpuCores;

    @Option(names = "--grid-intensity", paramLabel = "G",
            description = "Carbon intensity of the electricity in gCO2e/kWh, for carbon_g (default: 436, the world average of 2022, "
                    + "Ember's Global Electricity Review 2023).")
    Double gridIntensity;

    @Option(names = "--energy-sample-ms", paramLabel = "MS", defaultValue = "100",
            description = "Power sampling period of a GPU without an energy counter, 1..60000 (default: ${DEFAULT-VALUE}).")
    long sampleMillis;

    /** The options as the meters take them; a value out of range is bad usage naming the option (exit 2). */
    public EnergyOptions options() {
        try {
            if (gridIntensity != null && !(gridIntensity >= 0 && gridIntensity <= 10_000)) {
                throw new IllegalArgumentException("--grid-intensity must be 0..10000 gCO2e/kWh, got " + gridIntensity);
            }
            return EnergyOptions.defaults().withCpuTdpWatts(cpuTdpW).withCpuCores(cpuCores)
                    .withGrid(gridIntensity == null ? CarbonIntensity.WORLD_2022 : CarbonIntensity.given(gridIntensity))
                    .withSamplePeriod(Duration.ofMillis(sampleMillis));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
