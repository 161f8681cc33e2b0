package org.edgeq.quant;

/** How a landmark set (the seed's "quantization set") is built from a layer's values ({@code --set}). */
public enum LandmarkSetKind {
    /** linspace(min, max, 2^p) (the seed's uniform_range). */
    UNIFORM("uniform"),
    /** linspace(Q1 − 1.5·IQR, Q3 + 1.5·IQR, 2^p) with midpoint percentiles (the seed's uniform_range_IQR). */
    IQR("iqr"),
    /** Centres of 2^p equal-width bins over [min, max]. */
    HISTOGRAM("histogram"),
    /** Normal quantiles at the inner points of linspace(0, 1, 2^p), plus min and max (the seed's prior_normal). */
    NORMAL("normal"),
    /** Symmetric integer grid: k·s for k in [−(2^(p−1) − 1), 2^(p−1) − 1], s = max|w| / (2^(p−1) − 1). */
    INT_SYMMETRIC("int-sym"),
    /** Asymmetric integer grid: s·(k − z) for k in [0, 2^p − 1] over [min, max] widened to hold 0, s = (max − min)/(2^p − 1), z = round(−min/s). */
    INT_ASYMMETRIC("int-asym");

    private final String cliName;

    LandmarkSetKind(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** Sets apply to regular and stochastic rounding only; mid-rise, multi-point and affine take none. */
    public boolean appliesTo(QuantMethod method) {
        return method.usesLandmarkSet();
    }

    /** Builds this set from {@code values} at {@code bits}. */
    public LandmarkSet build(float[] values, int bits) {
        return switch (this) {
            case UNIFORM -> LandmarkSet.uniform(values, bits);
            case IQR -> LandmarkSet.iqr(values, bits);
            case HISTOGRAM -> LandmarkSet.histogram(values, bits);
            case NORMAL -> LandmarkSet.normal(values, bits);
            case INT_SYMMETRIC -> LandmarkSet.intGrid(true, values, bits);
            case INT_ASYMMETRIC -> LandmarkSet.intGrid(false, values, bits);
        };
    }

    /** The set with this CLI name, or an exception listing the allowed names. */
    public static LandmarkSetKind fromCliName(String name) {
        for (LandmarkSetKind k : values()) if (k.cliName.equals(name)) return k;
        throw new IllegalArgumentException("unknown landmark set '" + name + "' (allowed: uniform, iqr, histogram, normal, int-sym, int-asym)");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
