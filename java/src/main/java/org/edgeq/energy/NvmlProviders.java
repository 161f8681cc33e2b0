package org.edgeq.energy;

import java.util.ServiceLoader;

/** Finds NVML through the {@link NvmlProvider} on the class path, or says that the module providing it is absent. */
final class NvmlProviders {

    /** Why there is no NVML when no provider is registered: the CUDA backend's module carries the only one. */
    static final String ABSENT = "GPU energy needs the CUDA backend module: edgeq-backend-cuda.jar is not on the class path";

    private NvmlProviders() {
    }

    /** The first registered provider's NVML (there is one, in the CUDA backend's module), else {@link #ABSENT}. */
    static Availability<NvmlApi> open() {
        return ServiceLoader.load(NvmlProvider.class).findFirst()
                .map(NvmlProvider::open)
                .orElseGet(() -> Availability.unavailable(ABSENT));
    }
}
