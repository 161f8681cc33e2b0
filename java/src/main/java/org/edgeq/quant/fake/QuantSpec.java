package org.edgeq.quant.fake;

import org.edgeq.quant.core.IntegerGrid;
import org.edgeq.quant.observe.MovingAverageMinMaxObserver;
import org.edgeq.quant.observe.ObserverKind;

/**
 * How one layer role (weight or activation) is fake-quantized: integer width, grid, granularity, observer and
 * whether the step size is learned (LSQ).
 *
 * @param bits              integer width, 2..16
 * @param symmetric         signed grid restricted to [-(2^(b-1) - 1), 2^(b-1) - 1] with zero point 0, so that
 *                          quantization commutes with negation (batch-norm folding with a negative gamma keeps the
 *                          quantized weights; TensorRT and LSQ use this range for weights); else unsigned
 *                          [0, 2^b - 1] with a zero point fitted to the range
 * @param perChannel        one scale per output channel (axis 0) instead of one per tensor
 * @param observer          how the range is collected: a kind that folds per-channel extremes (current, minmax or
 *                          moving average), which the backend computes; percentile and MSE ranges come in through
 *                          {@link ActivationCalibration} instead
 * @param averagingConstant weight of a new batch in the moving average (torch.ao's default 0.01)
 * @param learnedStep       LSQ: the scale is initialised from the observer, then trained (symmetric grids only)
 */
public record QuantSpec(int bits, boolean symmetric, boolean perChannel, ObserverKind observer, float averagingConstant,
                        boolean learnedStep) {

    public QuantSpec {
        IntegerGrid.checkBits(bits, 2, IntegerGrid.MAX_BITS);
        if (observer == null) throw new IllegalArgumentException("observer must not be null");
        if (!observer.foldsExtremes()) {
            throw new IllegalArgumentException("a fake quantizer's observer must fold extremes (current, minmax, moving-average), got " + observer);
        }
        if (!(averagingConstant > 0 && averagingConstant <= 1)) {
            throw new IllegalArgumentException("averagingConstant must be in (0, 1], got " + averagingConstant);
        }
        if (learnedStep && !symmetric) throw new IllegalArgumentException("a learned step (LSQ) needs a symmetric grid");
    }

    /** Weights: symmetric, per output channel, range of the current weights. */
    public static QuantSpec weights(int bits) {
        return new QuantSpec(bits, true, true, ObserverKind.CURRENT, MovingAverageMinMaxObserver.DEFAULT_MOMENTUM, false);
    }

    /** Activations: asymmetric, per tensor, moving-average range. */
    public static QuantSpec activations(int bits) {
        return perTensor(bits, false, ObserverKind.MOVING_AVERAGE);
    }

    /** One scale for the whole tensor, its range from {@code observer} (moving averages with torch.ao's momentum). */
    public static QuantSpec perTensor(int bits, boolean symmetric, ObserverKind observer) {
        return new QuantSpec(bits, symmetric, false, observer, MovingAverageMinMaxObserver.DEFAULT_MOMENTUM, false);
    }

    /** The same recipe with a learned step size (and a symmetric grid, as LSQ uses). */
    public QuantSpec withLearnedStep() {
        return new QuantSpec(bits, true, perChannel, observer, averagingConstant, true);
    }

    /** The integer codes this recipe quantizes to. */
    public IntegerGrid grid() {
        return new IntegerGrid(bits, symmetric);
    }

    /** Smallest integer code. */
    public int qmin() {
        return IntegerGrid.qmin(bits, symmetric);
    }

    /** Largest integer code. */
    public int qmax() {
        return IntegerGrid.qmax(bits, symmetric);
    }
}
