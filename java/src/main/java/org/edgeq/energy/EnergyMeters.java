package org.edgeq.energy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Picks the meters this machine allows: for the CPU, RAPL where its counters are readable, else the CPU-time
 * estimate that says why RAPL was not used; for CUDA, an NVML meter per device where NVML loads (through the CUDA
 * backend module's {@link NvmlProvider}). The one entry point the commands and the metrics facade use.
 */
public final class EnergyMeters {

    private EnergyMeters() {
    }

    /** The CPU's meter: RAPL if readable under the options' powercap root, else the estimate with the reason. */
    public static EnergyMeter forCpu(EnergyOptions options) {
        return forCpu(options, RaplZones.FileReader.FILES, CpuTimeEstimateMeter.processCpuNanos());
    }

    /** As {@link #forCpu(EnergyOptions)} with the sysfs reader and the process CPU time given (tests). */
    static EnergyMeter forCpu(EnergyOptions options, RaplZones.FileReader reader, LongSupplier cpuNanos) {
        return switch (RaplZones.probe(options.powercapRoot(), reader)) {
            case Availability.Available<RaplZones.Found> a -> new RaplMeter(a.value(), reader, RaplMeter.WRAP_GUARD_PERIOD, System::nanoTime);
            case Availability.Unavailable<RaplZones.Found> u -> estimate(options, cpuNanos, u.reason());
        };
    }

    /** The CPU-time estimate with the options' power, saying {@code whyNoCounter} in its details. */
    public static CpuTimeEstimateMeter estimate(EnergyOptions options, LongSupplier cpuNanos, String whyNoCounter) {
        CpuPower power = CpuTdpTable.resolve(options.cpuTdpWatts(), options.cpuCores(),
                CpuTdpTable.modelName(options.cpuinfo()), Runtime.getRuntime().availableProcessors());
        return new CpuTimeEstimateMeter(power, cpuNanos, System::nanoTime, whyNoCounter);
    }

    /**
     * One NVML meter per device NVML sees, or why there are none (the CUDA backend module absent, libnvidia-ml.so.1
     * missing, nvmlInit failing).
     */
    public static Availability<List<EnergyMeter>> forCuda(EnergyOptions options) {
        return forCuda(options, NvmlProviders.open());
    }

    static Availability<List<EnergyMeter>> forCuda(EnergyOptions options, Availability<NvmlApi> nvml) {
        return switch (nvml) {
            case Availability.Unavailable<NvmlApi> u -> Availability.unavailable(u.reason());
            case Availability.Available<NvmlApi> a -> {
                int count;
                try {
                    count = a.value().deviceCount();
                } catch (NvmlApi.NvmlException e) {
                    yield Availability.unavailable(e.getMessage());
                }
                if (count == 0) yield Availability.unavailable("NVML sees no devices");
                List<EnergyMeter> meters = new ArrayList<>();
                for (int d = 0; d < count; d++) meters.add(forCudaDevice(d, options, nvml));
                yield Availability.available(List.copyOf(meters));
            }
        };
    }

    /** The meter for NVML device {@code device}: NVML's, or one that measures nothing and says why. */
    public static EnergyMeter forCudaDevice(int device, EnergyOptions options) {
        return forCudaDevice(device, options, NvmlProviders.open());
    }

    static EnergyMeter forCudaDevice(int device, EnergyOptions options, Availability<NvmlApi> nvml) {
        return switch (nvml) {
            case Availability.Unavailable<NvmlApi> u -> new UnmeasuredMeter("GPU energy not measured: " + u.reason());
            case Availability.Available<NvmlApi> a -> {
                try {
                    yield new NvmlMeter(a.value(), device, options.samplePeriod());
                } catch (NvmlApi.NvmlException e) {
                    yield new UnmeasuredMeter("GPU energy not measured: " + e.getMessage());
                }
            }
        };
    }

    /**
     * The meter for work on the backend named {@code backendName} ("cpu", "cuda"): the CPU's, or NVML's for the GPU
     * the CUDA backend opens (its device 0, which is NVML's {@link #nvmlIndexOfFirstVisibleGpu} device).
     */
    public static EnergyMeter forBackend(String backendName, EnergyOptions options) {
        if (backendName.equals("cuda")) return forCudaDevice(nvmlIndexOfFirstVisibleGpu(System.getenv("CUDA_VISIBLE_DEVICES")), options);
        return forCpu(options);
    }

    /**
     * NVML's number for CUDA's device 0. NVML ignores CUDA_VISIBLE_DEVICES and numbers devices in PCI order; CUDA
     * does too under CUDA_DEVICE_ORDER=PCI_BUS_ID (what {@code edgeq energy compare} sets), so device 0 is the first
     * entry of CUDA_VISIBLE_DEVICES when that is a number, else 0 (a UUID list is not resolved: 0 is assumed).
     */
    static int nvmlIndexOfFirstVisibleGpu(String cudaVisibleDevices) {
        if (cudaVisibleDevices == null || cudaVisibleDevices.isBlank()) return 0;
        String first = cudaVisibleDevices.split(",")[0].strip();
        try {
            int i = Integer.parseInt(first);
            return i >= 0 ? i : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
