package org.edgeq.cli;

import org.edgeq.backend.Backend;
import org.edgeq.backend.BackendProvider;
import org.edgeq.backend.Backends;

import java.io.PrintWriter;
import java.util.function.Supplier;

/** Opens the backend {@code --backend} asks for and says on stderr which one runs and why others were skipped. */
final class BackendSelection {
    private BackendSelection() {
    }

    /** Refuses, before any data is read, a backend named explicitly that cannot run here; {@code auto} always can. */
    static void refuseUnavailable(BackendChoice backend) {
        if (backend != BackendChoice.AUTO) choose(backend);
    }

    /** Whether {@code backend} picks a GPU backend here (auto: when one is available). */
    static boolean isGpu(BackendChoice backend) {
        return choose(backend).isGpu();
    }

    /** Opens {@code backend} with {@code threads} CPU threads (0: one per processor), saying so on {@code err}. */
    static Backend open(BackendChoice backend, int threads, PrintWriter err) {
        return open(choose(backend), backend == BackendChoice.AUTO, threads, err, () -> Backends.choose("cpu").provider());
    }

    static Backend open(CommonOptions options, PrintWriter err) {
        return open(choose(options.backend), options.backend == BackendChoice.AUTO, options.threads, err,
                () -> Backends.choose("cpu").provider());
    }

    /**
     * Creates the chosen backend. Under {@code auto} a backend that passed its probe but fails to open (a GPU whose
     * library cannot start, say) gives way to {@code fallback} with a one-line reason, since auto promises a backend
     * that runs; a backend named explicitly fails as it is.
     */
    static Backend open(Backends.Choice choice, boolean auto, int threads, PrintWriter err, Supplier<BackendProvider> fallback) {
        for (String skipped : choice.skipped()) err.println("backend: " + skipped + "; using " + choice.provider().name());
        Backend backend;
        try {
            backend = choice.provider().create(threads);
        } catch (RuntimeException e) {
            BackendProvider other = auto ? fallback.get() : null;
            if (other == null || other.name().equals(choice.provider().name())) throw e;
            err.println("backend: " + choice.provider().name() + " failed to open (" + e.getMessage() + "); using " + other.name());
            backend = other.create(threads);
        }
        err.println("backend: " + backend.description());
        return backend;
    }

    private static Backends.Choice choose(BackendChoice backend) {
        try {
            return Backends.choose(backend.cliName());
        } catch (IllegalStateException e) {
            throw new UsageException("--backend " + backend + ": " + e.getMessage());
        }
    }
}
