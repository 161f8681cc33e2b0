package org.edgeq.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.edgeq.backend.Backend;
import org.edgeq.data.BoundedInput;
import org.edgeq.data.DataFormatException;
import org.edgeq.data.Quote;
import org.edgeq.data.SplitFile;
import org.edgeq.data.SplitIndices;
import org.edgeq.nn.ModelFactory;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private Checkpoint() {
    }

    /** Writes all three files into {@code dir} (created if needed); {@code split} may be null. */
    public static void save(Path dir, Map<String, Tensor> stateDict, ModelDescription description, SplitIndices split,
                            int datasetSize) throws IOException {
        saveDescription(dir, description);
        if (split != null) saveSplit(dir, description.training().dataset(), datasetSize, split);
        saveWeights(dir, stateDict, description);
    }

    /**
     * Writes {@code split.json} in the layout {@link SplitFile} reads: {"dataset", "size", "train", "validation",
     * "test"}, so a split is only ever reapplied to the dataset it was made for.
     */
    public static void saveSplit(Path dir, String datasetName, int datasetSize, SplitIndices split) throws IOException {
        split.check(datasetSize, false);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("dataset", datasetName);
        root.put("size", datasetSize);
        root.put("train", split.train());
        root.put("validation", split.validation());
        root.put("test", split.test());
        AtomicFiles.write(dir.resolve(SPLIT), COMPACT.writeValueAsBytes(root));
    }

    /**
     * The split saved with a model, checked against the dataset it is about to be applied to; empty when the model
     * directory has no {@code split.json}.
     */
    public static Optional<SplitIndices> readSplit(Path dir, String datasetName, int datasetSize) throws IOException {
        Path file = dir.resolve(SPLIT);
        if (!Files.exists(file)) return Optional.empty();
        try {
            return Optional.of(SplitFile.read(file, datasetName, datasetSize));
        } catch (DataFormatException e) {
            Matcher atLine = Pattern.compile(Pattern.quote(file.toString()) + ":(\\d+): (.*)").matcher(e.getMessage());
            if (atLine.matches()) throw CheckpointFormatException.atLine(file, Long.parseLong(atLine.group(1)), atLine.group(2));
            throw new CheckpointFormatException(file, e.getMessage().startsWith(file.toString())
                    ? e.getMessage().substring(file.toString().length()).replaceFirst("^:\\s*", "") : e.getMessage());
        }
    }

    /** As {@link #saveWeights(Path, Map, ModelDescription)} for a state dict on {@code backend} (device tensors are downloaded first). */
    public static void saveWeights(Path dir, Backend backend, Map<String, Tensor> stateDict, ModelDescription description) throws IOException {
        try (TensorScope scope = new TensorScope()) {
            saveWeights(dir, HostStaging.toHost(backend, stateDict, scope), description);
        }
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
        ModelDescription description = readDescription(dir);
        Path weights = dir.resolve(WEIGHTS);
        if (!Files.exists(weights)) throw new CheckpointFormatException(weights, "missing");
        SafetensorsReader reader = SafetensorsReader.open(weights);
        reader.requireShapes(ModelFactory.stateShapes(description.config())); // before any tensor is allocated
        reader.requireFiniteWeights(); // a NaN weight is refused before a command prints or writes anything
        return new SavedModel(dir, description, reader);
    }

    /** Reads and validates {@code model.json} alone (e.g. beside a compressed {@code model.eqz} export). */
    public static ModelDescription readDescription(Path dir) throws IOException {
        ModelDescription description = readJson(dir.resolve(DESCRIPTION), ModelDescription.class, true).orElseThrow();
        if (description.formatVersion() != ModelDescription.FORMAT_VERSION) {
            throw new CheckpointFormatException(dir.resolve(DESCRIPTION), "format_version " + description.formatVersion()
                    + " is not supported (this EdgeQ reads " + ModelDescription.FORMAT_VERSION + ")");
        }
        if (description.config() == null || description.training() == null) {
            throw new CheckpointFormatException(dir.resolve(DESCRIPTION), "needs both 'config' and 'training'");
        }
        try {
            ModelFactory.layerShapes(description.config()); // sizes checked from shapes, nothing allocated
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(dir.resolve(DESCRIPTION), "config does not describe a model EdgeQ builds: " + e.getMessage());
        }
        return description;
    }

    private static <T> Optional<T> readJson(Path file, Class<T> type, boolean required) throws IOException {
        String text;
        try {
            byte[] bytes = BoundedInput.readAllBytes(file, BoundedInput.JSON_CAP, reason -> new CheckpointFormatException(file, reason));
            // Parsed from the strictly decoded text: Jackson's own encoding detection would take some bytes for UTF-32
            // and fail with a CharConversionException (a fuzz finding), not a refusal.
            text = BoundedInput.utf8(bytes);
        } catch (NoSuchFileException e) {
            if (required) throw new CheckpointFormatException(file, "missing");
            return Optional.empty();
        } catch (BoundedInput.NotUtf8Exception e) {
            throw CheckpointFormatException.atLine(file, e.line(), e.reason());
        }
        try {
            T value = JSON.readValue(text, type);
            if (value == null) throw new CheckpointFormatException(file, "is empty");
            return Optional.of(value);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new CheckpointFormatException(file, "not a valid " + file.getFileName() + where + ": " + Quote.inMessage(e.getOriginalMessage()));
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "unknown error";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
