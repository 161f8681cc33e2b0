package org.edgeq.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Quality against weight sparsity for one dataset and model: one curve per pruning method, scope, quantizer and
 * source, with the FP32 baseline as a dashed grey line. The x value is the achieved sparsity; the seed's tables
 * record only the requested pruning ratio, which stands in for their rows (the note under the plot says so).
 */
final class SparsityChart {
    private SparsityChart() {
    }

    static Optional<ChartSpec> plan(SourcedRow.Subject s, List<SourcedRow> rows, QualityMetric metric, Baselines baselines,
                                    Charts.FileNames files) {
        CurveSet curves = new CurveSet();
        List<SourcedRow> drawn = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        Map<String, Integer> requested = new LinkedHashMap<>();
        Map<String, Integer> missing = new LinkedHashMap<>();
        for (SourcedRow r : rows) {
            if (!Variants.isPruned(r.row())) continue;
            double q = metric.value(r.row());
            if (!Double.isFinite(q)) {
                missing.merge(r.source().origin(), 1, Integer::sum);
                continue;
            }
            double sparsity = r.row().cost().sparsity();
            if (!Double.isFinite(sparsity)) {
                sparsity = r.row().recipe().pruneRatio();
                requested.merge(r.source().origin(), 1, Integer::sum);
            }
            String what = what(r);
            if (!kinds.contains(what)) kinds.add(what);
            curves.add(r, what, kinds.indexOf(what), sparsity * 100, q);
            drawn.add(r);
        }
        if (curves.isEmpty()) return Optional.empty();
        List<ChartSpec.Curve> all = new ArrayList<>(curves.build(ChartSpec.Style.LINE));
        double[] range = curves.xRange();
        all.addAll(Charts.references(drawn, metric, baselines, range[0], range[1]));
        List<String> notes = new ArrayList<>();
        requested.forEach((origin, n) -> notes.add(n + " " + origin + " row" + (n == 1 ? "" : "s")
                + " record no achieved sparsity; drawn at the requested pruning ratio"));
        missing.forEach((origin, n) -> notes.add(n + " " + origin + " pruning row" + (n == 1 ? "" : "s") + " without "
                + metric.label() + " left out"));
        return Optional.of(new ChartSpec(files.of(s, "sparsity"), s, Charts.prefix(s) + ": " + metric.label() + " vs sparsity",
                "weight sparsity (% of weights zero)", metric.axisLabel(), all, false, List.of(), notes));
    }

    /** The curve's name after its source: method and scope, and the width where the pruned model was quantized. */
    private static String what(SourcedRow r) {
        List<String> parts = new ArrayList<>();
        parts.add(r.row().recipe().method());
        if (r.row().recipe().pruneScope() != null) parts.add(r.row().recipe().pruneScope());
        String set = r.row().recipe().set();
        if (set != null) parts.add(set);
        String widths = Variants.widths(r.row().recipe());
        if (widths != null) parts.add(widths);
        return String.join(" · ", parts);
    }
}
