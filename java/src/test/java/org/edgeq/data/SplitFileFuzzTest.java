package org.edgeq.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.edgeq.fuzz.ReaderProperty;

/** A {@code split.json} ({@link SplitFile}, read for synthetic-blobs of 4000 rows) of any bytes is a split or a one-line refusal (issue 11). */
class SplitFileFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void anySplitFileIsASplitOrAOneLineRefusal(byte[] input) {
        read(input);
    }

    /** Inputs that broke the property, kept until the reader is fixed (issue 11); enable once it is. */
    @FuzzTest
    void knownFindings(byte[] input) {
        read(input);
    }

    private static void read(byte[] input) {
        Path file = ReaderProperty.write("split.json", input);
        ReaderProperty.check(input.length, () -> SplitFile.read(file, "synthetic-blobs", 4000));
    }
}
