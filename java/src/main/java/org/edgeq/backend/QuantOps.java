package org.edgeq.backend;

import org.edgeq.tensor.Tensor;

/**
 * The quantization family of the {@link Backend} SPI: fake quantization (quantize-dequantize) forward, its
 * straight-through and LSQ backward passes, per tensor and per channel, and the minima and maxima observers read.
 *
 * <p>Integer codes lie in [qmin, qmax], -65536 <= qmin < qmax <= 65536, with a zero point z, qmin <= z <= qmax.
 * For an element x and step size s > 0 (finite):
 * <pre>
 *   r = rint(x * inv), inv = 1f / s       (float arithmetic, round half to even: PyTorch's fake_quantize exactly)
 *   q = clamp(r + z, qmin, qmax)          the integer code
 *   y = (q - z) * s                       the dequantized value (never -0: a zero code gives +0)
 * </pre>
 * "In range" means qmin <= r + z <= qmax; the straight-through estimator passes gradients only there.
 * Per-channel variants quantize channel c = the index along axis 0 of x (x viewed as [C, numel / C]) with
 * scales[c] (F32, C elements) and zeroPoints[c] (I32, C elements). NaN inputs give NaN outputs and zero gradient.
 */
public sealed interface QuantOps permits Backend {

    /** Per-tensor fake quantization y = (clamp(rint(x * (1 / scale)) + zeroPoint, qmin, qmax) - zeroPoint) * scale; y may be x. */
    void fakeQuantize(Tensor x, Tensor y, float scale, int zeroPoint, int qmin, int qmax);

    /** Per-channel (axis 0) fake quantization with scales (F32) and zeroPoints (I32), one per channel; y may be x. */
    void fakeQuantizePerChannel(Tensor x, Tensor y, Tensor scales, Tensor zeroPoints, int qmin, int qmax);

    /**
     * Straight-through estimator for {@link #fakeQuantize}: dx = dy where x is in range, else 0. x is the
     * fake-quantize input (not its output); dx may be dy.
     */
    void fakeQuantizeBackward(Tensor x, Tensor dy, Tensor dx, float scale, int zeroPoint, int qmin, int qmax);

    /** Straight-through estimator for {@link #fakeQuantizePerChannel}; dx may be dy. */
    void fakeQuantizePerChannelBackward(Tensor x, Tensor dy, Tensor dx, Tensor scales, Tensor zeroPoints, int qmin, int qmax);

    /**
     * LSQ backward (Esser et al. 2020, learned step size) for {@link #fakeQuantize}: writes the straight-through dx
     * (as {@link #fakeQuantizeBackward}; dx may be dy, or null when only the step-size gradient is wanted) and
     * returns gradScale * sum_i dy_i * dy_i/ds, where dy_i/ds = r_i - x_i * inv in range, (qmin - z) below it and
     * (qmax - z) above it. LSQ uses gradScale = 1 / sqrt(numel * qmax). Summed in double over fixed blocks, so
     * the result does not depend on the thread count.
     */
    double fakeQuantizeLsqBackward(Tensor x, Tensor dy, Tensor dx, float scale, int zeroPoint, int qmin, int qmax,
                                   float gradScale);

    /**
     * Per-channel LSQ backward: dx as {@link #fakeQuantizePerChannelBackward} (nullable, may be dy) and
     * dScales[c] = gradScale * sum over channel c of dy_i * dy_i/ds_c (overwritten, summed in double in index
     * order).
     */
    void fakeQuantizePerChannelLsqBackward(Tensor x, Tensor dy, Tensor dx, Tensor scales, Tensor zeroPoints,
                                           int qmin, int qmax, float gradScale, Tensor dScales);

    /**
     * Smallest and largest element of x into out[0] and out[1] (out has at least two entries); NaN when x holds
     * a NaN; +infinity and -infinity for an empty x. What calibration observers read.
     */
    void minMax(Tensor x, float[] out);

    /** Per-channel (axis 0) minimum and maximum of x into mins and maxs (F32, C elements each). */
    void minMaxPerChannel(Tensor x, Tensor mins, Tensor maxs);
}
