package org.edgeq.quant;

/**
 * One post-training weight quantization method applied to one tensor. Implementations are immutable and
 * thread-safe; options such as granularity, landmark set or seed go to their constructors.
 */
public sealed interface WeightQuantizer permits MidRiseQuantizer, LandmarkQuantizer, MultiPointQuantizer, MultiPointGridQuantizer, AffineQuantizer {

    /** Which CLI method this is. */
    QuantMethod method();

    /**
     * Quantizes {@code values} (row-major, dimensions {@code shape}, output channels first) at {@code bits}.
     * Does not modify {@code values}.
     */
    QuantizedTensor quantize(float[] values, int[] shape, int bits);
}
