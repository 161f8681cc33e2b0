package org.edgeq.backend;

import java.util.Optional;

/**
 * Makes {@link HostDeviceSimulationBackend} a backend the command line can pick, in tests only (registered in the
 * test resources): while the system property {@value #ENABLE} is "true" it is available and ranks between the CPU
 * and CUDA, so {@code --backend auto} picks it here; otherwise it is unavailable and ranks below the CPU, so
 * nothing ever chooses it.
 */
public final class HostDeviceSimulationProvider implements BackendProvider {
    public static final String ENABLE = "edgeq.test.deviceSimulation";

    private static boolean enabled() {
        return Boolean.getBoolean(ENABLE);
    }

    @Override
    public String name() {
        return "host-device-simulation";
    }

    @Override
    public int rank() {
        return enabled() ? 50 : -1;
    }

    @Override
    public Optional<String> unavailableReason() {
        return enabled() ? Optional.empty() : Optional.of("test-only backend, enabled by -D" + ENABLE + "=true");
    }

    @Override
    public Backend create(int threads) {
        return new HostDeviceSimulationBackend(threads > 0 ? threads : 2);
    }
}
