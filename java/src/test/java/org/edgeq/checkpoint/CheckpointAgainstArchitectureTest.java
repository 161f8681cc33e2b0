package org.edgeq.checkpoint;

import org.edgeq.data.Task;
import org.edgeq.nn.ModelConfig;
import org.edgeq.tensor.AllocationCounter;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 11 defects 2, 3, 11 and 15 for model directories: headers checked against the architecture, finite weights, named write failures. */
class CheckpointAgainstArchitectureTest {

    @TempDir
    Path dir;

    private static ModelDescription description(List<Integer> hidden) {
        ModelConfig config = new ModelConfig("dense", new int[]{3}, 2, hidden, 0f, false);
        TrainingMetadata training = new TrainingMetadata("d", "d", Task.CLASSIFICATION, List.of("a", "b"),
                null, null, null, 1, Map.of(), Map.of());
        return new ModelDescription(config, training);
    }

    /** One Linear 3 -> 2: the weights of a dense model with no hidden layer. */
    private void saveLinear(TensorScope scope, float w0) throws IOException {
        Map<String, Tensor> s = new LinkedHashMap<>();
        s.put("net.0.weight", Tensor.of(scope, new float[]{w0, 2, 3, 4, 5, 6}, 2, 3));
        s.put("net.0.bias", Tensor.of(scope, new float[]{0.1f, 0.2f}, 2));
        Checkpoint.save(dir, s, description(List.of()), null, 0);
    }

    @Test
    void modelJsonPromising20000WideLayersIsRefusedFromTheWeightsHeaderBeforeAnyTensorIsAllocated() throws Exception {
        try (TensorScope scope = new TensorScope()) {
            saveLinear(scope, 1f);
        }
        Checkpoint.saveDescription(dir, description(List.of(20_000, 20_000)));
        long allocations = AllocationCounter.HOST.allocations();
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> Checkpoint.read(dir));
        assertTrue(e.getMessage().contains("net.0.weight") && e.getMessage().contains("expects F32[20000, 3]"), e.getMessage());
        assertEquals(allocations, AllocationCounter.HOST.allocations(), "no tensor allocated to find the mismatch");
    }

    @Test
    void modelJsonTooLargeToBuildIsRefusedWithTheParameterCountItNeeds() throws Exception {
        try (TensorScope scope = new TensorScope()) {
            saveLinear(scope, 1f);
        }
        Checkpoint.saveDescription(dir, description(List.of(1_000_000, 1_000_000)));
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> Checkpoint.read(dir));
        assertTrue(e.getMessage().contains("model.json") && e.getMessage().contains("needs 1,000,007,000,002 parameters; at most 2,147,483,647 supported"),
                e.getMessage());
    }

    @Test
    void nanWeightIsRefusedAtLoadNamingTheTensorAndElementAndNothingIsCopied() throws Exception {
        try (TensorScope scope = new TensorScope()) {
            saveLinear(scope, Float.NaN);
            CheckpointFormatException read = assertThrows(CheckpointFormatException.class, () -> Checkpoint.read(dir));
            assertTrue(read.getMessage().contains("tensor 'net.0.weight' element 0 is NaN"), read.getMessage());
            // A file that turned bad after it was read is refused again when it is copied, and nothing is copied.
            SafetensorsReader saved = SafetensorsReader.open(dir.resolve(Checkpoint.WEIGHTS));
            Map<String, Tensor> target = new LinkedHashMap<>();
            target.put("net.0.weight", Tensor.of(scope, new float[6], 2, 3));
            target.put("net.0.bias", Tensor.of(scope, new float[2], 2));
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> saved.loadInto(target));
            assertTrue(e.getMessage().contains("tensor 'net.0.weight' element 0 is NaN"), e.getMessage());
            assertArrayEquals(new float[6], target.get("net.0.weight").toFloatArray());
        }
    }

    @Test
    void infiniteWeightIsRefusedAtLoad() throws Exception {
        try (TensorScope scope = new TensorScope()) {
            saveLinear(scope, Float.POSITIVE_INFINITY);
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> Checkpoint.read(dir));
            assertTrue(e.getMessage().contains("element 0 is Infinity"), e.getMessage());
        }
    }

    @Test
    void nonFiniteFeatureScalingIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrainingMetadata("d", "d",
                Task.CLASSIFICATION, List.of("a", "b"), new float[]{Float.NaN}, new float[]{1f}, null, 1, Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
    }

    @Test
    void diskFullWhileWritingWeightsNamesTheFile() throws Exception {
        Path file = dir.resolve("model.safetensors");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, (FileChannel ch) -> {
            ch.write(ByteBuffer.wrap(new byte[]{1}));
            throw new IOException("No space left on device");
        }));
        assertTrue(e instanceof java.nio.file.FileSystemException fse && fse.getFile().equals(file.toAbsolutePath().toString())
                && "No space left on device".equals(fse.getReason()), e.toString());
        assertTrue(IoErrors.naming(dir, e) == e, "a message that names its file is kept");
        IOException bare = IoErrors.naming(file, new IOException("No space left on device"));
        assertEquals(file + ": No space left on device", bare.getMessage());
        try (var files = Files.list(dir)) {
            assertFalse(files.findAny().isPresent(), "nothing left behind");
        }
    }
}
