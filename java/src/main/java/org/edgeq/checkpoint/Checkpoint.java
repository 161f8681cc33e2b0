package org.edgeq.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.edgeq.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Saves and loads a model directory: {@code model.safetensors} (the state dict, readable by PyTorch's
 * safetensors), {@code model.json} (architecture and training record) and {@code split.json} (the rows of each
 * split). Every file is written atomically, so an interrupted save leaves the previous complete file.
 */
public final class Checkpoint {
    public static final String WEIGHTS = "model.safetensors";
    public static final String DESCRIPTION = "model.json";
    public static final String SPLIT = "split.json";

    static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Checkpoint() {
    }

    /** Writes all three files into {@code dir} (created if needed); {@code split} may be null. */
    public static void save(Path dir, Map<String, Tensor> stateDict, ModelDescription description, SavedSplit split) throws IOException {
        saveDescription(dir, description);
        if (split != null) AtomicFiles.write(dir.resolve(SPLIT), JSON.writeValueAsBytes(split));
        saveWeights(dir, stateDict, description);
    }

    /** Replaces only the weights, e.g. each time training finds a better model. */
    public static void saveWeights(Path dir, Map<String, Tensor> stateDict, ModelDescription description) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt"); // what PyTorch-side loaders expect of a torch state dict
        meta.put("edgeq.architecture", description.config().architecture());
        SafetensorsWriter.write(dir.resolve(WEIGHTS), stateDict, meta);
    }

    /** Replaces only {@code model.json}, e.g. to record final metrics. */
    public static void saveDescription(Path dir, ModelDescription description) throws IOException {
        AtomicFiles.write(dir.resolve(DESCRIPTION), JSON.writeValueAsBytes(description));
    }

    /** Reads and validates a model directory; weight data is copied only when the caller calls {@link SavedModel#loadInto}. */
    public static SavedModel read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointFormatException(dir, "not a model directory (expected " + DESCRIPTION + " and " + WEIGHTS + " inside)");
        }
        ModelDescription description = readJson(dir.resolve(DESCRIPTION), ModelDescription.class, true).orElseThrow();
        if (description.formatVersion() != ModelDescription.FORMAT_VERSION) {
            throw new CheckpointFormatException(dir.resolve(DESCRIPTION), "format_version " + description.formatVersion()
                    + " is not supported (this EdgeQ reads " + ModelDescription.FORMAT_VERSION + ")");
        }
        if (description.config() == null || description.training() == null) {
            throw new CheckpointFormatException(dir.resolve(DESCRIPTION), "needs both 'config' and 'training'");
        }
        Optional<SavedSplit> split = readJson(dir.resolve(SPLIT), SavedSplit.class, false);
        if (split.isPresent() && (split.get().train() == null || split.get().validation() == null || split.get().test() == null)) {
            throw new CheckpointFormatException(dir.resolve(SPLIT), "needs 'train', 'validation' and 'test' index arrays");
        }
        Path weights = dir.resolve(WEIGHTS);
        if (!Files.exists(weights)) throw new CheckpointFormatException(weights, "missing");
        return new SavedModel(dir, description, split, SafetensorsReader.open(weights));
    }

    private static <T> Optional<T> readJson(Path file, Class<T> type, boolean required) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            if (required) throw new CheckpointFormatException(file, "missing");
            return Optional.empty();
        }
        try {
            T value = JSON.readValue(bytes, type);
            if (value == null) throw new CheckpointFormatException(file, "is empty");
            return Optional.of(value);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new CheckpointFormatException(file, "not a valid " + file.getFileName() + where + ": " + firstLine(e.getOriginalMessage()));
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "unknown error";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
