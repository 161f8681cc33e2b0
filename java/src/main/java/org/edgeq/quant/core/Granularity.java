package org.edgeq.quant.core;


/** Whether a tensor shares one set of quantization parameters or has one per output channel (dimension 0). */
public enum Granularity {
    PER_TENSOR,
    PER_CHANNEL;

    /** The axis that owns a set of parameters under this granularity on a tensor of {@code rank} dimensions (-1: none). */
    public int axis(int rank) {
        return this == PER_CHANNEL && rank >= 1 ? 0 : -1;
    }
}
