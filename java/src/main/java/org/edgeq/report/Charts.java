package org.edgeq.report;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Plans every plot of a report, per dataset and model: quality against weight bits (one plot per method), against
 * sparsity (pruning rows), and against size on disk, estimated energy and latency with the Pareto front. Plots that
 * would be empty are not made; the reason goes into the notes.
 */
final class Charts {
    private Charts() {
    }

    /**
     * The plots and the notes about plots not made.
     *
     * @param charts the plots, in report order
     * @param notes  per dataset and model, what was not drawn and why
     */
    record Plan(List<ChartSpec> charts, Map<SourcedRow.Subject, List<String>> notes) {
    }

    static Plan plan(List<SourcedRow> rows, Map<SourcedRow.Subject, QualityMetric> metrics) {
        Map<SourcedRow.Subject, List<SourcedRow>> bySubject = new LinkedHashMap<>();
        for (SourcedRow r : rows) bySubject.computeIfAbsent(r.subject(), s -> new ArrayList<>()).add(r);
        Baselines baselines = new Baselines(rows);
        List<ChartSpec> charts = new ArrayList<>();
        Map<SourcedRow.Subject, List<String>> notes = new LinkedHashMap<>();
        FileNames files = new FileNames();
        for (Map.Entry<SourcedRow.Subject, List<SourcedRow>> e : bySubject.entrySet()) {
            SourcedRow.Subject s = e.getKey();
            QualityMetric metric = metrics.get(s);
            List<String> subjectNotes = new ArrayList<>();
            charts.addAll(BitsCharts.plan(s, e.getValue(), metric, baselines, files));
            SparsityChart.plan(s, e.getValue(), metric, baselines, files).ifPresent(charts::add);
            for (CostAxis axis : CostAxis.values()) {
                Optional<ChartSpec> c = CostChart.plan(s, e.getValue(), metric, axis, files);
                if (c.isPresent()) charts.add(c.get());
                else subjectNotes.add("no plot of " + metric.label() + " against " + axis.words() + ": no row has "
                        + axis.column() + (e.getValue().stream().allMatch(r -> r.source().origin().equals(ReportSource.SEED))
                        ? " (the seed's tables record no sizes, energy or latency)" : ""));
            }
            notes.put(s, List.copyOf(subjectNotes));
        }
        return new Plan(List.copyOf(charts), notes);
    }

    /** The plot title's prefix: "churn / dense-simple". */
    static String prefix(SourcedRow.Subject s) {
        return s.toString();
    }

    /**
     * Horizontal FP32 reference lines from {@code x0} to {@code x1}: one per source and seed among {@code drawn}
     * that has a real fp32 baseline (stand-ins are not drawn), at its quality.
     */
    static List<ChartSpec.Curve> references(List<SourcedRow> drawn, QualityMetric metric, Baselines baselines, double x0, double x1) {
        if (!Double.isFinite(x0)) return List.of();
        if (x0 == x1) {
            x0 -= 0.5;
            x1 += 0.5;
        }
        CurveSet lines = new CurveSet();
        Set<SourcedRow> seen = new HashSet<>();
        for (SourcedRow r : drawn) {
            Optional<Baselines.Match> m = baselines.of(r);
            if (m.isEmpty() || m.get().standIn()) continue;
            SourcedRow b = m.get().baseline();
            if (!seen.add(b)) continue;
            double q = metric.value(b.row());
            if (!Double.isFinite(q)) continue;
            lines.add(b, "FP32", -1, x0, q);
            lines.add(b, "FP32", -1, x1, q);
        }
        return lines.build(ChartSpec.Style.REFERENCE);
    }

    /** Unique, portable PNG names: "churn-dense-simple-bits-rounding.png", with "-2" where two would collide. */
    static final class FileNames {
        private final Set<String> used = new HashSet<>();

        String of(SourcedRow.Subject s, String... parts) {
            StringBuilder b = new StringBuilder(slug(s.dataset())).append('-').append(slug(s.model()));
            for (String p : parts) b.append('-').append(slug(p));
            String base = b.toString();
            String name = base;
            for (int i = 2; !used.add(name); i++) name = base + "-" + i;
            return name + ".png";
        }

        static String slug(String text) {
            if (text == null || text.isBlank()) return "unknown";
            String s = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-").replaceAll("^-+|-+$", "");
            return s.isEmpty() ? "x" : s;
        }
    }
}
