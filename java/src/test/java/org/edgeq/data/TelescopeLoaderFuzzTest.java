package org.edgeq.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.edgeq.fuzz.ReaderProperty;

/** A MAGIC telescope {@code .dat} ({@link TelescopeLoader}) of any bytes is a dataset or a one-line refusal (issue 11). */
class TelescopeLoaderFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void anyTelescopeFileIsADatasetOrAOneLineRefusal(byte[] input) {
        read(input);
    }

    /** Inputs that broke the property, kept until the reader is fixed (issue 11); enable once it is. */
    @FuzzTest
    void knownFindings(byte[] input) {
        read(input);
    }

    private static void read(byte[] input) {
        Path file = ReaderProperty.write("telescope.dat", input);
        ReaderProperty.check(input.length, () -> new TelescopeLoader().load(file));
    }
}
