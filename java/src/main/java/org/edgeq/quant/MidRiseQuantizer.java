package org.edgeq.quant;

import java.util.Arrays;

import org.edgeq.quant.core.Granularity;
import org.edgeq.quant.core.IntegerGrid;

/**
 * The seed's mid-rise quantizer, in float32 as its PyTorch code: Δ = (max − min) / 2^p (or, with {@link Range#IQR},
 * the seed's mid-rise over the IQR range: Δ = (Q3 + 1.5·IQR − (Q1 − 1.5·IQR)) / 2^p with numpy's midpoint
 * percentiles, in double, then float32), w_q = Δ · (floor(w/Δ) + 0.5).
 *
 * <p>When the tensor's FIRST DIMENSION is 1 (the seed's {@code len(w) == 1}: a [1, h] output weight, a [1] bias)
 * Δ = w / 2^p element by element, so each value lands at w·(1 + 2^−(p+1)) in float32, whatever the granularity.
 * The formula gives 2^p + 1 levels over the full range, the top one holding the maximum (see
 * {@link QuantizedTensor.MidRise}); over the IQR range values beyond the whiskers get levels of their own (the
 * seed does not clip). Where the seed divides 0 by 0 EdgeQ keeps the value: a zero in a first-dimension-1 tensor,
 * a constant tensor or channel (NaN in the seed). An IQR of width 0 (the seed: NaN or ±∞) falls back to the full
 * range. Per-channel Δ is EdgeQ's.
 */
public record MidRiseQuantizer(Granularity granularity, Range range) implements WeightQuantizer {

    /** The range Δ spans. */
    public enum Range {
        /** [min, max] (the seed's full_range). */
        FULL,
        /** [Q1 − 1.5·IQR, Q3 + 1.5·IQR] (the seed's range_IQR). */
        IQR
    }

    /** Per tensor over the full range, as the seed. */
    public MidRiseQuantizer() {
        this(Granularity.PER_TENSOR, Range.FULL);
    }

    /** Over the full range with the given granularity. */
    public MidRiseQuantizer(Granularity granularity) {
        this(granularity, Range.FULL);
    }

    @Override
    public QuantMethod method() {
        return QuantMethod.MID_RISE;
    }

    @Override
    public QuantizedTensor.MidRise quantize(float[] values, int[] shape, int bits) {
        IntegerGrid.checkBits(bits, 1, 30);
        int n = QuantizedTensor.numel(shape);
        if (values.length != n) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(values[i])) throw new IllegalArgumentException("cannot quantize non-finite value " + values[i] + " at element " + i);
        }
        float levels = (float) (1L << bits);
        if (shape.length >= 1 && shape[0] == 1) return perElement(values, shape, bits, levels);
        int axis = granularity.axis(shape.length);
        int groups = QuantizedTensor.groups(shape, axis);
        int inner = n / groups;
        float[] deltas = new float[groups];
        int[] offsets = new int[groups];
        int[] codes = new int[n];
        for (int g = 0; g < groups; g++) {
            int from = g * inner;
            float[] group = Arrays.copyOfRange(values, from, from + inner);
            float delta = delta(group, levels);
            if (delta == 0) {
                // constant group: delta = 2v with code 0 and offset 0 gives back v exactly
                deltas[g] = 2 * values[from];
                continue;
            }
            long lowest = Long.MAX_VALUE;
            for (int i = from; i < from + inner; i++) lowest = Math.min(lowest, (long) Math.floor(values[i] / delta));
            deltas[g] = delta;
            offsets[g] = Math.toIntExact(lowest);
            for (int i = from; i < from + inner; i++) codes[i] = Math.toIntExact((long) Math.floor(values[i] / delta) - lowest);
        }
        return new QuantizedTensor.MidRise(shape, bits, axis, deltas, offsets, codes);
    }

    /** Δ of one group in float32: the full range, or the IQR range (in double, then float), 0 for a constant group. */
    private float delta(float[] group, float levels) {
        float[] mm = LandmarkSet.minMax(group);
        float full = (mm[1] - mm[0]) / levels;
        if (range == Range.FULL) return full;
        double[] whiskers = LandmarkSet.iqrWhiskers(group);
        float iqr = (float) ((whiskers[1] - whiskers[0]) / (double) levels);
        return iqr > 0 ? iqr : full;
    }

    /** The seed's first-dimension-1 rule: Δ_i = w_i / 2^p, each element its own step (code 0, offset floor(w/Δ)). */
    private static QuantizedTensor.MidRise perElement(float[] values, int[] shape, int bits, float levels) {
        int n = values.length;
        float[] deltas = new float[n];
        int[] offsets = new int[n];
        for (int i = 0; i < n; i++) {
            float delta = values[i] / levels;
            if (delta == 0) {
                deltas[i] = 2 * values[i];
                continue;
            }
            deltas[i] = delta;
            offsets[i] = Math.toIntExact((long) Math.floor(values[i] / delta));
        }
        return new QuantizedTensor.MidRise(shape, bits, QuantizedTensor.MidRise.PER_ELEMENT, deltas, offsets, new int[n]);
    }
}
