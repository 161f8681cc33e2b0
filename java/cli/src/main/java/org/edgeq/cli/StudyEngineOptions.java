package org.edgeq.cli;

import org.edgeq.study.UnwritableDirectory;
import org.edgeq.study.CellExecution;
import org.edgeq.progress.StudyListener;
import org.edgeq.study.StudyRunner;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

import java.nio.file.Path;

/** Where a study's files go and how its cells run and are measured: the options edgeq study and run-cell share. */
final class StudyEngineOptions {

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "study-out",
            description = "The study's folder: results.csv, results.json, the report, models/ (the trained base models), "
                    + "cells/ (run-cell's files) (default: ${DEFAULT-VALUE}). Rerunning with the same DIR resumes.")
    Path out;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
            description = "Compute backend: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). A GPU runs one cell at a time.")
    BackendChoice backend;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where named datasets live (default: $EDGEQ_DATA, else ./data, else ../shared/data).")
    Path dataDir;

    @Mixin
    MeasurementOptions measurement;

    /** Refuses a backend this machine cannot run and an --out that cannot be written, before any work (exit 2). */
    void validate() {
        BackendSelection.refuseUnavailable(backend);
        String why = UnwritableDirectory.check(out);
        if (why != null) throw new UsageException("--out " + out + ": " + why);
    }

    /** The runner of this study's cells: base models cached in DIR/models, cells on fresh backends of their share of threads. */
    StudyRunner runner(EnergyCliOptions energy, StudyRunner.Parallelism parallelism, StudyListener listener, PrintWriter log) {
        CellExecution cells = CellExecution.inFolder(out, dataDir, measurement.evalBatchSize, measurement.meterOptions(), energy.options());
        // Each cell opens its own backend; its description would repeat once per cell, so it is not printed.
        return new StudyRunner(cells, threads -> BackendSelection.open(backend, threads, new PrintWriter(PrintWriter.nullWriter())),
                parallelism, listener, log);
    }
}
