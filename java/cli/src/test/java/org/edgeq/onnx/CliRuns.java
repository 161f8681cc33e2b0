package org.edgeq.onnx;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.edgeq.cli.ExitCodes;
import org.edgeq.cli.Main;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The CLI run in-process for the export tests: a command's exit code and output, and a quick training run. */
final class CliRuns {
    private CliRuns() {
    }

    record Run(int code, String out, String err) {
    }

    static Run edgeq(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code edgeq train} for one epoch on the CPU (no warm-up) into {@code out}; {@code more} adds options (e.g. --limit). */
    static Path train(Path out, String dataset, String model, String... more) {
        return train(out, dataset, model, 1, more);
    }

    /** As {@link #train(Path, String, String, String...)} for {@code epochs} epochs. */
    static Path train(Path out, String dataset, String model, int epochs, String... more) {
        String[] args = Stream.concat(Stream.of("train", "--dataset", dataset, "--model", model, "--epochs", String.valueOf(epochs), "--warm-up", "0",
                "--backend", "cpu", "--out", out.toString()), Stream.of(more)).toArray(String[]::new);
        Run r = edgeq(args);
        assertEquals(ExitCodes.OK, r.code(), r.err());
        return out;
    }
}
