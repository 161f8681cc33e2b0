package org.edgeq.study;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.edgeq.fuzz.ReaderProperty;

/** A results CSV ({@link ResultsCsv#read}, and {@link ResultsCsv#open} for appending, whose refusal the commands turn into a bad-input line) of any bytes is rows or a one-line refusal (issue 11). */
class ResultsCsvFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void anyResultsCsvIsRowsOrAOneLineRefusal(byte[] input) {
        Path file = ReaderProperty.write("results.csv", input);
        ReaderProperty.check(input.length, () -> ResultsCsv.read(file));
        try {
            ReaderProperty.check(input.length, () -> {
                try {
                    return ResultsCsv.open(file, notice -> { });
                } catch (IllegalArgumentException e) {
                    throw new BadInputException(e.getMessage(), e);
                }
            });
        } finally {
            deleteTornFile(file);
        }
    }

    /** open moves a cut-off last row to results.csv.torn, appending: removed after each run so it cannot grow. */
    private static void deleteTornFile(Path file) {
        try {
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".torn"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
