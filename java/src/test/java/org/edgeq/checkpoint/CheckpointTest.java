package org.edgeq.checkpoint;

import org.edgeq.data.Dataset;
import org.edgeq.data.Preprocessing;
import org.edgeq.data.SplitIndices;
import org.edgeq.data.SyntheticDatasets;
import org.edgeq.data.Task;
import org.edgeq.nn.ModelConfig;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {

    @TempDir
    Path dir;

    private static ModelDescription description() {
        // The architecture of state(): one Linear 3 -> 2 (a model directory's weights must fit its model.json).
        ModelConfig config = new ModelConfig("dense", new int[]{3}, 2, List.of(), 0f, false);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("test_acc", 0.86);
        metrics.put("test_loss", 0.33);
        TrainingMetadata training = new TrainingMetadata("telescope", "telescope", Task.CLASSIFICATION, List.of("g", "h"),
                new float[]{1.5f, -2f}, new float[]{0.5f, 3f}, null, 42, Map.of("epochs", "10"), metrics);
        return new ModelDescription(config, training);
    }

    private static Map<String, Tensor> state(TensorScope scope, float w0) {
        Map<String, Tensor> s = new LinkedHashMap<>();
        s.put("net.0.weight", Tensor.of(scope, new float[]{w0, 2, 3, 4, 5, 6}, 2, 3));
        s.put("net.0.bias", Tensor.of(scope, new float[]{0.1f, 0.2f}, 2));
        return s;
    }

    @Test
    void savedDirectoryReadsBackExactly() throws Exception {
        try (TensorScope scope = new TensorScope()) {
            SplitIndices split = new SplitIndices(new int[]{0, 2, 5}, new int[]{1}, new int[]{3, 4});
            Checkpoint.save(dir, state(scope, 1f), description(), split, 6);
            assertTrue(Files.exists(dir.resolve("model.safetensors")));
            SavedModel saved = Checkpoint.read(dir);

            ModelDescription d = saved.description();
            assertEquals("dense", d.config().architecture());
            assertArrayEquals(new int[]{3}, d.config().inputShape());
            assertEquals(List.of(), d.config().hidden());
            assertEquals(List.of("g", "h"), d.training().classNames());
            assertArrayEquals(new float[]{1.5f, -2f}, d.training().featureMeans());
            assertEquals(0.86, d.training().metrics().get("test_acc"));
            assertEquals(Task.CLASSIFICATION, d.training().task());
            assertEquals(split, Checkpoint.readSplit(dir, "telescope", 6).orElseThrow());
            CheckpointFormatException other = assertThrows(CheckpointFormatException.class, () -> Checkpoint.readSplit(dir, "churn", 6));
            assertTrue(other.getMessage().contains("split.json") && other.getMessage().contains("churn"), other.getMessage());

            Map<String, Tensor> target = state(scope, 0f);
            for (Tensor t : target.values()) t.copyFrom(new float[(int) t.numel()]);
            saved.loadInto(target);
            assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, target.get("net.0.weight").toFloatArray());
            assertEquals("pt", saved.weights().metadata().get("format"));
        }
    }

    @Test
    void theScalingSavedInModelJsonIsTheOneFittedAndAppliesBitForBitWhenReadBack() throws Exception {
        Dataset data = SyntheticDatasets.regression(100, 3);
        int[] train = java.util.stream.IntStream.range(0, 60).toArray();
        Preprocessing fitted = Preprocessing.fit(data, train);
        TrainingMetadata saved = new TrainingMetadata("synthetic-regression", "synthetic-regression", Task.REGRESSION, List.of(),
                fitted.features().mean(), fitted.features().std(), TrainingMetadata.TargetScale.of(fitted.target()), 42, Map.of(), Map.of());
        Checkpoint.saveDescription(dir, new ModelDescription(new ModelConfig("dense", new int[]{data.featureCount()}, 1, List.of(), 0f, false), saved));

        Preprocessing restored = Checkpoint.readDescription(dir).training().preprocessing();
        assertEquals(fitted, restored);
        Dataset rows = data.subset(java.util.stream.IntStream.range(60, 100).toArray());
        assertArrayEquals(fitted.apply(rows).features(), restored.apply(rows).features());
        assertArrayEquals(fitted.apply(rows).targets(), restored.apply(rows).targets());
        assertNull(description().training().preprocessing().target(), "a classifier's model.json holds no target scaling");
    }

    @Test
    void modelJsonUsesSnakeCaseKeys() throws Exception {
        Checkpoint.saveDescription(dir, description());
        String json = Files.readString(dir.resolve("model.json"));
        assertTrue(json.contains("\"input_shape\""), json);
        assertTrue(json.contains("\"feature_means\""), json);
        assertTrue(json.contains("\"format_version\" : 1"), json);
    }

    @Test
    void missingOrCorruptFilesAreRefusedInOneLineNamingTheFile() throws Exception {
        try (TensorScope scope = new TensorScope()) {
            CheckpointFormatException notDir = assertThrows(CheckpointFormatException.class, () -> Checkpoint.read(dir.resolve("nope")));
            assertTrue(notDir.getMessage().contains("not a model directory"));

            Checkpoint.save(dir, state(scope, 1f), description(), null, 0);
            Files.writeString(dir.resolve("model.json"), "{\"format_version\": 1, \"config\": ");
            CheckpointFormatException badJson = assertThrows(CheckpointFormatException.class, () -> Checkpoint.read(dir));
            assertTrue(badJson.getMessage().startsWith(dir.resolve("model.json").toString()), badJson.getMessage());
            assertFalse(badJson.getMessage().contains("\n"), badJson.getMessage());

            Checkpoint.saveDescription(dir, description());
            byte[] w = Files.readAllBytes(dir.resolve("model.safetensors"));
            Files.write(dir.resolve("model.safetensors"), Arrays.copyOf(w, w.length - 1));
            CheckpointFormatException truncated = assertThrows(CheckpointFormatException.class, () -> Checkpoint.read(dir));
            assertTrue(truncated.getMessage().contains("model.safetensors"), truncated.getMessage());

            Files.delete(dir.resolve("model.safetensors"));
            assertTrue(assertThrows(CheckpointFormatException.class, () -> Checkpoint.read(dir)).getMessage().endsWith("missing"));
        }
    }

    @Test
    void loadingIntoAModelOfAnotherShapeIsRefusedAndChangesNothing() throws Exception {
        try (TensorScope scope = new TensorScope()) {
            Checkpoint.save(dir, state(scope, 1f), description(), null, 0);
            SavedModel saved = Checkpoint.read(dir);
            Map<String, Tensor> other = new LinkedHashMap<>();
            Tensor bias = Tensor.of(scope, new float[]{7, 7}, 2);
            other.put("net.0.bias", bias);
            other.put("net.0.weight", Tensor.host(scope, DType.F32, 3, 2));
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> saved.loadInto(other));
            assertTrue(e.getMessage().contains("net.0.weight") && e.getMessage().contains("F32[3, 2]"), e.getMessage());
            assertArrayEquals(new float[]{7, 7}, bias.toFloatArray());
        }
    }

    @Test
    void aFailedWeightSaveKeepsTheLastGoodCheckpoint() throws Exception {
        try (TensorScope scope = new TensorScope()) {
            Checkpoint.save(dir, state(scope, 1f), description(), null, 0);
            Map<String, Tensor> bad = new LinkedHashMap<>(state(scope, 9f));
            bad.put("__metadata__", Tensor.host(scope, DType.F32, 1)); // reserved name: the writer refuses it
            assertThrows(IllegalArgumentException.class, () -> Checkpoint.saveWeights(dir, bad, description()));
            Map<String, Tensor> target = state(scope, 0f);
            Checkpoint.read(dir).loadInto(target);
            assertEquals(1f, target.get("net.0.weight").getFloat(0));
            try (var files = Files.list(dir)) {
                assertEquals(2, files.count(), "no temporary files left");
            }
        }
    }
}
