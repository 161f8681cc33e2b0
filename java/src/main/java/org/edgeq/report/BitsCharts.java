package org.edgeq.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Quality against weight bits for one dataset and model, one plot per quantization method (rounding, stochastic,
 * qat-lsq, ...), one curve per landmark set (and activation width) and source, with the FP32 baseline as a
 * dashed grey line. Pruned rows are left to the sparsity plot.
 */
final class BitsCharts {
    private BitsCharts() {
    }

    /** The landmark sets in the order their colours are given, so a set has the same colour in every plot. */
    private static final List<String> SETS = List.of("uniform", "full range", "iqr", "histogram", "prior-normal", "normal",
            "int-sym", "int-asym");

    static List<ChartSpec> plan(SourcedRow.Subject s, List<SourcedRow> rows, QualityMetric metric, Baselines baselines,
                                Charts.FileNames files) {
        Map<String, List<SourcedRow>> byMethod = new LinkedHashMap<>();
        for (SourcedRow r : rows) {
            if (!Variants.isQuantized(r.row()) || Variants.isPruned(r.row())) continue;
            byMethod.computeIfAbsent(r.row().recipe().method(), m -> new ArrayList<>()).add(r);
        }
        List<ChartSpec> charts = new ArrayList<>();
        for (Map.Entry<String, List<SourcedRow>> e : byMethod.entrySet()) {
            CurveSet curves = new CurveSet();
            List<SourcedRow> drawn = new ArrayList<>();
            Map<String, Integer> missing = new LinkedHashMap<>();
            List<String> extraColours = new ArrayList<>();
            for (SourcedRow r : e.getValue()) {
                double q = metric.value(r.row());
                if (!Double.isFinite(q)) {
                    missing.merge(r.source().origin(), 1, Integer::sum);
                    continue;
                }
                String set = Variants.set(r.row().recipe());
                String what = what(r);
                curves.add(r, what, colour(set, extraColours), r.row().recipe().wBits(), q);
                drawn.add(r);
            }
            if (curves.isEmpty()) continue;
            List<ChartSpec.Curve> all = new ArrayList<>(curves.build(ChartSpec.Style.LINE));
            double[] range = curves.xRange();
            all.addAll(Charts.references(drawn, metric, baselines, range[0], range[1]));
            List<String> notes = new ArrayList<>();
            missing.forEach((origin, n) -> notes.add(n + " " + origin + " row" + (n == 1 ? "" : "s") + " of " + e.getKey()
                    + " without " + metric.label() + " left out"));
            String method = e.getKey() == null ? "?" : e.getKey();
            charts.add(new ChartSpec(files.of(s, "bits", method), s,
                    Charts.prefix(s) + ": " + metric.label() + " vs weight bits, " + method,
                    "weight bits (w_bits)", metric.axisLabel(), all, true, List.of(), notes));
        }
        return charts;
    }

    /** A curve's name after its source: the set, the granularity and the activation width where they apply. */
    private static String what(SourcedRow r) {
        List<String> parts = new ArrayList<>();
        String set = Variants.set(r.row().recipe());
        if (set != null) parts.add(set);
        String granularity = Variants.granularity(r.row().recipe());
        if (granularity != null) parts.add(granularity);
        if (r.row().recipe().aBits() != null) parts.add("A" + r.row().recipe().aBits());
        return String.join(" · ", parts);
    }

    private static int colour(String set, List<String> extra) {
        if (set == null) return 0;
        int i = SETS.indexOf(set);
        if (i >= 0) return i;
        if (!extra.contains(set)) extra.add(set);
        return SETS.size() + extra.indexOf(set);
    }
}
