package org.edgeq.train;

/** Called after every epoch (progress output, checkpoints); may ask the trainer to stop via {@link Trainer#requestStop()}. */
@FunctionalInterface
public interface EpochListener {
    /**
     * @param stats    the epoch's figures
     * @param improved true when this epoch's validation loss is the best so far, or always without validation
     *                 (the weights a checkpoint should keep)
     */
    void epochEnded(EpochStats stats, boolean improved);

    EpochListener NONE = (s, i) -> { };
}
