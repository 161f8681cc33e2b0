package org.edgeq.report;

import org.edgeq.study.ResultRow;

import java.util.Locale;

/**
 * A question the best-variant table answers: the variant that minimises one cost while staying within a number of
 * points of its FP32 baseline's quality ({@link QualityMetric} says what a point is).
 */
public enum Budget {
    SMALLEST("smallest model", 1.0, "size_bytes"),
    LOWEST_ENERGY("lowest estimated energy", 2.0, "est_energy_uj_per_inference"),
    FASTEST("fastest", 1.0, "latency_ms_p50"),
    MOST_COMPRESSED("most compressed", 0.5, "w_bits, sparsity");

    private final String what;
    private final double points;
    private final String columns;

    Budget(String what, double points, String columns) {
        this.what = what;
        this.points = points;
        this.columns = columns;
    }

    /** The question in words, e.g. "smallest model within 1 point of FP32". */
    public String question() {
        String p = points == Math.rint(points) ? String.format(Locale.ROOT, "%.0f", points) : String.valueOf(points);
        return what + " within " + p + (points == 1 ? " point" : " points") + " of FP32";
    }

    /** How many points below the baseline a variant may be. */
    public double points() {
        return points;
    }

    /** The results columns the cost comes from. */
    public String columns() {
        return columns;
    }

    /** The cost to minimise; NaN where the row has no figure for it. */
    public double cost(ResultRow r) {
        return switch (this) {
            case SMALLEST -> CostAxis.SIZE.value(r);
            case LOWEST_ENERGY -> CostAxis.ENERGY.value(r);
            case FASTEST -> CostAxis.LATENCY.value(r);
            case MOST_COMPRESSED -> bitsPerWeight(r);
        };
    }

    /**
     * Nominal stored bits per weight: w_bits × the non-zero fraction (the achieved sparsity, else the requested
     * pruning ratio for tables that record no sparsity), index overhead not counted; 32 × 1 for FP32.
     */
    public static double bitsPerWeight(ResultRow r) {
        Integer w = r.recipe().wBits();
        double bits = w == null ? 32 : w;
        double sparsity = r.cost().sparsity();
        if (!Double.isFinite(sparsity)) sparsity = r.recipe().pruneRatio() == null ? 0 : r.recipe().pruneRatio();
        return bits * (1 - sparsity);
    }

    /** The cost as text, with the ratio to the baseline's where that helps ("1,120 B, 0.89× FP32"). */
    public String format(double cost, double baselineCost) {
        if (!Double.isFinite(cost)) return "-";
        String text = switch (this) {
            case SMALLEST -> CostAxis.SIZE.format(cost);
            case LOWEST_ENERGY -> CostAxis.ENERGY.format(cost);
            case FASTEST -> CostAxis.LATENCY.format(cost);
            case MOST_COMPRESSED -> String.format(Locale.ROOT, "%.2f bits/weight", cost);
        };
        if (!Double.isFinite(baselineCost) || baselineCost <= 0 || cost <= 0) return text;
        if (this == MOST_COMPRESSED) return text + String.format(Locale.ROOT, " (%.1f× compression)", baselineCost / cost);
        return text + String.format(Locale.ROOT, " (%s× FP32)", Numbers.significant(cost / baselineCost, 2));
    }
}
