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

    /** Creates the backend; call only when {@link #unavailableReason()} is empty. */
    Backend create(int threads);
}
