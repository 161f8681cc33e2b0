package org.edgeq.nn;

import org.edgeq.backend.Backend;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

/**
 * One activation or gradient buffer of a layer, shaped [batch, sample...], that is allocated for the largest
 * batch seen so far and handed out as a {@link Tensor#firstRows} view for smaller batches, so the steady state of
 * a training loop allocates nothing.
 */
public final class BatchBuffer implements AutoCloseable {
    private final Backend backend;
    private final DType dtype;
    private final int[] sampleDims;
    private TensorScope scope;
    private Tensor full;
    private Tensor view;
    private int capacity;

    BatchBuffer(Backend backend, DType dtype, Shape sample) {
        this.backend = backend;
        this.dtype = dtype;
        this.sampleDims = sample.dims();
    }

    /** The buffer for a batch of {@code rows} samples; re-allocates only when the batch grows. */
    public Tensor rows(int rows) {
        if (rows > capacity) {
            if (scope != null) scope.close();
            scope = new TensorScope();
            int[] dims = new int[sampleDims.length + 1];
            dims[0] = rows;
            System.arraycopy(sampleDims, 0, dims, 1, sampleDims.length);
            full = backend.allocate(scope, dtype, Shape.of(dims));
            capacity = rows;
            view = full;
        }
        if (view.dim(0) != rows) view = rows == capacity ? full : full.firstRows(rows);
        return view;
    }

    @Override
    public void close() {
        if (scope != null) scope.close();
        scope = null;
        full = view = null;
        capacity = 0;
    }
}
