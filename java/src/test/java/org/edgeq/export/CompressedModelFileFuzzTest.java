package org.edgeq.export;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.edgeq.fuzz.ReaderProperty;

/** A {@code model.eqz} ({@link CompressedModelFile#read}, then every tensor decoded) of any bytes is a model or a one-line refusal (issue 11). */
class CompressedModelFileFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void anyEqzFileIsAModelOrAOneLineRefusal(byte[] input) {
        read(input);
    }

    /** Inputs that broke the property, kept until the reader is fixed (issue 11); enable once it is. */
    @FuzzTest
    void knownFindings(byte[] input) {
        read(input);
    }

    private static void read(byte[] input) {
        Path file = ReaderProperty.write(CompressedModelFile.FILE_NAME, input);
        ReaderProperty.check(input.length, () -> CompressedModelFile.read(file).decodeAll());
    }
}
