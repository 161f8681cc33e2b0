package org.edgeq.backend.cuda;

import org.edgeq.backend.Backend;
import org.edgeq.backend.BackendProvider;

import java.util.Optional;
import java.util.function.Supplier;

/** Makes the CUDA backend discoverable; ranks above the CPU and says precisely why it cannot run when it cannot. */
public final class CudaBackendProvider implements BackendProvider {

    private final Supplier<CudaEnvironment> environment;

    /** The provider ServiceLoader creates: it probes this machine. */
    public CudaBackendProvider() {
        this(CudaEnvironment::probe);
    }

    /** A provider that sees the given environment (tests inject each combination of probe results). */
    public CudaBackendProvider(Supplier<CudaEnvironment> environment) {
        this.environment = environment;
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int rank() {
        return 100;
    }

    @Override
    public Optional<String> unavailableReason() {
        return environment.get().blockingReason();
    }

    @Override
    public Backend create(int threads) {
        String reason = unavailableReason().orElse(CudaEnvironment.NOT_IMPLEMENTED);
        throw new IllegalStateException("cuda backend unavailable: " + reason);
    }
}
