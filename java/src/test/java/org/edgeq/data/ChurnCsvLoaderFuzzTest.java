package org.edgeq.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Disabled;
import java.nio.file.Path;
import org.edgeq.fuzz.ReaderProperty;

/** The churn CSV ({@link ChurnCsvLoader}) of any bytes is a dataset or a one-line refusal (issue 11). */
class ChurnCsvLoaderFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void anyChurnCsvIsADatasetOrAOneLineRefusal(byte[] input) {
        read(input);
    }

    /** Inputs that broke the property, kept until the reader is fixed (issue 11); enable once it is. */
    @Disabled("finding: a missing churn column lists every header cell unquoted and uncut: a 407-character refusal (defect 10, CsvTable.column, readers helper)")
    @FuzzTest
    void knownFindings(byte[] input) {
        read(input);
    }

    private static void read(byte[] input) {
        Path file = ReaderProperty.write("churn.csv", input);
        ReaderProperty.check(input.length, () -> new ChurnCsvLoader().load(file));
    }
}
