package org.edgeq.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.edgeq.fuzz.ReaderProperty;

/** A KEEL {@code .dat} ({@link KeelLoader}) of any bytes is a dataset or a one-line refusal (issue 11). */
class KeelLoaderFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void anyKeelFileIsADatasetOrAOneLineRefusal(byte[] input) {
        read(input);
    }

    /** Inputs that broke the property, kept until the reader is fixed (issue 11); enable once it is. */
    @FuzzTest
    void knownFindings(byte[] input) {
        read(input);
    }

    private static void read(byte[] input) {
        Path file = ReaderProperty.write("keel.dat", input);
        ReaderProperty.check(input.length, () -> new KeelLoader().load(file));
    }
}
