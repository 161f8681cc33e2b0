package org.edgeq.backend.cpu;

import org.edgeq.backend.Backend;
import org.edgeq.backend.BackendProvider;

import java.util.Optional;

/** Makes the CPU backend discoverable; it runs everywhere, so it ranks lowest and is never unavailable. */
public final class CpuBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int rank() {
        return 0;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    /** {@code threads <= 0} means one thread per available processor. */
    @Override
    public Backend create(int threads) {
        return new CpuBackend(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
    }
}
