package org.edgeq.backend;

import java.util.Optional;

/**
 * Finds and creates one kind of backend; providers are discovered with {@link java.util.ServiceLoader} so the
 * API never imports an engine (the CUDA backend is found, not hard-wired).
 */
public interface BackendProvider {

    /** Name used with {@code --backend}, e.g. "cpu" or "cuda". */
    String name();

    /** Higher ranks win when {@code --backend auto} chooses. */
    int rank();

    /** Empty when the backend can run here, else one line saying why not (missing library, no device...). */
    Optional<String> unavailableReason();

    /** Devices this backend can run on here (each CUDA GPU; 1 for the CPU); asked only when it is available. */
    default int deviceCount() {
        return 1;
    }

    /**
     * What {@code edgeq doctor} shows about this backend beyond available / unavailable (libraries, devices, the
     * first blocking reason); empty when there is nothing more to say. Probes the machine afresh.
     */
    default Optional<BackendDiagnostics> diagnostics() {
        return Optional.empty();
    }

    /** Creates the backend; call only when {@link #unavailableReason()} is empty. */
    Backend create(int threads);
}
