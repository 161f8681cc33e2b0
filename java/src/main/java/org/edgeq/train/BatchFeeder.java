package org.edgeq.train;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

import org.edgeq.backend.Backend;
import org.edgeq.data.Dataset;
import org.edgeq.data.Task;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

/**
 * Copies a dataset batch by batch into backend tensors allocated once (features [B, ...], labels I32 [B] or targets
 * F32 [B, 1]); the last partial batch is a {@link Tensor#firstRows} view. Shuffles per epoch from (seed, epoch).
 */
final class BatchFeeder {
    private final Backend backend;
    private final Dataset data;
    private final int batchSize;
    private final int rowSize;
    private final Tensor features;
    private final Tensor targets;
    private final int[] order;
    private float[] featureStage;
    private int[] labelStage;
    private float[] targetStage;
    private int cursor;
    private int rows;
    private Tensor x;
    private Tensor y;

    BatchFeeder(Backend backend, TensorScope scope, Dataset data, int batchSize) {
        this.backend = backend;
        this.data = data;
        this.batchSize = Math.min(batchSize, Math.max(1, data.size()));
        this.rowSize = data.featureCount();
        int[] dims = new int[data.featureShape().length + 1];
        dims[0] = this.batchSize;
        System.arraycopy(data.featureShape(), 0, dims, 1, data.featureShape().length);
        this.features = backend.allocate(scope, DType.F32, Shape.of(dims));
        this.targets = data.task() == Task.CLASSIFICATION
                ? backend.allocate(scope, DType.I32, this.batchSize)
                : backend.allocate(scope, DType.F32, this.batchSize, 1);
        this.order = new int[data.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
    }

    int batchSize() {
        return batchSize;
    }

    /** Starts an epoch in dataset order. */
    void startInOrder() {
        for (int i = 0; i < order.length; i++) order[i] = i;
        cursor = 0;
    }

    /** Starts an epoch in a permutation fixed by (seed, epoch) (Fisher-Yates). */
    void startShuffled(long seed, int epoch) {
        for (int i = 0; i < order.length; i++) order[i] = i;
        RandomGenerator r = RandomGeneratorFactory.of("L64X128MixRandom").create(seed * 31 + epoch);
        for (int i = order.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        cursor = 0;
    }

    /** Loads the next batch; false at the end of the epoch. */
    boolean next() {
        if (cursor >= order.length) return false;
        rows = Math.min(batchSize, order.length - cursor);
        if (featureStage == null || featureStage.length != rows * rowSize) {
            featureStage = new float[rows * rowSize];
            labelStage = new int[rows];
            targetStage = new float[rows];
        }
        float[] src = data.features();
        for (int i = 0; i < rows; i++) {
            int s = order[cursor + i];
            System.arraycopy(src, s * rowSize, featureStage, i * rowSize, rowSize);
            if (data.task() == Task.CLASSIFICATION) labelStage[i] = data.labels()[s];
            else targetStage[i] = data.targets()[s];
        }
        cursor += rows;
        x = rows == batchSize ? features : features.firstRows(rows);
        y = rows == batchSize ? targets : targets.firstRows(rows);
        backend.upload(featureStage, x);
        if (data.task() == Task.CLASSIFICATION) backend.upload(labelStage, y);
        else backend.upload(targetStage, y);
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

    /** Labels of the current batch (classification). */
    int[] labels() {
        return labelStage;
    }

    /** Targets of the current batch (regression). */
    float[] targets() {
        return targetStage;
    }
}
