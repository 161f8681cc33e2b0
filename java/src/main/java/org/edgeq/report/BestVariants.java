package org.edgeq.report;

import org.edgeq.study.ResultRow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The best-variant-per-budget table: for every trained model (dataset, model, seed) of every source and every
 * {@link Budget}, the row with the lowest cost among those within the budget's points of their own FP32 baseline
 * (found by {@link Baselines}); ties go to the better quality, then to the earlier row. The baseline itself is a
 * candidate, so "FP32" is the answer when no variant beats it within the budget.
 */
public final class BestVariants {
    private BestVariants() {
    }

    /**
     * One trained model whose variants are compared.
     *
     * @param source  the file (or study) the rows came from
     * @param subject dataset and model
     * @param seed    the seed the model was trained with, null when the source does not say
     */
    public record Group(ReportSource source, SourcedRow.Subject subject, Long seed) {
        @Override
        public String toString() {
            return subject + (seed == null ? "" : " / seed " + seed) + " (" + source.origin() + ": " + source.name() + ")";
        }
    }

    /**
     * The variant chosen for one budget.
     *
     * @param row            the variant
     * @param baseline       its baseline
     * @param standIn        whether the baseline stands in for a missing fp32 row (see {@link Baselines})
     * @param quality        the variant's quality
     * @param baselineQuality the baseline's quality
     * @param cost           the variant's cost
     * @param baselineCost   the baseline's cost (NaN where it has none)
     */
    public record Choice(SourcedRow row, SourcedRow baseline, boolean standIn, double quality, double baselineQuality,
                         double cost, double baselineCost) {
        public String label() {
            return Variants.label(row.row());
        }
    }

    /**
     * One line of the table: a group and a budget, answered by a choice or by the reason there is none.
     *
     * @param group  the trained model
     * @param metric the quality figure compared
     * @param budget the question
     * @param choice the answer, empty when there is none
     * @param reason why there is no answer (empty when there is one)
     */
    public record Line(Group group, QualityMetric metric, Budget budget, Optional<Choice> choice, String reason) {
    }

    /** The table for {@code rows}, groups in order of first appearance, budgets in declaration order. */
    public static List<Line> of(List<SourcedRow> rows, Function<SourcedRow.Subject, QualityMetric> metricOf) {
        Baselines baselines = new Baselines(rows);
        Map<Group, List<SourcedRow>> groups = new LinkedHashMap<>();
        for (SourcedRow r : rows) {
            groups.computeIfAbsent(new Group(r.source(), r.subject(), r.row().subject().seed()), g -> new ArrayList<>()).add(r);
        }
        List<Line> lines = new ArrayList<>();
        for (Map.Entry<Group, List<SourcedRow>> e : groups.entrySet()) {
            QualityMetric metric = metricOf.apply(e.getKey().subject());
            for (Budget b : Budget.values()) lines.add(line(e.getKey(), e.getValue(), metric, b, baselines));
        }
        return List.copyOf(lines);
    }

    private static Line line(Group g, List<SourcedRow> rows, QualityMetric metric, Budget budget, Baselines baselines) {
        List<Choice> within = new ArrayList<>();
        boolean anyBaseline = false;
        boolean anyCost = false;
        for (SourcedRow r : rows) {
            Optional<Baselines.Match> m = baselines.of(r);
            double cost = budget.cost(r.row());
            anyCost |= Double.isFinite(cost);
            if (m.isEmpty()) continue;
            anyBaseline = true;
            ResultRow base = m.get().baseline().row();
            double q = metric.value(r.row());
            double bq = metric.value(base);
            if (!Double.isFinite(cost) || !metric.within(q, bq, budget.points())) continue;
            within.add(new Choice(r, m.get().baseline(), m.get().standIn(), q, bq, cost, budget.cost(base)));
        }
        String where = g.source().name();
        if (!anyBaseline) {
            return new Line(g, metric, budget, Optional.empty(), "no FP32 baseline row in " + where);
        }
        if (!anyCost) {
            return new Line(g, metric, budget, Optional.empty(), where + " records no " + budget.columns());
        }
        if (within.isEmpty()) {
            return new Line(g, metric, budget, Optional.empty(), "no row with " + budget.columns() + " is within the budget of its "
                    + "baseline's " + metric.label());
        }
        Comparator<Choice> order = Comparator.<Choice>comparingDouble(Choice::cost)
                .thenComparingDouble(c -> metric.higherIsBetter() ? -c.quality() : c.quality())
                .thenComparingInt(c -> c.row().index());
        Choice best = within.stream().min(order).orElseThrow();
        return new Line(g, metric, budget, Optional.of(best), "");
    }

    /**
     * One line of the table as text cells, the same for HTML, Markdown and the terminal.
     *
     * @param question the budget in words
     * @param variant  the chosen variant, or "-"
     * @param quality  its quality, or "-"
     * @param delta    its points versus its baseline, or "-"
     * @param cost     its cost with the ratio to the baseline's, or the reason there is no answer
     * @param baseline which baseline it was compared with, when that needs saying (a stand-in for FP32)
     */
    public record Cells(String question, String variant, String quality, String delta, String cost, String baseline) {
    }

    /** The text cells of {@code l}. */
    public static Cells cells(Line l) {
        if (l.choice().isEmpty()) return new Cells(l.budget().question(), "-", "-", "-", l.reason(), "");
        Choice c = l.choice().get();
        String baseline = c.standIn() ? "vs " + Variants.label(c.baseline().row())
                + " (the unmodified model; the file has no fp32 row)" : "";
        return new Cells(l.budget().question(), c.label(), l.metric().format(c.quality()),
                Numbers.points(l.metric().pointsVersus(c.quality(), c.baselineQuality())),
                l.budget().format(c.cost(), c.baselineCost()), baseline);
    }

    /**
     * The one reason for a group whose every budget went unanswered for the same reason (e.g. a seed table without
     * an FP32 row), so that it can be said once; empty otherwise.
     */
    public static Optional<String> sameReason(List<Line> group) {
        if (group.isEmpty() || group.stream().anyMatch(l -> l.choice().isPresent())) return Optional.empty();
        String r = group.getFirst().reason();
        return group.stream().allMatch(l -> l.reason().equals(r)) ? Optional.of(r) : Optional.empty();
    }

    /**
     * A stretch of the table as it is shown: either one group with its lines, or consecutive groups of one source
     * that all went unanswered for the same reason (a seed table's models without an FP32 row), said once.
     *
     * @param groups the groups (one unless collapsed)
     * @param lines  the group's lines, empty when collapsed
     * @param reason the shared reason when collapsed, else empty
     */
    public record Block(List<Group> groups, List<Line> lines, Optional<String> reason) {
        /** The groups' models, "churn / dense-simple, telescope / dense-complex". */
        public String subjects() {
            return String.join(", ", groups.stream().map(g -> g.subject() + (g.seed() == null ? "" : " · seed " + g.seed())).toList());
        }
    }

    /** The table in blocks, in order. */
    public static List<Block> blocks(List<Line> lines) {
        Map<Group, List<Line>> groups = new LinkedHashMap<>();
        for (Line l : lines) groups.computeIfAbsent(l.group(), g -> new ArrayList<>()).add(l);
        List<Block> out = new ArrayList<>();
        for (Map.Entry<Group, List<Line>> e : groups.entrySet()) {
            Optional<String> reason = sameReason(e.getValue());
            if (reason.isEmpty()) {
                out.add(new Block(List.of(e.getKey()), e.getValue(), Optional.empty()));
                continue;
            }
            Block last = out.isEmpty() ? null : out.getLast();
            if (last != null && last.reason().equals(reason) && last.groups().getFirst().source() == e.getKey().source()) {
                List<Group> merged = new ArrayList<>(last.groups());
                merged.add(e.getKey());
                out.set(out.size() - 1, new Block(List.copyOf(merged), List.of(), reason));
            } else {
                out.add(new Block(List.of(e.getKey()), List.of(), reason));
            }
        }
        return List.copyOf(out);
    }

    /** The table as fixed-width text lines, for a terminal. */
    public static List<String> toText(List<Line> lines) {
        List<String> out = new ArrayList<>();
        for (Block b : blocks(lines)) {
            if (b.reason().isPresent()) {
                Group g = b.groups().getFirst();
                out.add(b.subjects() + " (" + g.source().origin() + ": " + g.source().name() + "): " + b.reason().get());
                continue;
            }
            out.add(b.groups().getFirst().toString());
            for (Line l : b.lines()) {
                Cells c = cells(l);
                String answer = l.choice().isEmpty() ? "- (" + c.cost() + ")"
                        : String.format(Locale.ROOT, "%-36s %s (%s)  %s", c.variant(), c.quality(), c.delta(), c.cost());
                out.add(String.format(Locale.ROOT, "  %-48s %s", c.question(), answer));
            }
        }
        return out;
    }
}
