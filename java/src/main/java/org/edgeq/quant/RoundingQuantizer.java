package org.edgeq.quant;

import org.edgeq.quant.core.Granularity;

/**
 * The seed's regular rounding (rounding_quant): every value to the entry of its bin between consecutive stored
 * entries' midpoints, as scipy's binned_statistic bins, or by rounding_quant_old's element rule where scipy refuses
 * the set; see {@link LandmarkSet#nearest(float)}.
 */
public record RoundingQuantizer(LandmarkSetKind setKind, Granularity granularity) implements LandmarkQuantizer {

    /** Per-tensor rounding to sets of {@code kind}, as the seed. */
    public RoundingQuantizer(LandmarkSetKind setKind) {
        this(setKind, Granularity.PER_TENSOR);
    }

    @Override
    public QuantMethod method() {
        return QuantMethod.ROUNDING;
    }

    @Override
    public int code(LandmarkSet set, float value, float u) {
        return set.nearest(value);
    }

    @Override
    public float[] draws(long streamKey, int n) {
        return null;
    }
}
