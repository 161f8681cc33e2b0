package org.edgeq.quant.observe;

import org.edgeq.quant.core.Granularity;
import org.edgeq.quant.core.RangeFold;

/**
 * The minimum and maximum of the newest tensor only: the observer of QAT's weights, which change only by optimizer
 * steps, so that the grid always spans the weights as they are now.
 */
public final class CurrentMinMaxObserver extends ExtremesObserver {

    public CurrentMinMaxObserver(Granularity granularity) {
        super(granularity, "current min-max");
    }

    @Override
    public RangeFold fold() {
        return RangeFold.CURRENT;
    }

    @Override
    public ExtremesObserver fresh() {
        return new CurrentMinMaxObserver(granularity());
    }
}
