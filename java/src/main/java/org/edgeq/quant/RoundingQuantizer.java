package org.edgeq.quant;

/** The seed's regular rounding: every value to its nearest landmark (ties to the lower one, as numpy's argmin). */
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
