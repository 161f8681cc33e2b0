package org.edgeq.quant;

import java.util.Arrays;

import org.edgeq.quant.core.Granularity;
import org.edgeq.quant.core.IntegerGrid;

/**
 * A method that maps every value to an entry of a {@link LandmarkSet} (regular or stochastic rounding). Besides
 * building a set from the tensor itself, it rounds to a given set, which is how the seed's rule of one set per
 * module, pooled from weight and bias, is applied ({@link ModelQuantizer}).
 */
public sealed interface LandmarkQuantizer extends WeightQuantizer permits RoundingQuantizer, StochasticRoundingQuantizer {

    /** How sets are built. */
    LandmarkSetKind setKind();

    /** Per tensor, or one set per output channel. */
    Granularity granularity();

    /**
     * Maps {@code values} to landmarks of {@code set}; {@code streamKey} keys the random stream of stochastic
     * rounding (element i draws Philox uniform (StochasticRoundingQuantizer.key(streamKey), i)) and is ignored by regular rounding.
     */
    default QuantizedTensor.Codebook quantize(float[] values, int[] shape, LandmarkSet set, long streamKey) {
        return codebook(this, values, shape, new LandmarkSet[]{set}, streamKey);
    }

    /** Rounds each output channel to its own set ({@code sets[c]} for channel c). */
    default QuantizedTensor.Codebook quantizePerChannel(float[] values, int[] shape, LandmarkSet[] sets, long streamKey) {
        return codebook(this, values, shape, sets, streamKey);
    }

    /** Maps one value to an index of {@code set}; {@code u} is the element's uniform draw in [0, 1) (unused by regular rounding). */
    int code(LandmarkSet set, float value, float u);

    /** The uniform draws for elements 0..n-1 of the stream {@code streamKey}, or null when the method draws none. */
    float[] draws(long streamKey, int n);

    @Override
    default QuantizedTensor quantize(float[] values, int[] shape, int bits) {
        IntegerGrid.checkBits(bits, 1, 16);
        if (granularity().axis(shape.length) == 0) {
            int channels = shape[0];
            int inner = values.length / channels;
            LandmarkSet[] sets = new LandmarkSet[channels];
            for (int c = 0; c < channels; c++) {
                sets[c] = setKind().build(Arrays.copyOfRange(values, c * inner, (c + 1) * inner), bits);
            }
            return quantizePerChannel(values, shape, sets, 0L);
        }
        return quantize(values, shape, setKind().build(values, bits), 0L);
    }

    /** Codes for every element of a per-tensor or per-channel quantization; {@link #code} and {@link #draws} say how. */
    private static QuantizedTensor.Codebook codebook(LandmarkQuantizer q, float[] values, int[] shape, LandmarkSet[] sets, long streamKey) {
        int n = QuantizedTensor.numel(shape);
        if (values.length != n) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
        int groups = sets.length;
        int inner = groups == 0 ? 0 : n / groups;
        int entries = sets[0].size();
        float[] book = new float[groups * entries];
        int bits = sets[0].bits();
        for (int g = 0; g < groups; g++) {
            if (sets[g].size() != entries) throw new IllegalArgumentException("per-channel sets must have equal sizes");
            System.arraycopy(sets[g].floats(), 0, book, g * entries, entries);
        }
        int[] codes = new int[n];
        float[] u = q.draws(streamKey, n);
        for (int i = 0; i < n; i++) {
            LandmarkSet set = sets[groups == 1 ? 0 : i / inner];
            codes[i] = q.code(set, values[i], u == null ? 0f : u[i]);
        }
        return new QuantizedTensor.Codebook(shape, bits, groups == 1 ? -1 : 0, book, codes);
    }
}
