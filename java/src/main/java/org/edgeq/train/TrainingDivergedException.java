package org.edgeq.train;

/** A non-finite training loss; the model holds the best weights seen before it when this is thrown. */
public final class TrainingDivergedException extends RuntimeException {
    private final int epoch;
    private final int batch;
    private final double loss;

    public TrainingDivergedException(int epoch, int batch, double loss) {
        super("training diverged: loss " + loss + " at epoch " + epoch + ", batch " + batch
                + " (try a lower learning rate); the model keeps its best weights from before");
        this.epoch = epoch;
        this.batch = batch;
        this.loss = loss;
    }

    /** 1-based epoch of the bad batch. */
    public int epoch() {
        return epoch;
    }

    /** 1-based batch within the epoch. */
    public int batch() {
        return batch;
    }

    public double loss() {
        return loss;
    }
}
