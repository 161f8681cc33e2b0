package org.edgeq.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
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

/**
 * Options every compression command shares for its rows: how they are measured (evaluation batch, latency, energy)
 * and where they go (the exports, the results CSV).
 */
final class StudyOutputOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    // Made here as well as by picocli, so that the options can be set up by hand without a command line.
    @Mixin
    MeasurementOptions measurement = new MeasurementOptions();

    @Mixin
    EnergyCliOptions energy;

    /** The batch size before evaluation and training got their own options: refused while parsing, naming which to use. */
    @Option(names = "--batch-size", paramLabel = "N", hidden = true)
    void refuseOldBatchSize(String value) {
        if (value == null) return;
        boolean trains = command.findOption("--train-batch-size") != null;
        throw new CommandLine.ParameterException(command.commandLine(), "--batch-size is not an option of this command: use "
                + "--eval-batch-size N for the batches that measure the models" + (trains ? " and --train-batch-size N for the training batches" : ""));
    }

    @Option(names = "--out", paramLabel = "DIR", description = "Keep every row's export under DIR, one folder per row named after "
            + "its settings (as below): model.eqz (the compressed weights), model.json, split.json.")
    Path out;

    @Option(names = "--overwrite", description = "Allow --out to replace exports already there.")
    boolean overwrite;

    @Option(names = "--csv", paramLabel = "FILE", description = "Append the rows to this CSV, results schema v2, one row "
            + "written and forced to disk as each finishes (default: results.csv in --out, else ./results.csv).")
    Path csv;

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
            CompressionRun rows = new CompressionRun(study, output, out, measurement.evalBatchSize, common.seed,
                    measurement.meterOptions(), null);
            return new CommandRun(rows, output, study, out, locks);
        } catch (IOException | RuntimeException e) {
            for (OutputLock lock : locks.reversed()) lock.close();
            throw e;
        }
    }
}
