package org.edgeq.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** Looks backends up by name, or picks the best available one for {@code auto} and says why others were skipped. */
public final class Backends {
    private Backends() {
    }

    /**
     * Every provider on the class path, best rank first, and for each backend module whose jar is absent (the CUDA
     * backend's) a stand-in that says so.
     */
    public static List<BackendProvider> providers() {
        List<BackendProvider> all = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(all::add);
        for (AbsentBackendProvider absent : AbsentBackendProvider.MODULES) {
            if (all.stream().noneMatch(p -> p.name().equals(absent.name()))) all.add(absent);
        }
        all.sort(Comparator.comparingInt(BackendProvider::rank).reversed());
        return all;
    }

    /** The outcome of choosing a backend: the provider chosen and, per provider passed over, "name unavailable (reason)". */
    public record Choice(BackendProvider provider, List<String> skipped) {
        /** Whether the chosen backend is a GPU's (any but the CPU's): a study then runs one cell at a time. */
        public boolean isGpu() {
            return !provider.name().equals("cpu");
        }
    }

    /**
     * Resolves {@code name} ("auto" or a provider name). Throws IllegalArgumentException for an unknown name and
     * IllegalStateException with the provider's reason when the named backend cannot run here.
     */
    public static Choice choose(String name) {
        List<BackendProvider> all = providers();
        List<String> skipped = new ArrayList<>();
        if (name.equals("auto")) {
            for (BackendProvider p : all) {
                var reason = p.unavailableReason();
                if (reason.isEmpty()) return new Choice(p, skipped);
                skipped.add(p.name() + " unavailable (" + reason.get() + ")");
            }
            throw new IllegalStateException("no backend available: " + String.join("; ", skipped));
        }
        for (BackendProvider p : all) {
            if (p.name().equals(name)) {
                var reason = p.unavailableReason();
                if (reason.isPresent()) throw new IllegalStateException(name + " backend unavailable: " + reason.get());
                return new Choice(p, skipped);
            }
        }
        throw new IllegalArgumentException("unknown backend '" + name + "' (known: auto, "
                + String.join(", ", all.stream().map(BackendProvider::name).toList()) + ")");
    }
}
