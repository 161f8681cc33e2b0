package org.edgeq.report;

import java.util.List;

/**
 * Writes a {@link Report} as a Markdown summary: the best-variant table, the plots (relative links to plots/*.png)
 * with their notes, and the sources. The same facts as the HTML page, for a terminal, a pull request or a wiki.
 */
final class MarkdownSummary {
    private MarkdownSummary() {
    }

    static String render(Report report, String plotsDir, String generator) {
        StringBuilder m = new StringBuilder(8_192);
        m.append("# EdgeQ report\n\n").append(report.overview()).append(". Full report: [report.html](report.html).\n\n");

        m.append("## Best variant per budget\n\n");
        m.append("Each variant against the FP32 baseline row of the same dataset, model, seed and file; a point is one ")
                .append("percentage point of accuracy (0.01 of R², 1% of the baseline for MSE and loss). \"Most compressed\": ")
                .append("stored bits per weight, w_bits × the non-zero fraction. Energy: the hardware model's estimate.\n\n");
        List<BestVariants.Block> blocks = BestVariants.blocks(report.best());
        if (blocks.isEmpty()) m.append("No rows.\n\n");
        else {
            m.append("| model | source | budget | best variant | quality | vs FP32 | cost |\n");
            m.append("|---|---|---|---|---|---|---|\n");
            for (BestVariants.Block b : blocks) {
                BestVariants.Group g = b.groups().getFirst();
                String model = b.subjects();
                String source = g.source().origin() + ": " + g.source().name();
                if (b.reason().isPresent()) {
                    m.append(row(model, source, "all", "-", "-", "-", b.reason().get()));
                    continue;
                }
                for (BestVariants.Line l : b.lines()) {
                    BestVariants.Cells c = BestVariants.cells(l);
                    String variant = c.baseline().isEmpty() ? c.variant() : c.variant() + " (" + c.baseline() + ")";
                    m.append(row(model, source, c.question(), variant, c.quality(), c.delta(), c.cost()));
                }
            }
            m.append('\n');
        }

        m.append("## Plots\n\n");
        for (SourcedRow.Subject s : report.subjects()) {
            m.append("### ").append(s).append("\n\n");
            for (ChartSpec c : report.charts(s)) {
                m.append("![").append(c.title().replace("]", ")")).append("](").append(plotsDir).append('/')
                        .append(c.fileName()).append(")\n\n");
                for (String n : c.notes()) m.append("- ").append(n).append('\n');
                if (!c.front().isEmpty()) m.append("- Pareto front: ").append(front(c.front())).append('\n');
                if (!c.notes().isEmpty() || !c.front().isEmpty()) m.append('\n');
            }
            List<String> notes = report.subjectNotes().getOrDefault(s, List.of());
            for (String n : notes) m.append("- ").append(n).append('\n');
            if (!notes.isEmpty()) m.append('\n');
        }

        m.append("## Sources\n\n| file | format | rows | edgeq_version | energy_source | energy per inference |\n");
        m.append("|---|---|---|---|---|---|\n");
        for (ReportSource s : report.sources()) {
            Provenance.Described d = Provenance.of(s);
            m.append(row(d.name(), d.format() + " (" + d.origin() + ")", String.valueOf(d.rows()), d.versions(), d.energy(),
                    d.model()));
        }
        m.append('\n');
        for (String n : report.readerNotes()) m.append("- ").append(n).append('\n');
        if (!report.readerNotes().isEmpty()) m.append('\n');
        m.append("Written by EdgeQ ").append(generator).append(" (`edgeq report`).\n");
        return m.toString();
    }

    /**
     * The front in one line. Equal points in a row are said once with a count: two commands appending to one file
     * each write an FP32 row, and both sit on the front (neither dominates the other).
     */
    static String front(List<ChartSpec.FrontPoint> front) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < front.size(); ) {
            ChartSpec.FrontPoint p = front.get(i);
            int same = 1;
            while (i + same < front.size() && sameShown(p, front.get(i + same))) same++;
            b.append(i == 0 ? "" : "; ").append(p.label()).append(same == 1 ? "" : " ×" + same).append(" (")
                    .append(p.cost()).append(", ").append(p.quality()).append(')');
            i += same;
        }
        return b.toString();
    }

    private static boolean sameShown(ChartSpec.FrontPoint a, ChartSpec.FrontPoint b) {
        return a.label().equals(b.label()) && a.cost().equals(b.cost()) && a.quality().equals(b.quality());
    }

    private static String row(String... cells) {
        StringBuilder b = new StringBuilder("|");
        for (String c : cells) b.append(' ').append(c.replace("|", "\\|").replace("\n", " ")).append(" |");
        return b.append('\n').toString();
    }
}
