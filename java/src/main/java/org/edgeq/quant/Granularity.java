package org.edgeq.quant;

/** Whether a tensor shares one set of quantization parameters or has one per output channel (dimension 0). */
public enum Granularity {
    PER_TENSOR,
    PER_CHANNEL;

    /** The {@link QuantizedTensor} axis this granularity stands for on a tensor of {@code rank} dimensions. */
    public int axis(int rank) {
        return this == PER_CHANNEL && rank >= 1 ? 0 : -1;
    }
}
