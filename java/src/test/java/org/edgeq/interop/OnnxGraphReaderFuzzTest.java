package org.edgeq.interop;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.edgeq.fuzz.ReaderProperty;

import java.nio.file.Path;

/** An ONNX file ({@link OnnxGraphReader}: protobuf, nodes, attributes, initializers) of any bytes is layers or a one-line refusal. */
class OnnxGraphReaderFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void anyOnnxFileIsLayersOrAOneLineRefusal(byte[] input) {
        Path file = ReaderProperty.write("model.onnx", input);
        ReaderProperty.check(input.length, () -> OnnxGraphReader.read(file));
    }
}
