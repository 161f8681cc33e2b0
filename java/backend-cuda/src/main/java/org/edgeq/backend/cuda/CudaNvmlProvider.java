package org.edgeq.backend.cuda;

import org.edgeq.energy.Availability;
import org.edgeq.energy.NvmlApi;
import org.edgeq.energy.NvmlProvider;

/**
 * Gives the core's GPU energy meters NVML ({@link NvmlBindings}); registered under
 * {@code META-INF/services/org.edgeq.energy.NvmlProvider}, so the core finds it without importing this package.
 */
public final class CudaNvmlProvider implements NvmlProvider {

    /** NVML opened once per JVM, or why it cannot be (libnvidia-ml.so.1 missing, nvmlInit failing). */
    @Override
    public Availability<NvmlApi> open() {
        return NvmlBindings.open();
    }
}
