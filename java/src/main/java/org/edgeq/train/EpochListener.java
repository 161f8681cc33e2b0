package org.edgeq.train;

/**
 * Called after every epoch (progress output, checkpoints) and, for progress bars, after every training batch; may ask
 * the trainer to stop via {@link Trainer#requestStop()}.
 */
@FunctionalInterface
public interface EpochListener {
    /**
     * @param stats    the epoch's figures
     * @param improved true when this epoch's validation loss is the best so far, or always without validation
     *                 (the weights a checkpoint should keep)
     */
    void epochEnded(EpochStats stats, boolean improved);

    /**
     * After the optimizer step of batch {@code batch} (from 1) of {@code batches} in epoch {@code epoch} (from 1);
     * a no-op unless overridden. Called on the training thread, so it must be cheap.
     */
    default void batchEnded(int epoch, int batch, int batches) {
    }

    EpochListener NONE = (s, i) -> { };
}
