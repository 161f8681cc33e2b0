package org.edgeq.train;

import org.edgeq.backend.Backend;
import org.edgeq.data.BatchIterator;
import org.edgeq.data.Dataset;
import org.edgeq.data.Task;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

/**
 * Feeds a {@link BatchIterator}'s batches into backend tensors allocated once (features [B, ...], labels I32 [B]
 * or targets F32 [B, 1]) while keeping the batch's labels or targets on the host for the metrics; the last
 * partial batch is a {@link Tensor#firstRows} view.
 */
final class BatchFeeder {
    private final Backend backend;
    private final BatchIterator iterator;
    private final boolean classification;
    private final int batchSize;
    private final Tensor features;
    private final Tensor targets;
    private final float[] featureStage;
    private final int[] labelStage;
    private final float[] targetStage;
    private float[] featureTail;
    private int[] labelTail;
    private float[] targetTail;
    private int rows;
    private Tensor x;
    private Tensor y;
    private int[] labels;
    private float[] batchTargets;

    BatchFeeder(Backend backend, TensorScope scope, Dataset data, int[] rowIndices, int batchSize, boolean shuffle, long seed) {
        this.backend = backend;
        this.iterator = new BatchIterator(data, rowIndices, batchSize, shuffle, seed);
        this.classification = data.task() == Task.CLASSIFICATION;
        this.batchSize = batchSize;
        int rowSize = data.featureCount();
        int[] dims = new int[data.featureShape().length + 1];
        dims[0] = batchSize;
        System.arraycopy(data.featureShape(), 0, dims, 1, data.featureShape().length);
        this.features = backend.allocate(scope, DType.F32, Shape.of(dims));
        this.targets = classification ? backend.allocate(scope, DType.I32, batchSize) : backend.allocate(scope, DType.F32, batchSize, 1);
        this.featureStage = new float[batchSize * rowSize];
        this.labelStage = classification ? new int[batchSize] : null;
        this.targetStage = classification ? null : new float[batchSize];
        int tail = rowIndices.length % batchSize;
        if (tail != 0) {
            featureTail = new float[tail * rowSize];
            labelTail = classification ? new int[tail] : null;
            targetTail = classification ? null : new float[tail];
        }
    }

    int batchSize() {
        return batchSize;
    }

    void startEpoch(int epoch) {
        iterator.startEpoch(epoch);
    }

    /** Loads the next batch; false at the end of the epoch. */
    boolean next() {
        boolean full = true;
        rows = iterator.nextInto(featureStage, labelStage, targetStage);
        if (rows == 0) return false;
        float[] fs = featureStage;
        labels = labelStage;
        batchTargets = targetStage;
        if (rows < batchSize) {
            // The iterator wrote the short batch into the full-size arrays; upload needs exact lengths.
            full = false;
            System.arraycopy(featureStage, 0, featureTail, 0, featureTail.length);
            if (classification) System.arraycopy(labelStage, 0, labelTail, 0, rows);
            else System.arraycopy(targetStage, 0, targetTail, 0, rows);
            fs = featureTail;
            labels = labelTail;
            batchTargets = targetTail;
        }
        x = full ? features : features.firstRows(rows);
        y = full ? targets : targets.firstRows(rows);
        backend.upload(fs, x);
        if (classification) backend.upload(labels, y);
        else backend.upload(batchTargets, y);
        return true;
    }

    int rows() {
        return rows;
    }

    Tensor x() {
        return x;
    }

    Tensor y() {
        return y;
    }

    /** Labels of the current batch (classification), exactly {@link #rows()} long. */
    int[] labels() {
        return labels;
    }

    /** Targets of the current batch (regression), exactly {@link #rows()} long. */
    float[] targets() {
        return batchTargets;
    }
}
