package org.edgeq.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options every command that trains or evaluates shares (mixed into each command). */
public final class CommonOptions {

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
            description = "Compute backend: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; auto picks the best "
                    + "available one and says on stderr why others were skipped).")
    BackendChoice backend;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", converter = Ranges.Threads.class,
            description = "Worker threads of the CPU backend (default: one per available processor).")
    int threads;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Random seed of the split, initial weights, shuffling and dropout (default: ${DEFAULT-VALUE}). "
                    + "The same seed gives the same run on the CPU backend.")
    long seed;

    @Option(names = "--json",
            description = "Print the figures as one JSON object on the last line of stdout (for scripts and CI).")
    boolean json;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where named datasets live (default: the first of $EDGEQ_DATA, ./data, /usr/share/datasets, ../shared/data that holds the dataset).")
    Path dataDir;

    /** Refuses a backend this machine cannot run; picocli has checked the types and ranges already. */
    void validate() {
        BackendSelection.refuseUnavailable(backend);
    }
}
