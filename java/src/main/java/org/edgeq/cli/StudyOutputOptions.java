package org.edgeq.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;

/** Options every compression command shares for where its rows go: the exports, the results CSV and the evaluation batch. */
final class StudyOutputOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--eval-batch-size", paramLabel = "N", defaultValue = "256",
            description = "Samples per forward pass when measuring a model (default: ${DEFAULT-VALUE}); the median time "
                    + "of one such batch over the test split is the row's latency_ms_p50.")
    int evalBatchSize;

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
        if (evalBatchSize < 1) throw new UsageException("--eval-batch-size must be >= 1, got " + evalBatchSize);
    }

    /** Refuses an --out whose row folders already hold exports, unless --overwrite; nothing is written. */
    void checkOut(List<String> rowDirs) {
        StudyOutput.checkOut(out, rowDirs, overwrite);
    }
}
