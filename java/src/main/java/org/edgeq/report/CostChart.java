package org.edgeq.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Quality against one cost (size on disk, estimated energy, latency) for one dataset and model: every variant with
 * both figures as a point, one series per family (FP32, quantized, QAT, pruned, ...) and source, and the Pareto
 * front over all of them as a dark line, its points listed for the table under the plot. Rows without the cost
 * (all of the seed's) are left out and counted in a note.
 */
final class CostChart {
    private CostChart() {
    }

    static Optional<ChartSpec> plan(SourcedRow.Subject s, List<SourcedRow> rows, QualityMetric metric, CostAxis axis,
                                    Charts.FileNames files) {
        List<SourcedRow> drawn = new ArrayList<>();
        Map<String, Integer> noCost = new LinkedHashMap<>();
        Map<String, Integer> noQuality = new LinkedHashMap<>();
        for (SourcedRow r : rows) {
            double c = axis.value(r.row());
            double q = metric.value(r.row());
            if (!Double.isFinite(c)) noCost.merge(r.source().origin(), 1, Integer::sum);
            else if (!Double.isFinite(q)) noQuality.merge(r.source().origin(), 1, Integer::sum);
            else drawn.add(r);
        }
        if (drawn.isEmpty()) return Optional.empty();

        double[] cost = drawn.stream().mapToDouble(r -> axis.value(r.row())).toArray();
        double[] quality = drawn.stream().mapToDouble(r -> metric.value(r.row())).toArray();
        CostAxis.Unit unit = axis.unitFor(median(cost));

        CurveSet points = new CurveSet();
        for (int i = 0; i < drawn.size(); i++) {
            Variants.Family f = Variants.family(drawn.get(i).row());
            points.add(drawn.get(i), f.words, f.colour, cost[i] / unit.size(), quality[i]);
        }
        List<ChartSpec.Curve> all = new ArrayList<>(points.build(ChartSpec.Style.SCATTER));

        List<Integer> front = ParetoFront.of(cost, quality, metric.higherIsBetter());
        double[] fx = front.stream().mapToDouble(i -> cost[i] / unit.size()).toArray();
        double[] fy = front.stream().mapToDouble(i -> quality[i]).toArray();
        all.add(new ChartSpec.Curve("Pareto front", fx, fy, ChartSpec.Style.FRONT, -1, false));
        List<ChartSpec.FrontPoint> frontPoints = new ArrayList<>();
        for (int i : front) {
            SourcedRow r = drawn.get(i);
            frontPoints.add(new ChartSpec.FrontPoint(Variants.label(r.row()), r.source().origin() + ": " + r.source().name(),
                    axis.format(cost[i]), metric.format(quality[i])));
        }

        List<String> notes = new ArrayList<>();
        Window window = Window.focus(drawn, quality, metric, notes);
        noCost.forEach((origin, n) -> notes.add(n + " " + origin + " row" + (n == 1 ? "" : "s") + " without " + axis.column()
                + " left out" + (origin.equals(ReportSource.SEED) ? " (the seed's tables record none)" : "")));
        noQuality.forEach((origin, n) -> notes.add(n + " " + origin + " row" + (n == 1 ? "" : "s") + " without "
                + metric.label() + " left out"));
        if (axis == CostAxis.ENERGY) notes.add("energy per inference from EdgeQ's hardware model (edgeq hwsim: Horowitz "
                + "45 nm, at each row's widths): a model, not a measurement");
        if (axis == CostAxis.LATENCY && drawn.stream().map(SourcedRow::source).distinct().count() > 1) {
            notes.add("latencies from different files were measured in different processes; compare rows of one file");
        }
        return Optional.of(new ChartSpec(files.of(s, axis.slug()), s,
                Charts.prefix(s) + ": " + metric.label() + " vs " + axis.shortWords(),
                axis.words() + (axis == CostAxis.ENERGY ? ", hardware model" : "") + " (" + unit.name() + ")",
                metric.axisLabel(), all, false, frontPoints, notes, window.min(), window.max()));
    }

    /**
     * The y range of a cost plot: the budgets all ask for variants within a few points of FP32, so a plot whose
     * worst variants fall far below would squash the interesting band into a line. Variants more than
     * {@link #SPAN} points below the best are left outside the axis (a note names how many and the worst); the
     * front's table still lists them.
     */
    record Window(Double min, Double max) {
        static final double SPAN = 10;

        static Window focus(List<SourcedRow> drawn, double[] quality, QualityMetric metric, List<String> notes) {
            int best = 0;
            for (int i = 1; i < quality.length; i++) if (metric.better(quality[i], quality[best])) best = i;
            double edge = quality[best] + (metric.higherIsBetter() ? -1 : 1) * SPAN * metric.pointSize(quality[best]);
            int outside = 0;
            int worst = best;
            for (int i = 0; i < quality.length; i++) {
                if (metric.better(edge, quality[i])) outside++;
                if (metric.better(quality[worst], quality[i])) worst = i;
            }
            if (outside == 0) return new Window(null, null);
            notes.add(outside + (outside == 1 ? " variant is" : " variants are") + " more than " + (int) SPAN + " points worse "
                    + "than the best and drawn off the axis (" + (metric.higherIsBetter() ? "below " : "above ")
                    + metric.format(edge) + "; worst: " + Variants.label(drawn.get(worst).row()) + ", "
                    + metric.format(quality[worst]) + ")");
            return metric.higherIsBetter() ? new Window(edge, null) : new Window(null, edge);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
