package org.edgeq.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.edgeq.fuzz.ReaderProperty;

/** A CIFAR binary batch ({@link CifarLoader}; the first byte picks CIFAR-10, CIFAR-100 fine or coarse) of any bytes is a dataset or a one-line refusal (issue 11). */
class CifarLoaderFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void anyCifarBatchIsADatasetOrAOneLineRefusal(byte[] input) {
        CifarLoader.Variant variant = CifarLoader.Variant.values()[input.length == 0 ? 0 : (input[0] & 0xff) % 3];
        Path file = ReaderProperty.write("cifar/data_batch_1.bin", Arrays.copyOfRange(input, Math.min(1, input.length), input.length));
        ReaderProperty.check(input.length, () -> new CifarLoader(variant).load("cifar", List.of(file)));
    }
}
