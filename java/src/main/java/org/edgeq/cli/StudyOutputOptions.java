package org.edgeq.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.edgeq.checkpoint.OutputLock;
import org.edgeq.study.CompressionRun;
import org.edgeq.study.ModelUnderStudy;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Options every compression command shares for where its rows go: the exports, the results CSV and the evaluation batch. */
final class StudyOutputOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--eval-batch-size", paramLabel = "N", defaultValue = "256",
            description = "Samples per forward pass when measuring a model (default: ${DEFAULT-VALUE}): the batches of the "
                    + "test pass and of the row's throughput_per_s.")
    int evalBatchSize;

    @Option(names = "--latency-seconds", paramLabel = "S", defaultValue = "${sys:edgeq.latency.seconds:-1}",
            description = "Seconds each row times inference of one sample (batch 1) for latency_ms_p50 and latency_ms_p99, "
                    + "after a warm-up of half that; throughput_per_s is then timed for half that at --eval-batch-size "
                    + "(default: ${DEFAULT-VALUE}).")
    double latencySeconds;

    @Option(names = "--latency-iterations", paramLabel = "N", defaultValue = "${sys:edgeq.latency.iterations:-50}",
            description = "Timed batch-1 runs per row at least, however long they take up to 10 s (default: ${DEFAULT-VALUE}).")
    int latencyIterations;

    /** The batch size before evaluation and training got their own options; refused with which one to use. */
    @Option(names = "--batch-size", paramLabel = "N", hidden = true)
    String oldBatchSize;

    @Option(names = "--out", paramLabel = "DIR", description = "Keep every row's export under DIR, one folder per row named after "
            + "its settings (as below): model.eqz (the compressed weights), model.json, split.json.")
    Path out;

    @Option(names = "--overwrite", description = "Allow --out to replace exports already there.")
    boolean overwrite;

    @Option(names = "--csv", paramLabel = "FILE", description = "Append the rows to this CSV, results schema v2, one row "
            + "written and forced to disk as each finishes (default: results.csv in --out, else ./results.csv).")
    Path csv;

    /** Refuses option values outside their range; picocli has checked the types already. */
    void validate() {
        if (oldBatchSize != null) {
            boolean trains = command != null && command.findOption("--train-batch-size") != null;
            throw new UsageException("--batch-size is not an option of this command: use --eval-batch-size N for the "
                    + "batches that measure the models" + (trains ? " and --train-batch-size N for the training batches" : ""));
        }
        BatchSizes.check("--eval-batch-size", evalBatchSize);
        if (!(latencySeconds >= 0 && latencySeconds <= 3600)) throw new UsageException("--latency-seconds must be 0..3600, got " + latencySeconds);
        if (latencyIterations < 1 || latencyIterations > 1_000_000) {
            throw new UsageException("--latency-iterations must be 1..1000000, got " + latencyIterations);
        }
    }

    /** How each row is measured: these latency settings, throughput at --eval-batch-size, inputs from the test rows. */
    org.edgeq.metrics.MeterOptions meterOptions() {
        return new org.edgeq.metrics.MeterOptions(org.edgeq.metrics.LatencyOptions.of(latencySeconds, latencyIterations),
                evalBatchSize, true, 0);
    }

    /** Refuses an --out whose row folders already hold exports, unless --overwrite; nothing is written. */
    void checkOut(List<String> rowDirs) {
        StudyOutput.checkOut(out, rowDirs, overwrite);
    }

    /**
     * Opens the results CSV (bad header: exit 2) and the run that measures {@code study}'s rows into it, printing each
     * row as it is appended; nothing is written or measured yet.
     */
    CommandRun open(ModelUnderStudy study, CommonOptions common, PrintWriter stdout, PrintWriter err) throws IOException {
        // One run per --out and per CSV: the second is refused here, before anything is measured or written.
        List<OutputLock> locks = new ArrayList<>();
        try {
            if (out != null) locks.add(OutputGuard.lock(command, "--out", out));
            Path csvFile = StudyOutput.csvPath(csv, out);
            locks.add(OutputGuard.lock(command, "--csv", csvFile));
            StudyOutput output = StudyOutput.open(csvFile, stdout, err, common.json);
            CompressionRun rows = new CompressionRun(study, output, out, evalBatchSize, common.seed, meterOptions(), null);
            return new CommandRun(rows, output, study, out, locks);
        } catch (IOException | RuntimeException e) {
            for (OutputLock lock : locks.reversed()) lock.close();
            throw e;
        }
    }
}
