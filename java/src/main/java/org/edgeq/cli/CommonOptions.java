package org.edgeq.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options every command that trains or evaluates shares (mixed into each command). */
public final class CommonOptions {

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
            description = "Compute backend: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; auto picks the best "
                    + "available one and says on stderr why others were skipped).")
    BackendChoice backend;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Worker threads of the CPU backend (default: one per available processor).")
    int threads;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the split, initial weights, shuffling and dropout (default: ${DEFAULT-VALUE}). "
                    + "The same seed gives the same run on the CPU backend.")
    long seed;

    @Option(names = "--json",
            description = "Print the figures as one JSON object on the last line of stdout (for scripts and CI).")
    boolean json;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where named datasets live (default: the first of $EDGEQ_DATA, ./data, /usr/share/datasets, ../shared/data that holds the dataset).")
    Path dataDir;

    /** Refuses option values outside their range; picocli has checked the types already. */
    void validate() {
        if (threads < 0 || threads > 4096) throw new UsageException("--threads must be 0 (auto) or 1..4096, got " + threads);
        BackendSelection.refuseUnavailable(backend);
    }
}
