package org.edgeq.nn;

import org.edgeq.backend.Backend;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

/** A 1-D F32 scratch buffer (e.g. a convolution workspace) that grows on demand and is otherwise reused. */
public final class FlatBuffer implements AutoCloseable {
    private final Backend backend;
    private TensorScope scope;
    private Tensor tensor;

    FlatBuffer(Backend backend) {
        this.backend = backend;
    }

    /** A tensor of at least {@code floats} elements (at least one). */
    public Tensor atLeast(long floats) {
        long need = Math.max(1, floats);
        if (tensor == null || tensor.numel() < need) {
            if (scope != null) scope.close();
            scope = new TensorScope();
            tensor = backend.allocate(scope, DType.F32, Math.toIntExact(need));
        }
        return tensor;
    }

    @Override
    public void close() {
        if (scope != null) scope.close();
        scope = null;
        tensor = null;
    }
}
