package org.edgeq.quant;

/**
 * The seed's mid-rise quantizer: Δ = (max − min) / 2^p, w_q = Δ · (floor(w/Δ) + 0.5), computed in float as the
 * seed's PyTorch code. A single-element tensor (or channel) uses Δ = w / 2^p, as the seed does; so a lone
 * negative value gets a negative Δ and lands at w·(1 + 2^−(p+1)). The formula gives 2^p + 1 levels, the top one holding the
 * maximum (see {@link QuantizedTensor.MidRise}); constant tensors (Δ = 0, NaN in the seed) keep their value.
 */
public record MidRiseQuantizer(Granularity granularity) implements WeightQuantizer {

    /** Per tensor, as the seed. */
    public MidRiseQuantizer() {
        this(Granularity.PER_TENSOR);
    }

    @Override
    public QuantMethod method() {
        return QuantMethod.MID_RISE;
    }

    @Override
    public QuantizedTensor.MidRise quantize(float[] values, int[] shape, int bits) {
        WeightQuantizer.checkBits(bits, 1, 30);
        int n = QuantizedTensor.numel(shape);
        if (values.length != n) throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
        int axis = granularity.axis(shape.length);
        int groups = QuantizedTensor.groups(shape, axis);
        int inner = n / groups;
        float levels = (float) (1L << bits);
        float[] deltas = new float[groups];
        int[] offsets = new int[groups];
        int[] codes = new int[n];
        for (int g = 0; g < groups; g++) {
            int from = g * inner;
            float mn = Float.POSITIVE_INFINITY;
            float mx = Float.NEGATIVE_INFINITY;
            for (int i = from; i < from + inner; i++) {
                if (!Float.isFinite(values[i])) throw new IllegalArgumentException("cannot quantize non-finite value " + values[i] + " at element " + i);
                mn = Math.min(mn, values[i]);
                mx = Math.max(mx, values[i]);
            }
            float delta = inner == 1 ? values[from] / levels : (mx - mn) / levels;
            if (delta == 0) {
                // constant group: delta = 2v with code 0 and offset 0 gives back v exactly
                deltas[g] = 2 * values[from];
                continue;
            }
            long lowest = Long.MAX_VALUE;
            for (int i = from; i < from + inner; i++) lowest = Math.min(lowest, (long) Math.floor(values[i] / delta));
            deltas[g] = delta;
            offsets[g] = Math.toIntExact(lowest);
            for (int i = from; i < from + inner; i++) codes[i] = (int) ((long) Math.floor(values[i] / delta) - lowest);
        }
        return new QuantizedTensor.MidRise(shape, bits, axis, deltas, offsets, codes);
    }
}
