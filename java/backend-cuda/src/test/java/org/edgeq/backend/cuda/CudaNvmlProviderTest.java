package org.edgeq.backend.cuda;

import org.edgeq.energy.Availability;
import org.edgeq.energy.EnergyMeter;
import org.edgeq.energy.EnergyMeters;
import org.edgeq.energy.EnergyOptions;
import org.edgeq.energy.EnergyReading;
import org.edgeq.energy.NvmlApi;
import org.edgeq.energy.NvmlProvider;
import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The core's GPU energy meters find NVML through this module's {@link CudaNvmlProvider}, loaded as the backend loads. */
class CudaNvmlProviderTest {

    @Test
    void theCoreFindsThisModulesNvmlProvider() {
        NvmlProvider found = ServiceLoader.load(NvmlProvider.class).findFirst().orElseThrow();
        assertInstanceOf(CudaNvmlProvider.class, found);
    }

    @Test
    void onThisMachineNvmlIsAbsentAndTheGpuMeterSaysWhy() {
        // libnvidia-ml.so.1 is not installed here; loading goes through CudaLibraries as the CUDA backend's does.
        if (new CudaNvmlProvider().open() instanceof Availability.Available<NvmlApi>) return; // a machine with a GPU: nothing to say
        EnergyMeter m = EnergyMeters.forCudaDevice(0, EnergyOptions.defaults());
        assertTrue(m.describe().contains("libnvidia-ml.so.1 not found (NVML)"), m.describe());
        EnergyReading r = m.start().stop();
        assertTrue(Double.isNaN(r.joules()));
        assertEquals("none", r.source());
    }
}
