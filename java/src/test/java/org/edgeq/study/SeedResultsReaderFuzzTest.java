package org.edgeq.study;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.edgeq.fuzz.ReaderProperty;

/** One of the seed study's own results tables ({@link SeedResultsReader}) of any bytes is rows or a one-line refusal (issue 11). */
class SeedResultsReaderFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void anySeedResultsTableIsRowsOrAOneLineRefusal(byte[] input) {
        Path file = ReaderProperty.write("seed-results.csv", input);
        ReaderProperty.check(input.length, () -> SeedResultsReader.read(file));
    }
}
