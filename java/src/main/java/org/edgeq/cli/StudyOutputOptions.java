package org.edgeq.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** Options every compression command shares for where its rows go: the exports, the results CSV and the evaluation batch. */
final class StudyOutputOptions {

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "256", description = "Samples per forward pass when evaluating (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--out", paramLabel = "DIR", description = "Keep every row's export under DIR, one folder per row named after "
            + "its settings (as below): model.eqz (the compressed weights), model.json, split.json.")
    Path out;

    @Option(names = "--overwrite", description = "Allow --out to replace exports already there.")
    boolean overwrite;

    @Option(names = "--csv", paramLabel = "FILE", description = "Append the rows to this CSV (default: results.csv in --out, else ./results.csv).")
    Path csv;

    /** Refuses option values outside their range; picocli has checked the types already. */
    void validate() {
        if (batchSize < 1) throw new UsageException("--batch-size must be >= 1, got " + batchSize);
    }

    /** Refuses an --out whose row folders already hold exports, unless --overwrite; nothing is written. */
    void checkOut(List<String> rowDirs) {
        StudyOutput.checkOut(out, rowDirs, overwrite);
    }
}
