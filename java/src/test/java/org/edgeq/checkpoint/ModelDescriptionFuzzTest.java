package org.edgeq.checkpoint;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.edgeq.fuzz.ReaderProperty;

/** A {@code model.json} ({@link Checkpoint#readDescription}: {@link ModelDescription} with its {@link TrainingMetadata}) of any bytes is a description or a one-line refusal (issue 11). */
class ModelDescriptionFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void anyModelJsonIsADescriptionOrAOneLineRefusal(byte[] input) {
        read(input);
    }

    /** Inputs that broke the property, kept until the reader is fixed (issue 11); enable once it is. */
    @FuzzTest
    void knownFindings(byte[] input) {
        read(input);
    }

    private static void read(byte[] input) {
        Path dir = ReaderProperty.scratch().resolve("model-json");
        ReaderProperty.write("model-json/" + Checkpoint.DESCRIPTION, input);
        ReaderProperty.check(input.length, () -> Checkpoint.readDescription(dir));
    }
}
