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
        Backend backend;
        try {
            backend = choice.provider().create(options.threads);
        } catch (RuntimeException e) {
            // auto promises a backend that runs: a GPU that passed the probe but fails to open gives way to the CPU.
            if (options.backend != BackendChoice.AUTO || choice.provider().name().equals("cpu")) throw e;
            err.println("backend: " + choice.provider().name() + " failed to open (" + e.getMessage() + "); using cpu");
            backend = Backends.choose("cpu").provider().create(options.threads);
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
