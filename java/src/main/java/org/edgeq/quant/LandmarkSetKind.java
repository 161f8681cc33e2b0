package org.edgeq.quant;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a landmark set (the seed's "quantization set") is built from a module's values ({@code --set}). The seed's
 * sets keep the seed's construction and names; {@code normal}, {@code int-sym} and {@code int-asym} are EdgeQ's.
 */
public enum LandmarkSetKind {
    /** The seed's uniform_range: torch.linspace(min, max, 2^p) in float32. */
    UNIFORM("uniform", "uniform_range", "full_range"),
    /** The seed's uniform_range_IQR: linspace(Q1 − 1.5·IQR, Q3 + 1.5·IQR, 2^p), midpoint percentiles. */
    IQR("iqr", "uniform_range_IQR"),
    /** The seed's histogram: centres of numpy's 2^p equal-width bins over [min, max]. */
    HISTOGRAM("histogram", "histogram"),
    /** The seed's prior_normal: normal quantiles (unbiased std) at the inner points of linspace(0, 1, 2^p), then min, then max, unsorted. */
    PRIOR_NORMAL("prior-normal", "prior_normal"),
    /** EdgeQ: the prior_normal points sorted ascending. */
    NORMAL("normal", null),
    /** EdgeQ: symmetric integer grid k·s for k in [−(2^(p−1) − 1), 2^(p−1) − 1], s = max|w| / (2^(p−1) − 1). */
    INT_SYMMETRIC("int-sym", null),
    /** EdgeQ: asymmetric integer grid s·(k − z) for k in [0, 2^p − 1] over [min, max] widened to hold 0. */
    INT_ASYMMETRIC("int-asym", null);

    private final String cliName;
    private final String seedName;
    private final List<String> aliases;

    LandmarkSetKind(String cliName, String seedName, String... moreAliases) {
        this.cliName = cliName;
        this.seedName = seedName;
        ArrayList<String> a = new ArrayList<>();
        if (seedName != null && !seedName.equals(cliName)) a.add(seedName);
        a.addAll(Arrays.asList(moreAliases));
        this.aliases = List.copyOf(a);
    }

    public String cliName() {
        return cliName;
    }

    /** The seed's bin_method value for this set, or null for EdgeQ's own sets. */
    public String seedName() {
        return seedName;
    }

    /** Whether this is one of the seed's sets (built exactly as the seed builds it). */
    public boolean isSeeds() {
        return seedName != null;
    }

    /**
     * Whether the set applies to {@code method}: every set to regular and stochastic rounding; uniform (mid-rise's
     * full range) and iqr to mid-rise; the integer grids to affine (as its format); none to multi-point.
     */
    public boolean appliesTo(QuantMethod method) {
        return switch (method) {
            case ROUNDING, STOCHASTIC -> true;
            case MID_RISE -> this == UNIFORM || this == IQR;
            case AFFINE -> this == INT_SYMMETRIC || this == INT_ASYMMETRIC;
            case MULTIPOINT, MULTIPOINT_GRID -> false;
        };
    }

    /** Builds this set from {@code values} at {@code bits}. */
    public LandmarkSet build(float[] values, int bits) {
        return switch (this) {
            case UNIFORM -> LandmarkSet.uniform(values, bits);
            case IQR -> LandmarkSet.iqr(values, bits);
            case HISTOGRAM -> LandmarkSet.histogram(values, bits);
            case PRIOR_NORMAL -> LandmarkSet.priorNormal(values, bits);
            case NORMAL -> LandmarkSet.normal(values, bits);
            case INT_SYMMETRIC -> LandmarkSet.intGrid(true, values, bits);
            case INT_ASYMMETRIC -> LandmarkSet.intGrid(false, values, bits);
        };
    }

    /** The set with this CLI name or one of the seed's names for it, or an exception listing the allowed names. */
    public static LandmarkSetKind fromCliName(String name) {
        for (LandmarkSetKind k : values()) {
            if (k.cliName.equals(name)) return k;
            for (String a : k.aliases) if (a.equalsIgnoreCase(name)) return k; // the CLI lower-cases uniform_range_IQR
        }
        throw new IllegalArgumentException("unknown landmark set '" + name + "' (allowed: uniform, iqr, histogram, prior-normal, normal, "
                + "int-sym, int-asym; the seed's names uniform_range, uniform_range_IQR, prior_normal, full_range)");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
