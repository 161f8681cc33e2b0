package org.edgeq.quant;

import org.edgeq.backend.Philox;

/**
 * The seed's stochastic rounding: every value to the landmark just below or just above it, going up with
 * probability (w − below) / (above − below), so the result is unbiased; values outside the set clamp to its ends.
 * Draws come from {@link Philox} keyed by {@code seed} (mixed with a per-tensor key) with the element index as
 * counter, so a GPU kernel can reproduce them exactly.
 */
public record StochasticRoundingQuantizer(LandmarkSetKind setKind, Granularity granularity, long seed) implements LandmarkQuantizer {

    /** Per-tensor stochastic rounding, as the seed. */
    public StochasticRoundingQuantizer(LandmarkSetKind setKind, long seed) {
        this(setKind, Granularity.PER_TENSOR, seed);
    }

    @Override
    public QuantMethod method() {
        return QuantMethod.STOCHASTIC;
    }

    /** The Philox key for a tensor with stream key {@code streamKey} (0 for a lone tensor). */
    public long key(long streamKey) {
        return seed ^ (streamKey * 0x9E3779B97F4A7C15L);
    }

    @Override
    public int code(LandmarkSet set, float value, float u) {
        return set.stochastic(value, u);
    }

    /** Philox uniforms (key(streamKey), i) for i in [0, n). */
    @Override
    public float[] draws(long streamKey, int n) {
        float[] u = new float[n];
        Philox.uniforms(key(streamKey), 0, u, n);
        return u;
    }
}
