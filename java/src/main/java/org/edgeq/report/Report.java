package org.edgeq.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.edgeq.study.ResultRow;

/**
 * Everything a report says, computed once from its sources and then written out by {@link HtmlReport} and
 * {@link MarkdownSummary}: the quality figure per dataset and model, the best variant per budget, the plots to draw
 * and the notes about what was left out.
 *
 * @param sources      the inputs, in the order given
 * @param rows         every row with its source
 * @param metrics      the quality figure of each dataset and model ({@link QualityMetric#choose})
 * @param best         the best-variant-per-budget table
 * @param charts       the plots, in report order
 * @param subjectNotes per dataset and model, plots not made and why
 */
public record Report(List<ReportSource> sources, List<SourcedRow> rows, Map<SourcedRow.Subject, QualityMetric> metrics,
                     List<BestVariants.Line> best, List<ChartSpec> charts, Map<SourcedRow.Subject, List<String>> subjectNotes) {

    /** Computes the report of {@code sources}. */
    public static Report of(List<ReportSource> sources) {
        List<SourcedRow> rows = SourcedRow.all(sources);
        Map<SourcedRow.Subject, List<ResultRow>> bySubject = new LinkedHashMap<>();
        for (SourcedRow r : rows) bySubject.computeIfAbsent(r.subject(), s -> new ArrayList<>()).add(r.row());
        Map<SourcedRow.Subject, QualityMetric> metrics = new LinkedHashMap<>();
        bySubject.forEach((s, rs) -> metrics.put(s, QualityMetric.choose(rs)));
        List<BestVariants.Line> best = BestVariants.of(rows, metrics::get);
        Charts.Plan plan = Charts.plan(rows, metrics);
        return new Report(List.copyOf(sources), rows, metrics, best, plan.charts(), plan.notes());
    }

    /** The datasets and models in order of first appearance. */
    public List<SourcedRow.Subject> subjects() {
        return List.copyOf(metrics.keySet());
    }

    /** The plots of one dataset and model. */
    public List<ChartSpec> charts(SourcedRow.Subject s) {
        return charts.stream().filter(c -> c.subject().equals(s)).toList();
    }

    /** The readers' notes of every source (names kept as they are, and the like). */
    public List<String> readerNotes() {
        List<String> out = new ArrayList<>();
        for (ReportSource s : sources) out.addAll(s.notes());
        return out;
    }

    /** One sentence on what was read: "138 rows from 4 files (3 of the seed's, 1 of EdgeQ's), 2 datasets/models". */
    public String overview() {
        long seed = sources.stream().filter(s -> s.origin().equals(ReportSource.SEED)).count();
        long edgeq = sources.size() - seed;
        return rows.size() + " row" + (rows.size() == 1 ? "" : "s") + " from " + sources.size() + " source"
                + (sources.size() == 1 ? "" : "s") + " (" + seed + " of the seed study's, " + edgeq + " of EdgeQ's), "
                + metrics.size() + " dataset/model pair" + (metrics.size() == 1 ? "" : "s") + ", " + charts.size() + " plot"
                + (charts.size() == 1 ? "" : "s");
    }
}
