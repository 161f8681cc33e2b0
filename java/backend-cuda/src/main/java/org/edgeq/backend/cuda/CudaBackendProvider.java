package org.edgeq.backend.cuda;

import org.edgeq.backend.Backend;
import org.edgeq.backend.BackendDiagnostics;
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

    /** Names the GEMM engine the provider's backends use: {@code -Dedgeq.cuda.gemm=kernel|cublaslt|auto}. */
    public static final String GEMM_ENGINE_PROPERTY = "edgeq.cuda.gemm";

    /** A provider that sees the given environment (tests inject each combination of probe results). */
    public CudaBackendProvider(Supplier<CudaEnvironment> environment) {
        this(environment, device -> new CudaBackend(device, gemmEngine(System.getProperty(GEMM_ENGINE_PROPERTY, "auto"))));
    }

    /** The engine a property value names (case-insensitive); IllegalArgumentException listing the choices otherwise. */
    static GemmEngine gemmEngine(String value) {
        for (GemmEngine e : GemmEngine.values()) {
            if (e.name().equalsIgnoreCase(value.trim())) return e;
        }
        throw new IllegalArgumentException("-D" + GEMM_ENGINE_PROPERTY + "=" + value + ": expected kernel, cublaslt or auto");
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

    /** The GPUs the CUDA runtime reports (after CUDA_VISIBLE_DEVICES), from a fresh probe. */
    @Override
    public int deviceCount() {
        return environment.get().devices() instanceof CudaDevices.Found f ? f.count() : 0;
    }

    /** Libraries, devices and the first blocking reason, from a fresh probe of this machine. */
    @Override
    public Optional<BackendDiagnostics> diagnostics() {
        return Optional.of(CudaDiagnostics.of(environment.get()));
    }

    /**
     * Opens a {@link CudaBackend} on device 0 with the GEMM engine {@value #GEMM_ENGINE_PROPERTY} names (AUTO by
     * default). {@code threads} is ignored: the host side only enqueues work on one stream.
     */
    @Override
    public Backend create(int threads) {
        Optional<String> reason = unavailableReason();
        if (reason.isPresent()) throw new IllegalStateException("cuda backend unavailable: " + reason.get());
        return opener.apply(0);
    }
}
