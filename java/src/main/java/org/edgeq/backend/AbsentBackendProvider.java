package org.edgeq.backend;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stands in for a backend that ships as a module of its own when that module's jar is not on the class path (the
 * CUDA backend without edgeq-backend-cuda.jar), so that {@code --backend cuda}, auto's fallback line,
 * {@code energy compare} and {@code doctor} say the backend is absent instead of not knowing its name.
 *
 * @param name  the absent provider's {@link BackendProvider#name()}
 * @param title doctor's section heading, as the real provider's diagnostics title it
 * @param rank  the absent provider's rank, so the backends are listed in the same order as with it
 * @param jar   the jar that carries it
 */
record AbsentBackendProvider(String name, String title, int rank, String jar) implements BackendProvider {

    /**
     * The backends the core knows of by name but does not contain. Their ranks repeat the real providers' (the CUDA
     * one's is 100) only for the order in which doctor and energy compare list them.
     */
    static final List<AbsentBackendProvider> MODULES = List.of(new AbsentBackendProvider("cuda", "CUDA", 100, "edgeq-backend-cuda.jar"));

    @Override
    public Optional<String> unavailableReason() {
        return Optional.of(title + " backend module absent: " + jar + " is not on the class path");
    }

    /** Doctor's section: only that the module is absent, under the JSON names the real provider uses for its verdict. */
    @Override
    public Optional<BackendDiagnostics> diagnostics() {
        String reason = unavailableReason().orElseThrow();
        String conclusion = title + " backend unavailable: " + reason;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(name + "_available", false);
        json.put(name + "_reason", reason);
        json.put(name, conclusion);
        return Optional.of(new BackendDiagnostics(title,
                List.of(new BackendDiagnostics.Line("module", "absent (" + jar + " not on the class path)")), json, conclusion));
    }

    @Override
    public Backend create(int threads) {
        throw new IllegalStateException(name + " backend unavailable: " + unavailableReason().orElseThrow());
    }
}
