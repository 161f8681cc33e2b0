package org.edgeq.checkpoint;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.edgeq.fuzz.ReaderProperty;
import org.edgeq.tensor.TensorScope;

/** A {@code model.safetensors} ({@link SafetensorsReader}: header, then every tensor read) of any bytes is tensors or a one-line refusal (issue 11). */
class SafetensorsReaderFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void anySafetensorsFileIsTensorsOrAOneLineRefusal(byte[] input) {
        Path file = ReaderProperty.write("model.safetensors", input);
        ReaderProperty.check(input.length, () -> {
            SafetensorsReader reader = SafetensorsReader.open(file);
            try (TensorScope scope = new TensorScope()) {
                reader.readAll(scope);
                if (scope.hostBytes() > input.length) {
                    throw new AssertionError("finding: " + scope.hostBytes() + " bytes of tensors from a " + input.length + "-byte file");
                }
                return scope.hostBytes();
            }
        });
    }
}
