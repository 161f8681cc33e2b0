package org.edgeq.checkpoint;

import org.edgeq.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model directory read back and validated: its description and its weights file, whose
 * header has been checked but whose data is copied only by {@link #loadInto}.
 */
public record SavedModel(Path dir, ModelDescription description, SafetensorsReader weights) {

    /**
     * Copies the weights into a freshly built model's state dict, refusing (before copying anything) any missing,
     * extra or differently shaped or typed tensor.
     */
    public void loadInto(Map<String, Tensor> stateDict) throws IOException {
        weights.loadInto(stateDict);
    }
}
