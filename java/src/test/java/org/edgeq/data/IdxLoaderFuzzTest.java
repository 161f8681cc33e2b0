package org.edgeq.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.Arrays;
import org.edgeq.fuzz.ReaderProperty;

/** An IDX image and label file pair ({@link IdxLoader}, either gzipped or not) of any bytes is a dataset or a one-line refusal (issue 11). */
class IdxLoaderFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void anyIdxPairIsADatasetOrAOneLineRefusal(byte[] input) {
        // The first byte is the length of the label file, the next that many bytes are it, the rest is the image file.
        int labelBytes = input.length == 0 ? 0 : Math.min(input[0] & 0xff, input.length - 1);
        Path labels = ReaderProperty.write("idx/labels-idx1-ubyte", Arrays.copyOfRange(input, Math.min(1, input.length), 1 + labelBytes));
        Path images = ReaderProperty.write("idx/images-idx3-ubyte", Arrays.copyOfRange(input, Math.min(input.length, 1 + labelBytes), input.length));
        ReaderProperty.check(input.length, () -> new IdxLoader().load("idx", images, labels, null));
    }
}
