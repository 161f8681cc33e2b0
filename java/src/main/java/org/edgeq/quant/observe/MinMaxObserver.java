package org.edgeq.quant.observe;

import org.edgeq.quant.core.Granularity;

/** The running minimum and maximum of everything observed (PyTorch's MinMaxObserver / PerChannelMinMaxObserver). */
public final class MinMaxObserver extends ExtremesObserver {

    public MinMaxObserver(Granularity granularity) {
        super(granularity, "min-max");
    }

    @Override
    float fold(float running, float newest, boolean upper) {
        return upper ? Math.max(running, newest) : Math.min(running, newest);
    }

    @Override
    public ExtremesObserver fresh() {
        return new MinMaxObserver(granularity());
    }
}
