package org.edgeq.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Saves and restores a {@link SplitIndices} as JSON ({@code {"dataset": ..., "size": N, "train": [...],
 * "validation": [...], "test": [...]}}), so {@code edgeq train --out DIR} can record the exact rows it trained on
 * and {@code edgeq eval} can test on the same held-out rows. Written atomically (temporary file, then rename).
 */
public final class SplitFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SplitFile() {
    }

    public static void write(Path file, String datasetName, int datasetSize, SplitIndices split) throws IOException {
        split.check(datasetSize, false);
        ObjectNode root = JSON.createObjectNode();
        root.put("dataset", datasetName);
        root.put("size", datasetSize);
        put(root, "train", split.train());
        put(root, "validation", split.validation());
        put(root, "test", split.test());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, JSON.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Reads a split saved for {@code datasetName} with {@code datasetSize} rows; a split saved for another dataset
     * or size, or with bad indices, is refused with {@code file: reason}.
     */
    public static SplitIndices read(Path file, String datasetName, int datasetSize) throws IOException, DataFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(BoundedInput.utf8(BoundedInput.readAllBytes(file, BoundedInput.JSON_CAP,
                    reason -> DataFormatException.inFile(file, reason))));
        } catch (BoundedInput.NotUtf8Exception e) {
            throw DataFormatException.atLine(file, e.line(), e.reason());
        } catch (JsonProcessingException e) {
            throw DataFormatException.atLine(file, e.getLocation() == null ? 1 : e.getLocation().getLineNr(), "not valid JSON: " + Quote.inMessage(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) throw DataFormatException.inFile(file, "expected a JSON object");
        String saved = root.path("dataset").asText(null);
        if (saved == null || !saved.equals(datasetName)) {
            throw DataFormatException.inFile(file, "split is for dataset " + Quote.of(saved) + ", not " + Quote.of(datasetName));
        }
        if (root.path("size").asInt(-1) != datasetSize) {
            throw DataFormatException.inFile(file, "split is for " + root.path("size").asText("?") + " rows, the dataset has " + datasetSize);
        }
        SplitIndices split = new SplitIndices(ints(file, root, "train"), ints(file, root, "validation"), ints(file, root, "test"));
        try {
            split.check(datasetSize, false);
        } catch (IllegalArgumentException e) {
            throw DataFormatException.inFile(file, e.getMessage());
        }
        return split;
    }

    private static void put(ObjectNode root, String key, int[] values) {
        ArrayNode a = root.putArray(key);
        for (int v : values) a.add(v);
    }

    private static int[] ints(Path file, JsonNode root, String key) throws DataFormatException {
        JsonNode a = root.get(key);
        if (a == null || !a.isArray()) throw DataFormatException.inFile(file, "missing array '" + key + "'");
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            if (!a.get(i).isInt()) throw DataFormatException.inFile(file, key + "[" + i + "] is not an integer");
            out[i] = a.get(i).intValue();
        }
        return out;
    }
}
