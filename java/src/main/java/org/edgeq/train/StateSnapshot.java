package org.edgeq.train;

import java.util.ArrayList;
import java.util.List;

import org.edgeq.backend.Backend;
import org.edgeq.nn.Model;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

/** An in-memory copy of a model's state dict (e.g. the best weights for early stopping), buffers allocated once. */
final class StateSnapshot {
    private final Backend backend;
    private final List<Tensor> live = new ArrayList<>();
    private final List<Tensor> saved = new ArrayList<>();

    StateSnapshot(Model model, TensorScope scope) {
        this.backend = model.backend();
        for (Tensor t : model.stateDict().values()) {
            live.add(t);
            saved.add(backend.allocate(scope, t.dtype(), t.shape()));
        }
    }

    void capture() {
        for (int i = 0; i < live.size(); i++) backend.copy(live.get(i), saved.get(i));
    }

    void restore() {
        for (int i = 0; i < live.size(); i++) backend.copy(saved.get(i), live.get(i));
    }
}
