package org.edgeq.quant.observe;

import org.edgeq.quant.Granularity;

/**
 * An exponential moving average of each batch's minimum and maximum (PyTorch's MovingAverageMinMaxObserver):
 * the first batch sets the range, later ones move it by {@code momentum · (batch − current)}.
 */
public final class MovingAverageMinMaxObserver implements Observer {
    private final Granularity granularity;
    private final float momentum;
    private final RunningExtremes extremes;

    /** @param momentum weight of the newest batch, in (0, 1] (PyTorch's averaging_constant, default 0.01) */
    public MovingAverageMinMaxObserver(Granularity granularity, float momentum) {
        if (!(momentum > 0 && momentum <= 1)) throw new IllegalArgumentException("momentum must be in (0, 1], got " + momentum);
        this.granularity = granularity;
        this.momentum = momentum;
        this.extremes = new RunningExtremes(this::moveToward, this::moveToward);
    }

    public MovingAverageMinMaxObserver(Granularity granularity) {
        this(granularity, 0.01f);
    }

    public float momentum() {
        return momentum;
    }

    @Override
    public Granularity granularity() {
        return granularity;
    }

    @Override
    public void observe(float[] values, int[] shape) {
        extremes.observe(values, Observer.channels(granularity, values, shape));
    }

    private float moveToward(float running, float batch) {
        return running + momentum * (batch - running);
    }

    @Override
    public QuantRange range() {
        return extremes.range("moving-average");
    }

    @Override
    public Observer fresh() {
        return new MovingAverageMinMaxObserver(granularity, momentum);
    }
}
