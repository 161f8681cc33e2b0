package org.edgeq.quant.fake;

/** How a fake-quantizer collects the range it quantizes over. */
public enum ObserverKind {
    /** The range of the current tensor (weights: they change only by optimizer steps). */
    MIN_MAX,
    /** The smallest min and largest max over every batch observed (static calibration; torch.ao's MinMaxObserver). */
    RUNNING_MIN_MAX,
    /** An exponential moving average of each batch's min and max (activations; torch.ao's MovingAverageMinMaxObserver). */
    MOVING_AVERAGE
}
