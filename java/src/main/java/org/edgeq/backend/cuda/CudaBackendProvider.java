package org.edgeq.backend.cuda;

import org.edgeq.backend.Backend;
import org.edgeq.backend.BackendProvider;

import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/** Makes the CUDA backend discoverable; ranks above the CPU and says precisely why it cannot run when it cannot. */
public final class CudaBackendProvider implements BackendProvider {

    private final Supplier<CudaEnvironment> environment;
    private final IntFunction<Backend> opener;

    /** The provider ServiceLoader creates: it probes this machine. */
    public CudaBackendProvider() {
        this(CudaEnvironment::probe);
    }

    /** A provider that sees the given environment (tests inject each combination of probe results). */
    public CudaBackendProvider(Supplier<CudaEnvironment> environment) {
        this(environment, CudaBackend::open);
    }

    /** A provider with the given environment that opens backends with {@code opener} (given the device ordinal). */
    CudaBackendProvider(Supplier<CudaEnvironment> environment, IntFunction<Backend> opener) {
        this.environment = environment;
        this.opener = opener;
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

    /**
     * Opens a {@link CudaBackend} on device 0 with the AUTO GEMM engine. {@code threads} is ignored: the host side
     * only enqueues work on one stream.
     */
    @Override
    public Backend create(int threads) {
        Optional<String> reason = unavailableReason();
        if (reason.isPresent()) throw new IllegalStateException("cuda backend unavailable: " + reason.get());
        return opener.apply(0);
    }
}
