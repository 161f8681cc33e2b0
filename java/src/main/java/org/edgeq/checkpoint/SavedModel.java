package org.edgeq.checkpoint;

import org.edgeq.backend.Backend;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

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

    /**
     * As {@link #loadInto(Map)} for a state dict on {@code backend}: device tensors are filled through host copies
     * (read and checked in full first) and then uploaded.
     */
    public void loadInto(Map<String, Tensor> stateDict, Backend backend) throws IOException {
        if (HostStaging.allHost(stateDict)) {
            weights.loadInto(stateDict);
            return;
        }
        try (TensorScope scope = new TensorScope()) {
            Map<String, Tensor> host = HostStaging.hostLike(stateDict, scope);
            weights.loadInto(host);
            HostStaging.upload(backend, host, stateDict);
        }
    }
}
