package org.edgeq.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.edgeq.fuzz.ReaderProperty;

import java.nio.file.Path;

/** A generic CSV ({@link CsvLoader}, target column "y") of any bytes is a dataset or a one-line refusal (issue 11). */
class CsvLoaderFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void anyCsvIsADatasetOrAOneLineRefusal(byte[] input) {
        Path file = ReaderProperty.write("data.csv", input);
        ReaderProperty.check(input.length, () -> new CsvLoader("y", null).load(file));
    }
}
