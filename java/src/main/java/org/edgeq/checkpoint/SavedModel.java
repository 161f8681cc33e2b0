package org.edgeq.checkpoint;

import org.edgeq.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A model directory read back and validated: its description, its split (if saved) and its weights file, whose
 * header has been checked but whose data is copied only by {@link #loadInto}.
 */
public record SavedModel(Path dir, ModelDescription description, Optional<SavedSplit> split, SafetensorsReader weights) {

    /**
     * Copies the weights into a freshly built model's state dict, refusing (before copying anything) any missing,
     * extra or differently shaped or typed tensor.
     */
    public void loadInto(Map<String, Tensor> stateDict) throws IOException {
        weights.loadInto(stateDict);
    }
}
