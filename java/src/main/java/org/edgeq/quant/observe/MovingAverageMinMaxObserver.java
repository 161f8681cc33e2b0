package org.edgeq.quant.observe;

import org.edgeq.quant.core.Granularity;
import org.edgeq.quant.core.RangeFold;

/**
 * An exponential moving average of each batch's minimum and maximum (PyTorch's MovingAverageMinMaxObserver):
 * the first batch sets the range, later ones move it by {@code momentum · (batch − current)}.
 */
public final class MovingAverageMinMaxObserver extends ExtremesObserver {
    /** PyTorch's default averaging_constant. */
    public static final float DEFAULT_MOMENTUM = 0.01f;

    private final float momentum;

    /** @param momentum weight of the newest batch, in (0, 1] (PyTorch's averaging_constant) */
    public MovingAverageMinMaxObserver(Granularity granularity, float momentum) {
        super(granularity, "moving-average");
        if (!(momentum > 0 && momentum <= 1)) throw new IllegalArgumentException("momentum must be in (0, 1], got " + momentum);
        this.momentum = momentum;
    }

    public MovingAverageMinMaxObserver(Granularity granularity) {
        this(granularity, DEFAULT_MOMENTUM);
    }

    @Override
    public float momentum() {
        return momentum;
    }

    @Override
    public RangeFold fold() {
        return RangeFold.MOVING_AVERAGE;
    }

    @Override
    public ExtremesObserver fresh() {
        return new MovingAverageMinMaxObserver(granularity(), momentum);
    }
}
