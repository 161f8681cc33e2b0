package org.edgeq.cli;

import org.edgeq.metrics.LatencyOptions;
import org.edgeq.metrics.MeterOptions;
import org.edgeq.study.UnwritableDirectory;
import org.edgeq.study.BaseModels;
import org.edgeq.study.CellExecution;
import org.edgeq.progress.StudyListener;
import org.edgeq.study.StudyRunner;
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

    @Option(names = "--eval-batch-size", paramLabel = "N", defaultValue = "256",
            description = "Samples per forward pass when measuring a model (default: ${DEFAULT-VALUE}).")
    int evalBatchSize;

    @Option(names = "--latency-seconds", paramLabel = "S", defaultValue = "${sys:edgeq.latency.seconds:-1}",
            description = "Seconds each row times batch-1 inference for its latency columns (default: ${DEFAULT-VALUE}).")
    double latencySeconds;

    @Option(names = "--latency-iterations", paramLabel = "N", defaultValue = "${sys:edgeq.latency.iterations:-50}",
            description = "Timed batch-1 runs per row at least (default: ${DEFAULT-VALUE}).")
    int latencyIterations;

    /** Refuses values out of range and an --out that cannot be written, before any work (exit 2). */
    void validate() {
        BatchSizes.check("--eval-batch-size", evalBatchSize);
        if (!(latencySeconds >= 0 && latencySeconds <= 3600)) throw new UsageException("--latency-seconds must be 0..3600, got " + latencySeconds);
        if (latencyIterations < 1 || latencyIterations > 1_000_000) {
            throw new UsageException("--latency-iterations must be 1..1000000, got " + latencyIterations);
        }
        BackendSelection.refuseUnavailable(backend);
        String why = UnwritableDirectory.check(out);
        if (why != null) throw new UsageException("--out " + out + ": " + why);
    }

    MeterOptions meterOptions() {
        return new MeterOptions(LatencyOptions.of(latencySeconds, latencyIterations), evalBatchSize, true, 0);
    }

    /** The runner of this study's cells: base models cached in DIR/models, cells on fresh backends of their share of threads. */
    StudyRunner runner(EnergyCliOptions energy, StudyRunner.Parallelism parallelism, StudyListener listener, PrintWriter log) {
        CliArchitectures architectures = new CliArchitectures();
        CellExecution cells = new CellExecution(new BaseModels(out.resolve("models"), dataDir, architectures), dataDir,
                new CellExecution.Settings(evalBatchSize, meterOptions(), energy.options(), architectures));
        // Each cell opens its own backend; its description would repeat once per cell, so it is not printed.
        return new StudyRunner(cells, threads -> BackendSelection.open(backend, threads, new PrintWriter(PrintWriter.nullWriter())),
                parallelism, listener, log);
    }
}
