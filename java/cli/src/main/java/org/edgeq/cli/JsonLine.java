package org.edgeq.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the one-line JSON object that {@code --json} prints as the last line of stdout. Keys keep insertion order;
 * non-finite numbers (an accuracy that does not apply, a diverged loss) become null so the line stays valid JSON.
 */
final class JsonLine {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, Object> fields = new LinkedHashMap<>();

    JsonLine put(String key, Object value) {
        if (value instanceof Double d && !Double.isFinite(d)) value = null;
        if (value instanceof Float f && !Float.isFinite(f)) value = null;
        fields.put(key, value);
        return this;
    }

    Map<String, Object> fields() {
        return fields;
    }

    @Override
    public String toString() {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + fields.keySet(), e);
        }
    }
}
