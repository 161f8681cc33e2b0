package org.edgeq.data;

import org.edgeq.backend.Backend;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Tensor;

/**
 * Walks a set of dataset rows in mini-batches, one epoch at a time, copying each batch into preallocated staging
 * arrays and from there (through {@link Backend#upload}) into the caller's batch tensors. Nothing is allocated per
 * batch.
 *
 * <p>With shuffling on, the row order of epoch e is a permutation drawn from {@code (seed, e)} alone, so any epoch
 * can be replayed and two runs with the same seed see the same batches. The last batch of an epoch may be short;
 * it fills the first rows of the tensors, and the caller uses {@link Tensor#firstRows} views for it:
 * <pre>{@code
 * it.startEpoch(epoch);
 * int rows;
 * while ((rows = it.next(backend, x, y)) > 0) {
 *     Tensor xb = rows == x.dim(0) ? x : x.firstRows(rows);
 *     ...
 * }
 * }</pre>
 * Labels go to an I32 tensor [B]; regression targets to an F32 tensor [B, 1] (or [B]).
 */
public final class BatchIterator {
    private final Dataset data;
    private final int[] rows;
    private final int[] order;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private final int featureCount;
    private final float[] fullFeatures;
    private final float[] tailFeatures;
    private final int[] fullLabels;
    private final int[] tailLabels;
    private final float[] fullTargets;
    private final float[] tailTargets;
    private int position;
    private int epoch = -1;

    /**
     * @param rows    the dataset rows to iterate (e.g. a split's training indices); not copied, not modified
     * @param shuffle true for training (a fresh seeded order every epoch), false to keep {@code rows}' order
     */
    public BatchIterator(Dataset data, int[] rows, int batchSize, boolean shuffle, long seed) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size " + batchSize + " must be at least 1");
        if (rows.length == 0) throw new IllegalArgumentException(data.name() + ": no rows to iterate");
        for (int r : rows) {
            if (r < 0 || r >= data.size()) throw new IllegalArgumentException(data.name() + ": row " + r + " outside 0.." + (data.size() - 1));
        }
        this.data = data;
        this.rows = rows;
        this.order = rows.clone();
        this.batchSize = batchSize;
        this.seed = seed;
        this.shuffle = shuffle;
        this.featureCount = data.featureCount();
        int full = Math.min(batchSize, rows.length);
        int tail = rows.length % batchSize;
        boolean labels = data.task() == Task.CLASSIFICATION;
        fullFeatures = new float[Math.multiplyExact(full, featureCount)];
        tailFeatures = tail == 0 ? null : new float[tail * featureCount];
        fullLabels = labels ? new int[full] : null;
        tailLabels = labels && tail != 0 ? new int[tail] : null;
        fullTargets = labels ? null : new float[full];
        tailTargets = labels || tail == 0 ? null : new float[tail];
    }

    /** Iterates all rows of {@code data}. */
    public static BatchIterator over(Dataset data, int batchSize, boolean shuffle, long seed) {
        int[] all = new int[data.size()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        return new BatchIterator(data, all, batchSize, shuffle, seed);
    }

    public int batchSize() {
        return batchSize;
    }

    /** Samples per epoch. */
    public int size() {
        return rows.length;
    }

    /** Batches per epoch, counting a short last one. */
    public int batchesPerEpoch() {
        return (rows.length + batchSize - 1) / batchSize;
    }

    /** Rewinds to the start of {@code epoch}, drawing its order from (seed, epoch) when shuffling. */
    public void startEpoch(int epoch) {
        System.arraycopy(rows, 0, order, 0, rows.length);
        if (shuffle) SeededRandom.forStream(seed, epoch).shuffle(order);
        this.epoch = epoch;
        this.position = 0;
    }

    /**
     * Copies the next batch into host arrays and returns its row count, or 0 at the end of the epoch. Features go
     * to {@code features[0 .. rows * F)}, labels (classification) or targets (regression) to the first
     * {@code rows} entries of the other array, which may be null for the task's unused kind.
     */
    public int nextInto(float[] features, int[] labels, float[] targets) {
        if (epoch < 0) throw new IllegalStateException("call startEpoch before next");
        int n = Math.min(batchSize, rows.length - position);
        if (n <= 0) return 0;
        if (features.length < n * featureCount) throw new IllegalArgumentException("feature buffer of " + features.length + " floats, batch needs " + n * featureCount);
        for (int i = 0; i < n; i++) data.copyRow(order[position + i], features, i * featureCount);
        if (data.task() == Task.CLASSIFICATION) {
            if (labels == null || labels.length < n) throw new IllegalArgumentException("label buffer too small for a batch of " + n);
            int[] y = data.labels();
            for (int i = 0; i < n; i++) labels[i] = y[order[position + i]];
        } else {
            if (targets == null || targets.length < n) throw new IllegalArgumentException("target buffer too small for a batch of " + n);
            float[] t = data.targets();
            for (int i = 0; i < n; i++) targets[i] = t[order[position + i]];
        }
        position += n;
        return n;
    }

    /**
     * Uploads the next batch into {@code x} (first dimension the batch size, F32) and {@code y} (I32 [B] for
     * labels, F32 [B, 1] or [B] for targets) and returns its row count, or 0 at the end of the epoch. A short last
     * batch fills the tensors' first rows.
     */
    public int next(Backend backend, Tensor x, Tensor y) {
        checkTensors(x, y);
        boolean tail = position < rows.length && rows.length - position < batchSize;
        float[] xs = tail ? tailFeatures : fullFeatures;
        int[] ls = tail ? tailLabels : fullLabels;
        float[] ts = tail ? tailTargets : fullTargets;
        int n = nextInto(xs, ls, ts);
        if (n == 0) return 0;
        Tensor xv = n == batchSize ? x : x.firstRows(n);
        Tensor yv = n == batchSize ? y : y.firstRows(n);
        backend.upload(xs, xv);
        if (ls != null) backend.upload(ls, yv);
        else backend.upload(ts, yv);
        return n;
    }

    private void checkTensors(Tensor x, Tensor y) {
        if (x.dtype() != DType.F32 || x.shape().rank() < 1 || x.dim(0) != batchSize || x.shape().rowSize() != featureCount) {
            throw new IllegalArgumentException("batch features must be F32 [" + batchSize + ", " + featureCount + " values per row], got " + x);
        }
        boolean labels = data.task() == Task.CLASSIFICATION;
        DType want = labels ? DType.I32 : DType.F32;
        if (y.dtype() != want || y.shape().rank() < 1 || y.dim(0) != batchSize || y.numel() != batchSize) {
            throw new IllegalArgumentException("batch " + (labels ? "labels must be I32 [" : "targets must be F32 [") + batchSize
                    + (labels ? "]" : ", 1]") + ", got " + y);
        }
    }
}
