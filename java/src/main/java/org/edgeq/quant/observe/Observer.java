package org.edgeq.quant.observe;

import java.util.Arrays;

import org.edgeq.quant.core.AffineParams;
import org.edgeq.quant.core.Granularity;

/**
 * Watches tensors (weights once, or activations batch after batch) and settles on a clipping range for affine
 * integer quantization, per tensor or per output channel (dimension 0 of the observed shape), as the observers of
 * PyTorch's {@code torch.ao.quantization.observer}. Not thread-safe.
 */
public sealed interface Observer permits ExtremesObserver, PercentileObserver, MseObserver {

    Granularity granularity();

    /** Records one tensor of dimensions {@code shape} (row-major values). */
    void observe(float[] values, int[] shape);

    /** The range so far; fails if nothing was observed. */
    QuantRange range();

    /** Scale and zero point per channel for {@code bits} (the range as {@link #range()} gives it). */
    default AffineParams[] scaleAndZeroPoint(int bits, boolean symmetric) {
        return range().params(bits, symmetric);
    }

    /** A new, empty observer with the same settings. */
    Observer fresh();

    /** Channels of a tensor of {@code shape} under {@code granularity}. */
    static int channels(Granularity granularity, float[] values, int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        if (n != values.length) throw new IllegalArgumentException("observed shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
        if (values.length == 0) throw new IllegalArgumentException("cannot observe an empty tensor");
        return granularity.axis(shape.length) == 0 ? shape[0] : 1;
    }
}
