package org.edgeq.quant;

import org.edgeq.quant.core.Granularity;

import org.edgeq.backend.Philox;

/**
 * The seed's stochastic rounding (stochastic_quant): w ≤ min → the set's first stored entry, w ≥ max → its last,
 * an exact entry stays; otherwise the entries just below and above, the lower with probability (upper − w) /
 * (upper − lower) ({@link LandmarkSet#bracket(float)}). The seed draws with numpy's global generator; EdgeQ takes
 * the lower entry when the {@link Philox} uniform for (key(streamKey), element index) is below that probability,
 * so a run is reproducible from its seed and a GPU kernel can draw the same numbers.
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
