package org.edgeq.energy;

/**
 * Opens NVML for the GPU energy meters. The core cannot load NVML itself: the CUDA backend's module does (it loads
 * libnvidia-ml.so.1 as it loads its own libraries) and registers an implementation under
 * {@code META-INF/services/org.edgeq.energy.NvmlProvider}, found with {@link java.util.ServiceLoader} as backends
 * are; without that module GPU energy is unmeasured and says why.
 */
public interface NvmlProvider {

    /** NVML ready to call, or one line saying why not (library missing, nvmlInit failing). */
    Availability<NvmlApi> open();
}
