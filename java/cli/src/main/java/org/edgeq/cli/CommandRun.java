package org.edgeq.cli;

import org.edgeq.study.CompressionRun;
import org.edgeq.study.ModelUnderStudy;

import org.edgeq.checkpoint.OutputLock;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One compression command's run: the {@link CompressionRun} that measures and records its rows, the output that
 * appends each to the results CSV and prints it, and the command's closing JSON line. It holds the locks on --out and
 * the CSV ({@link OutputGuard}) from its opening until it is closed.
 */
final class CommandRun implements AutoCloseable {
    private final CompressionRun rows;
    private final StudyOutput output;
    private final ModelUnderStudy study;
    private final Path out;
    private final List<OutputLock> locks;

    CommandRun(CompressionRun rows, StudyOutput output, ModelUnderStudy study, Path out, List<OutputLock> locks) {
        this.rows = rows;
        this.output = output;
        this.study = study;
        this.out = out;
        this.locks = locks;
    }

    /** Lets go of --out and the CSV. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (OutputLock lock : locks.reversed()) {
            try {
                lock.close();
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }

    /** The run that measures and records the rows. */
    CompressionRun rows() {
        return rows;
    }

    /** The JSON line's opening fields for a command over {@code --model}: the command, the model, its architecture and dataset. */
    JsonLine head(String command) {
        return new JsonLine().put("command", command).put("model", study.dir.toString())
                .put("architecture", study.description.config().architecture()).put("dataset", study.all.name());
    }

    /** Prints the JSON line (under --json, with --out, the CSV and the rows after {@code head}) or where the CSV went. */
    void finish(JsonLine head) {
        output.finish(head.put("out", out == null ? null : out.toString()));
    }
}
