package org.edgeq.train;

import java.util.List;

/**
 * The outcome of {@link Trainer#train}.
 *
 * @param history   one entry per finished epoch
 * @param bestEpoch 1-based epoch with the lowest validation loss (0 when there was no validation split)
 * @param stop      why training ended
 * @param seconds   wall time of the whole run
 */
public record TrainingResult(List<EpochStats> history, int bestEpoch, StopReason stop, double seconds) {

    /** Why a run ended. */
    public enum StopReason { COMPLETED, EARLY_STOPPED, INTERRUPTED }

    public int epochsRun() {
        return history.size();
    }

    public EpochStats last() {
        return history.isEmpty() ? null : history.getLast();
    }
}
