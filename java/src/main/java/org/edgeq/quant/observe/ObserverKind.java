package org.edgeq.quant.observe;

import org.edgeq.quant.core.Granularity;

/** The observers, by the name a user picks them with ({@code --observer}) and QAT's recipes name them. */
public enum ObserverKind {
    /** The newest tensor's range only (QAT's weights). */
    CURRENT("current"),
    /** The running min and max over every tensor observed (static calibration). */
    MIN_MAX("minmax"),
    /** An exponential moving average of each tensor's min and max (QAT's activations). */
    MOVING_AVERAGE("moving-average"),
    PERCENTILE("percentile"),
    MSE("mse");

    /** Upper percentile used by {@link #PERCENTILE} when created by kind. */
    public static final double DEFAULT_PERCENTILE = 99.99;

    private final String cliName;

    ObserverKind(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** Whether the range folds per-channel extremes ({@link ExtremesObserver}), which a backend can compute. */
    public boolean foldsExtremes() {
        return this == CURRENT || this == MIN_MAX || this == MOVING_AVERAGE;
    }

    /** A new observer of this kind; {@code bits} and {@code symmetric} matter only to the MSE observer. */
    public Observer create(Granularity granularity, int bits, boolean symmetric) {
        return switch (this) {
            case CURRENT, MIN_MAX, MOVING_AVERAGE -> extremes(granularity, MovingAverageMinMaxObserver.DEFAULT_MOMENTUM);
            case PERCENTILE -> new PercentileObserver(granularity, DEFAULT_PERCENTILE);
            case MSE -> new MseObserver(granularity, bits, symmetric);
        };
    }

    /** A new observer of this extremes-folding kind, moving averages with {@code momentum}. */
    public ExtremesObserver extremes(Granularity granularity, float momentum) {
        return switch (this) {
            case CURRENT -> new CurrentMinMaxObserver(granularity);
            case MIN_MAX -> new MinMaxObserver(granularity);
            case MOVING_AVERAGE -> new MovingAverageMinMaxObserver(granularity, momentum);
            case PERCENTILE, MSE -> throw new IllegalArgumentException("the " + cliName + " observer needs whole tensors, not extremes");
        };
    }

    public static ObserverKind fromCliName(String name) {
        for (ObserverKind k : values()) if (k.cliName.equals(name)) return k;
        throw new IllegalArgumentException("unknown observer '" + name + "' (allowed: current, minmax, moving-average, percentile, mse)");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
