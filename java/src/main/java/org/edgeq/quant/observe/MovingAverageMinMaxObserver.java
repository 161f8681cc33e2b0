package org.edgeq.quant.observe;

import org.edgeq.quant.Granularity;

/**
 * An exponential moving average of each batch's minimum and maximum (PyTorch's MovingAverageMinMaxObserver):
 * the first batch sets the range, later ones move it by {@code momentum · (batch − current)}.
 */
public final class MovingAverageMinMaxObserver implements Observer {
    private final Granularity granularity;
    private final float momentum;
    private float[] min;
    private float[] max;

    /** @param momentum weight of the newest batch, in (0, 1] (PyTorch's averaging_constant, default 0.01) */
    public MovingAverageMinMaxObserver(Granularity granularity, float momentum) {
        if (!(momentum > 0 && momentum <= 1)) throw new IllegalArgumentException("momentum must be in (0, 1], got " + momentum);
        this.granularity = granularity;
        this.momentum = momentum;
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
        int channels = Observer.channels(granularity, values, shape);
        float[][] mm = MinMaxObserver.batchMinMax(values, channels);
        if (min == null) {
            min = mm[0];
            max = mm[1];
            return;
        }
        MinMaxObserver.checkChannels(min.length, channels);
        for (int c = 0; c < channels; c++) {
            min[c] += momentum * (mm[0][c] - min[c]);
            max[c] += momentum * (mm[1][c] - max[c]);
        }
    }

    @Override
    public QuantRange range() {
        if (min == null) throw new IllegalStateException("moving-average observer has observed nothing");
        return new QuantRange(min, max);
    }

    @Override
    public Observer fresh() {
        return new MovingAverageMinMaxObserver(granularity, momentum);
    }
}
