package org.edgeq.study;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.edgeq.fuzz.ReaderProperty;

/** A results CSV ({@link ResultsCsv#read}, and {@link ResultsCsv#open} for appending, whose refusal the commands turn into a bad-input line) of any bytes is rows or a one-line refusal (issue 11). */
class ResultsCsvFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void anyResultsCsvIsRowsOrAOneLineRefusal(byte[] input) {
        Path file = ReaderProperty.write("results.csv", input);
        ReaderProperty.check(input.length, () -> ResultsCsv.read(file));
        ReaderProperty.check(input.length, () -> {
            try {
                return ResultsCsv.open(file, notice -> { });
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage(), e);
            }
        });
    }
}
