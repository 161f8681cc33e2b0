package org.edgeq.train;

import org.edgeq.backend.Backend;
import org.edgeq.tensor.DType;
import org.edgeq.tensor.Shape;
import org.edgeq.tensor.Tensor;
import org.edgeq.tensor.TensorScope;

/**
 * An epoch's training accuracy, gathered without a copy back per step: each batch's argmax rows stay on the
 * backend beside those of the batches before, and the epoch's end reads them all at once and counts them against
 * the labels (which the host has anyway). So a training step on a GPU returns only its loss to the host.
 *
 * <p>The backend's argmax takes the first of equal maxima, as {@link org.edgeq.metrics.Metrics#argmax} does; the two
 * differ only on NaN logits, which end training (a non-finite loss) before any accuracy is read.
 */
final class TrainAccuracy {
    private final Backend backend;
    private final Tensor predictions;
    private final int[] labels;
    private int seen;

    TrainAccuracy(Backend backend, TensorScope scope, int rows) {
        this.backend = backend;
        this.predictions = backend.allocate(scope, DType.I32, rows);
        this.labels = new int[rows];
    }

    /** Records the predictions of one batch: the row argmax of its [n, k] logits, on the backend. */
    void record(Tensor logits, int n, int[] batchLabels) {
        Tensor rows = new Tensor(Shape.of(n), DType.I32,
                predictions.segment().asSlice((long) seen * Integer.BYTES, (long) n * Integer.BYTES), predictions.isHost());
        backend.argmaxRows(logits, rows);
        System.arraycopy(batchLabels, 0, labels, seen, n);
        seen += n;
    }

    /** Predictions equal to their labels since the last call (one copy back), and starts the next epoch. */
    long correctAndReset() {
        if (seen == 0) return 0;
        int[] predicted = new int[seen];
        backend.download(predictions.firstRows(seen), predicted);
        long correct = 0;
        for (int i = 0; i < seen; i++) if (predicted[i] == labels[i]) correct++;
        seen = 0;
        return correct;
    }
}
