package org.edgeq.backend.cuda;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;

/**
 * The gate of every {@code gpu}-tagged test class: skips its tests, with the provider's own reason as the message,
 * when the CUDA backend cannot run here. Under {@code -Pgpu} (system property {@code edgeq.requireGpu=true}) a missing
 * GPU fails instead, so a GPU run cannot pass by skipping everything.
 */
final class GpuAssumptions {
    private GpuAssumptions() {
    }

    static final String REQUIRE_PROPERTY = "edgeq.requireGpu";

    private static Optional<String> reason;

    /** The provider's reason, probed once per test JVM (the probe loads libraries). */
    static synchronized Optional<String> unavailableReason() {
        if (reason == null) reason = new CudaBackendProvider().unavailableReason();
        return reason;
    }

    static void requireCuda() {
        Optional<String> reason = unavailableReason();
        if (reason.isPresent() && Boolean.getBoolean(REQUIRE_PROPERTY)) {
            fail("the gpu suite was asked for (-P gpu / -D" + REQUIRE_PROPERTY + "=true) but CUDA cannot run: " + reason.get());
        }
        assumeTrue(reason.isEmpty(), () -> reason.orElse(""));
    }
}
