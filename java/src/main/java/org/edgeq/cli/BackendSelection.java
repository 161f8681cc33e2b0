package org.edgeq.cli;

import org.edgeq.backend.Backend;
import org.edgeq.backend.Backends;

import java.io.PrintWriter;

/** Opens the backend {@code --backend} asks for and says on stderr which one runs and why others were skipped. */
final class BackendSelection {
    private BackendSelection() {
    }

    static Backend open(CommonOptions options, PrintWriter err) {
        Backends.Choice choice;
        try {
            choice = Backends.choose(options.backend.cliName());
        } catch (IllegalStateException e) {
            throw new UsageException("--backend " + options.backend + ": " + e.getMessage());
        }
        for (String skipped : choice.skipped()) err.println("backend: " + skipped + "; using " + choice.provider().name());
        Backend backend = choice.provider().create(options.threads);
        err.println("backend: " + backend.description());
        return backend;
    }
}
