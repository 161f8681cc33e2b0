package org.edgeq.report;

import java.util.List;

/**
 * Writes a {@link Report} as one HTML page: the best-variant table first, then per dataset and model its plots
 * (plots/NAME.png beside the page, referenced relatively), each with its notes and, for cost plots, the Pareto
 * front as a table; then the sources and their provenance. Styles are inline and there is no script, so the page
 * reads the same offline, from a file, in any browser.
 */
final class HtmlReport {
    private HtmlReport() {
    }

    /** The page, with images under {@code plotsDir} (relative, e.g. "plots"). */
    static String render(Report report, String plotsDir, String generator) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>EdgeQ report</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
        h.append("<h1>EdgeQ report</h1>\n<p class=\"lead\">").append(esc(report.overview())).append(".</p>\n");

        h.append("<nav><strong>Contents:</strong> <a href=\"#best\">Best variant per budget</a>");
        for (SourcedRow.Subject s : report.subjects()) {
            h.append(" · <a href=\"#").append(id(s)).append("\">").append(esc(s.toString())).append("</a>");
        }
        h.append(" · <a href=\"#sources\">Sources</a></nav>\n");

        best(h, report);
        for (SourcedRow.Subject s : report.subjects()) subject(h, report, s, plotsDir);
        sources(h, report);
        h.append("<footer>Written by EdgeQ ").append(esc(generator)).append(" (<code>edgeq report</code>).</footer>\n");
        h.append("</main>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void best(StringBuilder h, Report report) {
        h.append("<section id=\"best\">\n<h2>Best variant per budget</h2>\n");
        h.append("<p>Each variant is compared with the FP32 baseline row of the same dataset, model, seed and file (the one its ")
                .append("command wrote before it). A point is one percentage point of accuracy, 0.01 of R², and 1% of the ")
                .append("baseline's value for MSE and loss. \"Most compressed\" counts stored bits per weight: w_bits × the ")
                .append("non-zero fraction. Energy is the hardware model's estimate per inference, not a measurement.</p>\n");
        List<BestVariants.Block> blocks = BestVariants.blocks(report.best());
        if (blocks.isEmpty()) {
            h.append("<p>No rows.</p>\n</section>\n");
            return;
        }
        h.append("<table class=\"best\">\n<thead><tr><th>budget</th><th>best variant</th><th>quality</th>")
                .append("<th>vs FP32</th><th>cost</th></tr></thead>\n<tbody>\n");
        for (BestVariants.Block b : blocks) {
            BestVariants.Group g = b.groups().getFirst();
            h.append("<tr class=\"group\"><th colspan=\"5\">").append(esc(b.subjects())).append(" · <span class=\"src\">")
                    .append(esc(g.source().origin() + ": " + g.source().name())).append("</span>");
            if (b.reason().isPresent()) {
                h.append("</th></tr>\n<tr><td colspan=\"5\" class=\"none\">").append(esc(b.reason().get()))
                        .append("</td></tr>\n");
                continue;
            }
            h.append(" · ").append(esc(b.lines().getFirst().metric().label())).append("</th></tr>\n");
            for (BestVariants.Line l : b.lines()) {
                BestVariants.Cells c = BestVariants.cells(l);
                h.append("<tr><td>").append(esc(c.question())).append("</td>");
                if (l.choice().isEmpty()) {
                    h.append("<td colspan=\"4\" class=\"none\">").append(esc(c.cost())).append("</td></tr>\n");
                    continue;
                }
                h.append("<td><strong>").append(esc(c.variant())).append("</strong>");
                if (!c.baseline().isEmpty()) h.append("<br><small>").append(esc(c.baseline())).append("</small>");
                h.append("</td><td class=\"num\">").append(esc(c.quality())).append("</td><td class=\"num\">")
                        .append(esc(c.delta())).append("</td><td>").append(esc(c.cost())).append("</td></tr>\n");
            }
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private static void subject(StringBuilder h, Report report, SourcedRow.Subject s, String plotsDir) {
        h.append("<section id=\"").append(id(s)).append("\">\n<h2>").append(esc(s.toString())).append("</h2>\n");
        h.append("<p>Quality figure: ").append(esc(report.metrics().get(s).label())).append(". EdgeQ's curves are solid ")
                .append("with circles, the seed study's dashed with diamonds, the FP32 baseline a dashed grey line.</p>\n");
        for (ChartSpec c : report.charts(s)) {
            h.append("<figure>\n<img src=\"").append(esc(plotsDir + "/" + c.fileName())).append("\" width=\"")
                    .append(ChartPainter.WIDTH).append("\" height=\"").append(ChartPainter.HEIGHT).append("\" alt=\"")
                    .append(esc(c.title())).append("\">\n<figcaption>").append(esc(c.title())).append(" (")
                    .append(c.points()).append(c.points() == 1 ? " point" : " points").append(")");
            if (!c.notes().isEmpty()) {
                h.append("<ul class=\"notes\">");
                for (String n : c.notes()) h.append("<li>").append(esc(n)).append("</li>");
                h.append("</ul>");
            }
            h.append("</figcaption>\n");
            if (!c.front().isEmpty()) {
                h.append("<details><summary>Pareto front: ").append(c.front().size()).append(" variant")
                        .append(c.front().size() == 1 ? "" : "s").append("</summary>\n<table class=\"front\"><thead><tr>")
                        .append("<th>variant</th><th>cost</th><th>quality</th><th>source</th></tr></thead><tbody>\n");
                for (ChartSpec.FrontPoint p : c.front()) {
                    h.append("<tr><td>").append(esc(p.label())).append("</td><td class=\"num\">").append(esc(p.cost()))
                            .append("</td><td class=\"num\">").append(esc(p.quality())).append("</td><td>")
                            .append(esc(p.source())).append("</td></tr>\n");
                }
                h.append("</tbody></table>\n</details>\n");
            }
            h.append("</figure>\n");
        }
        List<String> notes = report.subjectNotes().getOrDefault(s, List.of());
        if (!notes.isEmpty()) {
            h.append("<ul class=\"notes\">");
            for (String n : notes) h.append("<li>").append(esc(n)).append("</li>");
            h.append("</ul>\n");
        }
        h.append("</section>\n");
    }

    private static void sources(StringBuilder h, Report report) {
        h.append("<section id=\"sources\">\n<h2>Sources</h2>\n<table>\n<thead><tr><th>file</th><th>format</th><th>rows</th>")
                .append("<th>datasets / models</th><th>edgeq_version</th><th>energy_source</th><th>energy per inference</th>")
                .append("</tr></thead>\n<tbody>\n");
        for (ReportSource s : report.sources()) {
            Provenance.Described d = Provenance.of(s);
            h.append("<tr><td><strong>").append(esc(d.name())).append("</strong>");
            if (!d.path().isEmpty()) h.append("<br><small><code>").append(esc(d.path())).append("</code></small>");
            h.append("</td><td>").append(esc(d.format())).append(" (").append(esc(d.origin())).append(")</td><td class=\"num\">")
                    .append(d.rows()).append("</td><td>").append(esc(d.subjects())).append("</td><td>")
                    .append(esc(d.versions())).append("</td><td>").append(esc(d.energy())).append("</td><td>")
                    .append(esc(d.model())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
        List<String> notes = report.readerNotes();
        if (!notes.isEmpty()) {
            h.append("<h3>Reader notes</h3>\n<ul class=\"notes\">");
            for (String n : notes) h.append("<li>").append(esc(n)).append("</li>");
            h.append("</ul>\n");
        }
        h.append("</section>\n");
    }

    static String id(SourcedRow.Subject s) {
        return "s-" + Charts.FileNames.slug(s.dataset()) + "-" + Charts.FileNames.slug(s.model());
    }

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final String CSS = """
            body { margin: 0; background: #f6f7f9; color: #1d2430; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
            main { max-width: 1040px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
            h1 { font-size: 28px; margin: 8px 0 4px; }
            h2 { font-size: 21px; margin: 36px 0 8px; padding-top: 12px; border-top: 1px solid #e3e6ea; }
            h3 { font-size: 16px; margin: 20px 0 6px; }
            .lead { color: #4a5568; margin-top: 0; }
            nav { background: #f1f4f8; padding: 8px 12px; border-radius: 6px; font-size: 14px; }
            a { color: #0b5cab; }
            table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 14px; }
            th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid #e3e6ea; }
            thead th { background: #eef1f5; font-weight: 600; }
            tr.group th { background: #f8fafc; font-weight: 600; padding-top: 10px; }
            .src { color: #4a5568; font-weight: normal; }
            td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
            td.none { color: #6b7280; font-style: italic; }
            figure { margin: 18px 0 24px; }
            figure img { display: block; max-width: 100%; height: auto; border: 1px solid #e3e6ea; border-radius: 4px; }
            figcaption { font-size: 13px; color: #4a5568; margin-top: 6px; }
            ul.notes { margin: 4px 0 0; padding-left: 20px; font-size: 13px; color: #4a5568; }
            details { margin-top: 6px; font-size: 14px; }
            summary { cursor: pointer; color: #0b5cab; }
            code { font-size: 12px; }
            footer { margin-top: 40px; font-size: 12px; color: #6b7280; }
            """;
}
