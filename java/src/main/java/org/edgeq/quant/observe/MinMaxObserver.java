package org.edgeq.quant.observe;

import org.edgeq.quant.Granularity;

/** The running minimum and maximum of everything observed (PyTorch's MinMaxObserver / PerChannelMinMaxObserver). */
public final class MinMaxObserver implements Observer {
    private final Granularity granularity;
    private final RunningExtremes extremes = new RunningExtremes(Math::min, Math::max);

    public MinMaxObserver(Granularity granularity) {
        this.granularity = granularity;
    }

    @Override
    public Granularity granularity() {
        return granularity;
    }

    @Override
    public void observe(float[] values, int[] shape) {
        extremes.observe(values, Observer.channels(granularity, values, shape));
    }

    @Override
    public QuantRange range() {
        return extremes.range("min-max");
    }

    @Override
    public Observer fresh() {
        return new MinMaxObserver(granularity);
    }
}
