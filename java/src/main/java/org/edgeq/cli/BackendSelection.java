package org.edgeq.cli;

import org.edgeq.backend.Backend;
import org.edgeq.backend.Backends;

import java.io.PrintWriter;

/** Opens the backend {@code --backend} asks for and says on stderr which one runs and why others were skipped. */
final class BackendSelection {
    private BackendSelection() {
    }

    /** Refuses, before any data is read, a backend named explicitly that cannot run here; {@code auto} always can. */
    static void refuseUnavailable(BackendChoice backend) {
        if (backend != BackendChoice.AUTO) choose(backend);
    }

    static Backend open(CommonOptions options, PrintWriter err) {
        Backends.Choice choice = choose(options.backend);
        for (String skipped : choice.skipped()) err.println("backend: " + skipped + "; using " + choice.provider().name());
        Backend backend = choice.provider().create(options.threads);
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
