package org.edgeq.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.edgeq.fuzz.ReaderProperty;

/** The churn CSV ({@link ChurnCsvLoader}) of any bytes is a dataset or a one-line refusal (issue 11). */
class ChurnCsvLoaderFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void anyChurnCsvIsADatasetOrAOneLineRefusal(byte[] input) {
        read(input);
    }

    /** Inputs that broke the property, kept until the reader is fixed (issue 11); enable once it is. */
    @FuzzTest
    void knownFindings(byte[] input) {
        read(input);
    }

    private static void read(byte[] input) {
        Path file = ReaderProperty.write("churn.csv", input);
        ReaderProperty.check(input.length, () -> new ChurnCsvLoader().load(file));
    }
}
