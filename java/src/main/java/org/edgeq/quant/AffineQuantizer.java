package org.edgeq.quant;

import java.util.Arrays;

import org.edgeq.quant.core.AffineParams;
import org.edgeq.quant.core.Granularity;
import org.edgeq.quant.core.IntegerGrid;

import org.edgeq.quant.observe.Observer;
import org.edgeq.quant.observe.ObserverKind;

/**
 * Uniform affine integer quantization (int1..int16; int2..int16 when symmetric), per tensor or per output
 * channel, with the range chosen by a calibration observer run over the tensor itself. Formats and rounding as
 * {@link AffineParams} describes.
 */
public record AffineQuantizer(boolean symmetric, Granularity granularity, ObserverKind observer) implements WeightQuantizer {

    /** Per-channel symmetric min-max, the usual recipe for weights. */
    public AffineQuantizer() {
        this(true, Granularity.PER_CHANNEL, ObserverKind.MIN_MAX);
    }

    @Override
    public QuantMethod method() {
        return QuantMethod.AFFINE;
    }

    @Override
    public QuantizedTensor.Affine quantize(float[] values, int[] shape, int bits) {
        new IntegerGrid(bits, symmetric);
        Observer obs = observer.create(granularity, bits, symmetric);
        obs.observe(values, shape);
        return quantizeWith(values, shape, granularity.axis(shape.length), obs.scaleAndZeroPoint(bits, symmetric));
    }

    /** Quantizes with given parameters: one for the tensor (axis -1) or one per output channel (axis 0). */
    public static QuantizedTensor.Affine quantizeWith(float[] values, int[] shape, int axis, AffineParams[] params) {
        int n = QuantizedTensor.numel(shape);
        if (values.length != n) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
        int groups = params.length;
        if (groups != QuantizedTensor.groups(shape, axis)) throw new IllegalArgumentException(groups + " affine parameter sets for tensor " + Arrays.toString(shape) + " with axis " + axis);
        int inner = n / groups;
        float[] scales = new float[groups];
        int[] zps = new int[groups];
        for (int g = 0; g < groups; g++) {
            scales[g] = params[g].scale();
            zps[g] = params[g].zeroPoint();
        }
        int[] codes = new int[n];
        for (int i = 0; i < n; i++) codes[i] = params[i / inner].quantize(values[i]);
        return new QuantizedTensor.Affine(shape, params[0].bits(), params[0].symmetric(), axis, scales, zps, codes);
    }
}
