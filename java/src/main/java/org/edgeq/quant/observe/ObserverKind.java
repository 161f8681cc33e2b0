package org.edgeq.quant.observe;

import org.edgeq.quant.Granularity;

/** The calibration observers a user can pick by name ({@code --observer}). */
public enum ObserverKind {
    MIN_MAX("minmax"),
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

    /** A new observer of this kind; {@code bits} and {@code symmetric} matter only to the MSE observer. */
    public Observer create(Granularity granularity, int bits, boolean symmetric) {
        return switch (this) {
            case MIN_MAX -> new MinMaxObserver(granularity);
            case MOVING_AVERAGE -> new MovingAverageMinMaxObserver(granularity);
            case PERCENTILE -> new PercentileObserver(granularity, DEFAULT_PERCENTILE);
            case MSE -> new MseObserver(granularity, bits, symmetric);
        };
    }

    public static ObserverKind fromCliName(String name) {
        for (ObserverKind k : values()) if (k.cliName.equals(name)) return k;
        throw new IllegalArgumentException("unknown observer '" + name + "' (allowed: minmax, moving-average, percentile, mse)");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
