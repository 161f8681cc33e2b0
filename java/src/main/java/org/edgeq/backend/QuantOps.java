package org.edgeq.backend;

import org.edgeq.quant.core.RangeFold;
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
 * scales[c] (F32, C elements) and zeroPoints[c] (I32, C elements). Per-tensor variants read their one scale and
 * zero point from one-element tensors too, so that a QAT step whose observers run here ({@link #foldExtremes},
 * {@link #affineParams}) never waits on the device for its parameters. NaN inputs give NaN outputs and zero
 * gradient.
 */
public sealed interface QuantOps permits Backend {

    /**
     * Per-tensor fake quantization y = (clamp(rint(x * (1 / s)) + z, qmin, qmax) - z) * s with s = scale[0] (F32)
     * and z = zeroPoint[0] (I32); y may be x.
     */
    void fakeQuantize(Tensor x, Tensor y, Tensor scale, Tensor zeroPoint, int qmin, int qmax);

    /** Per-channel (axis 0) fake quantization with scales (F32) and zeroPoints (I32), one per channel; y may be x. */
    void fakeQuantizePerChannel(Tensor x, Tensor y, Tensor scales, Tensor zeroPoints, int qmin, int qmax);

    /**
     * Straight-through estimator for {@link #fakeQuantize}: dx = dy where x is in range, else 0. x is the
     * fake-quantize input (not its output); dx may be dy.
     */
    void fakeQuantizeBackward(Tensor x, Tensor dy, Tensor dx, Tensor scale, Tensor zeroPoint, int qmin, int qmax);

    /** Straight-through estimator for {@link #fakeQuantizePerChannel}; dx may be dy. */
    void fakeQuantizePerChannelBackward(Tensor x, Tensor dy, Tensor dx, Tensor scales, Tensor zeroPoints, int qmin, int qmax);

    /**
     * LSQ backward (Esser et al. 2020, learned step size) for {@link #fakeQuantize}: writes the straight-through dx
     * (as {@link #fakeQuantizeBackward}; dx may be dy, or null when only the step-size gradient is wanted) and
     * dScale[0] = (float) (gradScale * sum_i dy_i * dy_i/ds), where dy_i/ds = r_i - x_i * inv in range, (qmin - z)
     * below it and (qmax - z) above it. LSQ uses gradScale = 1 / sqrt(numel * qmax). The sum is taken in double over
     * fixed blocks of the elements, block sums added in block order, so it does not depend on the thread count.
     */
    void fakeQuantizeLsqBackward(Tensor x, Tensor dy, Tensor dx, Tensor scale, Tensor zeroPoint, int qmin, int qmax,
                                 float gradScale, Tensor dScale);

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

    /**
     * One observer step on the device: takes the per-channel (axis 0, C = runningMins.numel(); one channel for
     * per-tensor) minimum and maximum of x, as {@link #minMaxPerChannel} computes them, and folds them into the
     * running range (F32, C elements each) by {@code fold}, exactly as {@link RangeFold#fold} does: {@code first}
     * sets the range; a channel whose newest extremes are not both finite keeps its range ([0, 0] on the first).
     */
    void foldExtremes(Tensor x, Tensor runningMins, Tensor runningMaxs, RangeFold fold, float momentum, boolean first);

    /**
     * Scale and zero point for each channel's range [mins[c], maxs[c]] by {@code AffineParams}' rule (torch.ao's
     * {@code _calculate_qparams}, quant.core) on the grid [qmin, qmax], symmetric or not: into scales (F32) and
     * zeroPoints (I32), C elements each.
     */
    void affineParams(Tensor mins, Tensor maxs, Tensor scales, Tensor zeroPoints, int qmin, int qmax, boolean symmetric);

    /** scales[i] = max(scales[i], minScale) in place, NaN becoming minScale too: what keeps a learned step positive. */
    void clampScales(Tensor scales, float minScale);

    /**
     * A fake quantizer's training forward in one call: {@link #foldExtremes}, {@link #affineParams}, then
     * {@link #fakeQuantize} (one channel) or {@link #fakeQuantizePerChannel}, with exactly their results. A backend
     * may fuse them: the CPU quantizes each channel while it is still in cache from the fold, one pass over the
     * weights instead of two.
     */
    default void observeAndFakeQuantize(Tensor x, Tensor y, Tensor runningMins, Tensor runningMaxs, RangeFold fold,
                                        float momentum, boolean first, Tensor scales, Tensor zeroPoints, int qmin,
                                        int qmax, boolean symmetric) {
        foldExtremes(x, runningMins, runningMaxs, fold, momentum, first);
        affineParams(runningMins, runningMaxs, scales, zeroPoints, qmin, qmax, symmetric);
        if (scales.numel() == 1) {
            fakeQuantize(x, y, scales, zeroPoints, qmin, qmax);
        } else {
            fakeQuantizePerChannel(x, y, scales, zeroPoints, qmin, qmax);
        }
    }
}
