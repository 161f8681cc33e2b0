package org.edgeq.quant.observe;

import org.edgeq.quant.core.Granularity;
import org.edgeq.quant.core.RangeFold;

/** The running minimum and maximum of everything observed (PyTorch's MinMaxObserver / PerChannelMinMaxObserver). */
public final class MinMaxObserver extends ExtremesObserver {

    public MinMaxObserver(Granularity granularity) {
        super(granularity, "min-max");
    }

    @Override
    public RangeFold fold() {
        return RangeFold.RUNNING;
    }

    @Override
    public ExtremesObserver fresh() {
        return new MinMaxObserver(granularity());
    }
}
