package org.edgeq.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Disabled;
import java.nio.file.Path;
import org.edgeq.fuzz.ReaderProperty;

/** A KEEL {@code .dat} ({@link KeelLoader}) of any bytes is a dataset or a one-line refusal (issue 11). */
class KeelLoaderFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void anyKeelFileIsADatasetOrAOneLineRefusal(byte[] input) {
        read(input);
    }

    /** Inputs that broke the property, kept until the reader is fixed (issue 11); enable once it is. */
    @Disabled("finding: non-UTF-8 bytes end in MalformedInputException \"Input length = 1\" (defect 9, readers helper)")
    @FuzzTest
    void knownFindings(byte[] input) {
        read(input);
    }

    private static void read(byte[] input) {
        Path file = ReaderProperty.write("keel.dat", input);
        ReaderProperty.check(input.length, () -> new KeelLoader().load(file));
    }
}
