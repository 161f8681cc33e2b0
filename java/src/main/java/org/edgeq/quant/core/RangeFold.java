package org.edgeq.quant.core;

/**
 * How a running range takes in the extremes of one more tensor: the one rule of the extremes observers, evaluated on
 * the host by {@code quant.observe} and on a backend's device by {@code QuantOps.foldExtremes}. A channel whose
 * newest extremes are not both finite keeps its range ([0, 0] if it had none); the first tensor sets the range.
 */
public enum RangeFold {
    /** The newest tensor's extremes only (QAT's weights). */
    CURRENT,
    /** The running minimum and maximum of everything observed. */
    RUNNING,
    /** An exponential moving average: running + momentum · (newest − running). */
    MOVING_AVERAGE;

    /**
     * The new bound of a channel (lower or upper alike) given its running bound and the newest tensor's; the
     * caller has checked that the newest extremes are finite and that a range exists.
     */
    public float apply(float running, float newest, boolean upper, float momentum) {
        return switch (this) {
            case CURRENT -> newest;
            case RUNNING -> upper ? Math.max(running, newest) : Math.min(running, newest);
            case MOVING_AVERAGE -> running + momentum * (newest - running);
        };
    }

    /**
     * Folds one channel's newest extremes into {@code range[at]} (min) and {@code range[at + 1]} (max), in place,
     * with the first-tensor and non-finite rules of the class comment.
     */
    public void fold(float[] range, int at, float newestMin, float newestMax, boolean first, float momentum) {
        if (!Float.isFinite(newestMin) || !Float.isFinite(newestMax)) {
            if (first) {
                range[at] = 0f;
                range[at + 1] = 0f;
            }
            return;
        }
        range[at] = first ? newestMin : apply(range[at], newestMin, false, momentum);
        range[at + 1] = first ? newestMax : apply(range[at + 1], newestMax, true, momentum);
    }
}
